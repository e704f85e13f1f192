// The generalized ALTER TABLE procedure of SQLite's documentation
// (lang_altertable.html section 7), for changes ALTER TABLE cannot express:
// create the new table under a temporary name, copy the rows (rowids
// included), drop the old table, rename the new one into place, then restore
// the AUTOINCREMENT counter and the indexes.
//
// Foreign keys must be off (the script turns them off outside its
// transaction and verifies it), so the DROP fires no ON DELETE action; the
// old table is never renamed first, which would re-point the children's
// foreign keys at the old name. The postchecks compare the row count with a
// snapshot taken before, and run foreign_key_check on the table and on every
// table that references it.
#pragma once

#include <string>

#include "plan/plan.h"
#include "schema/table.h"

namespace strata::sqlite {

// `from` is the table as it is when the rebuild starts (after any native
// column renames); `to` the definition to reach. `row_delta` is the change
// in row count the plan makes afterwards (reference rows inserted minus
// deleted), for the count postcheck.
// `name_before` is the table's name before a rename in the same migration:
// the snapshots run before every step.
void PlanTableRebuild(const Table& from, const std::string& name_before, const Table& to, const Schema& to_schema,
                      const std::string& reason, int64_t row_delta, Plan& plan);

// A postcheck that the foreign keys of `table` hold (pragma_foreign_key_check
// scoped to that table), described as "foreign keys of "t" hold <why>".
Check ForeignKeysHold(const std::string& table, const std::string& why);

// The temporary name a rebuild creates the new table under.
std::string RebuildTempName(const std::string& table);

}  // namespace strata::sqlite
