// Integrity checks for SQLite: one orphan-record check per foreign key and
// the declared data checks, as SQL a person can run in the sqlite3 shell,
// and running them with counts and sample keys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

struct IntegrityCheck {
  enum class Kind { kOrphans, kData };
  Kind kind = Kind::kOrphans;
  std::string name;         // "orphans:conversations.user_id->users" or the data check's name
  std::string table;
  std::string description;
  // Returns one row per offending key: (key text, number of rows with it).
  std::string sql;
  bool child_indexed = true;  // orphans: the child columns lead some index
};

// The file's own structure (PRAGMA quick_check: b-tree pages, record
// formats, NOT NULL and CHECK constraints), so that a corrupt database fails
// `strata check` before a migration touches its bad page.
IntegrityCheck FileStructureCheck();

// Every check the schema implies, in table order.
std::vector<IntegrityCheck> BuildChecks(const Schema& schema);

// The checks as one commented SQL file (the committed `checks/` content).
std::string RenderChecksFile(const std::vector<IntegrityCheck>& checks, std::string_view tag);

struct CheckResult {
  const IntegrityCheck* check = nullptr;
  int64_t offending_rows = 0;
  std::vector<std::string> samples;  // up to the requested number of keys
  std::string error;                 // the check could not run (e.g. table missing)
  bool passed() const { return offending_rows == 0 && error.empty(); }
};

std::vector<CheckResult> RunChecks(Database& db, const std::vector<IntegrityCheck>& checks, int max_samples);

}  // namespace strata::sqlite
