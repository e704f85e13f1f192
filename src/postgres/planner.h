// Plans changes for PostgreSQL, by the rules migration linters enforce:
// indexes are built and dropped CONCURRENTLY outside the transaction
// (Step::outside_transaction), after dropping an INVALID index a failed
// attempt left; foreign keys and CHECKs are added NOT VALID and validated
// after COMMIT; SET NOT NULL goes through a validated CHECK; type changes
// carry USING and say when they rewrite the table; renames are native.
// Prechecks name the offending rows before anything changes.
#pragma once

#include <string>
#include <vector>

#include "diff/change.h"
#include "dialect/dialect.h"
#include "plan/plan.h"
#include "schema/table.h"

namespace strata::postgres {

Plan PlanChanges(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                 const MigrationOptions& options);

// DDL for a whole table (for a new table, and for tests).
std::string CreateTableSql(const Table& table);
std::string CreateIndexSql(const Table& table, const Index& index, bool concurrently);

}  // namespace strata::postgres
