// Declarative mode: one script that brings a database from the schema it
// has to the schema wanted, without migration files or history (`strata
// diff` prints it, `strata apply` runs it). The script has the envelope of a
// migration file (foreign keys off, one transaction, snapshots, prechecks,
// postchecks, verdict), so piped into the dialect's shell it either reaches
// the target or changes nothing.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "dialect/connection.h"
#include "dialect/dialect.h"

namespace strata {

struct DeclarativeOptions {
  std::string label = "diff";  // names the script in its messages
  // A script that discards data refuses to run (a precheck that always
  // fails, naming what would be lost) unless this is set.
  bool allow_destructive = false;
  // Both sides are schema folders: their reference rows are schema too.
  bool compare_rows = false;
};

struct DeclarativeScript {
  std::vector<Change> changes;
  Plan plan;
  std::string sql;  // empty when there is nothing to change
  bool refused = false;  // destructive and not allowed: the script stops at its first check
};

// `from` and `to` as the dialect normalises them; renames only where `to`
// declares them.
DeclarativeScript PlanDeclarative(const Dialect& dialect, const Schema& from, const Schema& to,
                                  const DeclarativeOptions& options);

// The schemas of two databases, for comparing them. Where the engine keeps
// each table's definition, only the tables stored differently are read,
// with the tables a foreign key joins them to (a plan checks the parents
// and children of what it changes); a table stored alike on both sides
// cannot differ. So comparing two 1,000-table databases that differ in 50
// reads about 50 on each side.
Result<std::pair<Schema, Schema>> InspectForComparison(Connection& from, Connection& to);

}  // namespace strata
