// What generated PostgreSQL files and the connection agree on: the history
// table and the advisory lock key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::postgres {

inline constexpr std::string_view kHistoryTable = "strata_migrations";

// The advisory lock that serialises migrations on one database: "strata"
// in ASCII (0x737472617461). Runners hold it as a session lock for each
// file; generated files take it as a transaction lock, so a file run with
// psql and a runner never interleave either.
inline constexpr int64_t kLockKey = 126879296893025;

// CREATE TABLE IF NOT EXISTS for the history table, in its first shape:
// generated files hold this text, which must not change under them.
std::string CreateHistoryTableSql();

// Adds the columns added since (nullable), where missing: the up and down
// texts recorded with each migration. Runs before each write of the
// connection that could meet a table an older strata (or a file) created.
std::string UpgradeHistoryTableSql();

// The INSERT of a version's history row that a generated up file ends its
// transaction with; the runner knows it by this text and writes the row
// with its checksum in its place.
std::string RecordVersionSql(int64_t version, std::string_view name, std::string_view tag);

}  // namespace strata::postgres
