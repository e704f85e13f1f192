// Runs a schema evolution end to end on a real SQLite file with data in it:
// the generated up migration, then down, then up again, each through the
// sqlite3 shell exactly as a user would run the file, with foreign keys on.
#pragma once

#include <string>
#include <vector>

#include "schema/versioned.h"

namespace strata::testing {

struct Scenario {
  std::string name;
  // Tables of a project whose tags are `before` and `after`.
  std::string tables_yaml;
  // Run on the database at `before`, with foreign keys off (so that a
  // scenario can plant orphans).
  std::string seed_sql;
  // Queries whose results must not change across up, down and up again.
  std::vector<std::string> kept;
  // Queries whose results after up must be `after_up` (one string per
  // query: rows joined by '\n', columns by '|').
  std::vector<std::pair<std::string, std::string>> after_up;
  // When not empty, up must fail with a message containing this text and
  // leave the database exactly as it was.
  std::string up_fails_with;
};

// Runs `sql` on `db` through the sqlite3 shell (-bail), foreign keys on or
// off first; returns the exit code, stderr in `err`.
int RunSqliteShell(const std::string& db, const std::string& sql, bool foreign_keys_on, std::string* err);

// `.dump` of the database, for byte-level "nothing changed" comparisons.
std::string Dump(const std::string& db);

// Result of `query` as rows joined by '\n' and columns by '|'.
std::string Query(const std::string& db, const std::string& query);

// Runs the scenario with gtest assertions.
void RunScenario(const Scenario& s);

}  // namespace strata::testing
