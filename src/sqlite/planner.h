// The SQLite planner: typed changes in, a Plan out. It uses ALTER TABLE
// exactly where SQLite 3.40 allows it (ADD COLUMN within its restrictions,
// RENAME TABLE / COLUMN, DROP COLUMN of a column nothing depends on) and the
// generalized ALTER TABLE procedure (rebuild.h) for everything else. The
// decision depends only on the definitions, never on whether a table happens
// to be empty: SQLite enforces several ADD COLUMN rules only when rows exist.
#pragma once

#include <vector>

#include "dialect/dialect.h"
#include "diff/change.h"
#include "plan/plan.h"
#include "schema/table.h"

namespace strata::sqlite {

// REQUIRES: `changes` == Diff(from, to, ...), and foreign keys off while the
// plan runs (the migration script guarantees it).
Plan PlanChanges(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                 const MigrationOptions& options = {});

}  // namespace strata::sqlite
