// Creates a schema in an empty database in one transaction: tables, indexes
// and reference rows appear together or not at all.
#pragma once

#include "base/status.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// Fails with kInvalidInput, changing nothing, when the database already
// holds tables; fails with kDatabase, changing nothing, when a statement
// fails.
Status CreateSchema(Database& db, const Schema& schema);

}  // namespace strata::sqlite
