// A migration plan: what a dialect will do to turn one schema state into the
// next, as values that can be printed and tested before any SQL runs. SQL in
// a plan is the dialect's; the plan's structure is not.
#pragma once

#include <string>
#include <vector>

namespace strata {

// One step of a migration, with the reason it is done this way.
struct Step {
  std::string comment;            // "rebuild: column type change cannot use ALTER TABLE"
  std::vector<std::string> sql;   // statements, without the trailing ';'
  bool destructive = false;       // can lose data that is in the database
  // Runs after COMMIT, outside any transaction (PostgreSQL's CREATE INDEX
  // CONCURRENTLY); written so that running it again finishes the job.
  bool outside_transaction = false;
};

// A condition on the data or the result. `sql` is a query that returns the
// offending rows, as one text column that names each (e.g. its key); the
// migration fails, changing nothing, when it returns any.
struct Check {
  std::string description;  // what is wrong when it fails
  std::string sql;
};

struct Plan {
  std::vector<Step> data_fixes;   // declared repairs, before the prechecks
  std::vector<Check> prechecks;   // on the data before any change
  std::vector<Step> steps;
  std::vector<Check> postchecks;  // on the result, before COMMIT
  // Statements run before the steps to snapshot what postchecks compare
  // with (row counts, AUTOINCREMENT counters).
  std::vector<std::string> snapshots;
  std::vector<std::string> destructive_changes;  // described, for lint and plan output
  std::vector<std::string> irreversible_notes;   // what a reverse cannot bring back

  bool empty() const { return steps.empty() && data_fixes.empty(); }
  bool destructive() const { return !destructive_changes.empty(); }
};

}  // namespace strata
