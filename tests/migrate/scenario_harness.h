// Runs a schema evolution end to end on a real SQLite file with data in it:
// the generated up migration, then down, then up again, each through the
// sqlite3 shell exactly as a user would run the file, with foreign keys on.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "schema/table.h"
#include "schema/versioned.h"

namespace strata::testing {

// A statement tried (in a transaction that is rolled back) on the migrated
// database, with foreign keys on: after up it must fail with a message
// containing `up_error` (succeed when empty), after down likewise with
// `down_error`. Shows what the pragmas cannot: CHECKs, collations, triggers.
struct Probe {
  std::string sql;
  std::string up_error;
  std::string down_error;
};

struct Scenario {
  std::string name;
  // Tables of a project whose tags are `before` and `after`.
  std::string tables_yaml;
  // When set, edits the two states after loading (for what the YAML cannot
  // say, such as a reference row whose values change); the migrations are
  // then planned from the edited states exactly as the generator does.
  std::function<void(Schema& before, Schema& after)> edit;
  // Run on the database at `before`, with foreign keys off (so that a
  // scenario can plant orphans, or add triggers and views by hand).
  std::string seed_sql;
  // Queries whose results must not change across up, down and up again.
  std::vector<std::string> kept;
  // Queries whose results after up must be `after_up` (one string per
  // query: rows joined by '\n', columns by '|').
  std::vector<std::pair<std::string, std::string>> after_up;
  // The same, after down.
  std::vector<std::pair<std::string, std::string>> after_down;
  std::vector<Probe> probes;
  // Text the up script must contain (e.g. "rebuild \"t\"" to make sure
  // the scenario exercises the rebuild it is about).
  std::vector<std::string> up_script_contains;
  // When not empty, up must fail with a message containing this text and
  // leave the database exactly as it was.
  std::string up_fails_with;
  // With `up_fails_with`: text the failure the script records must contain
  // (the offending rows' keys).
  std::string up_fails_naming;
  // With `up_fails_with`: the failure is SQLite's own error, not one of the
  // script's checks (which say "nothing was applied"); the database must
  // still be left exactly as it was.
  bool up_fails_unchecked = false;
};

// The migration scripts between two states, planned and rendered as the
// generator does: `create` builds `before` in an empty database (version
// 10), `up` and `down` go between `before` and `after` (version 20).
struct ScenarioScripts {
  std::string create;
  std::string up;
  std::string down;
};
ScenarioScripts MakeScripts(const Schema& before, const Schema& after);

// Runs `sql` on `db` through the sqlite3 shell (-bail), foreign keys on or
// off first; returns the exit code, stderr in `err`.
int RunSqliteShell(const std::string& db, const std::string& sql, bool foreign_keys_on, std::string* err,
                   std::string* out = nullptr);

// `.dump` of the database, for byte-level "nothing changed" comparisons.
std::string Dump(const std::string& db);

// Result of `query` as rows joined by '\n' and columns by '|'.
std::string Query(const std::string& db, const std::string& query);

// Runs the scenario with gtest assertions.
void RunScenario(const Scenario& s);

}  // namespace strata::testing
