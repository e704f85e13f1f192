// The TableDigest of an SQLite table: every row read once, each value
// hashed with its storage class (1, 1.0, '1' and x'31' differ).
#pragma once

#include "dialect/table_digest.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// Reads every row of `table` (its columns as Inspect() lists them).
Result<TableDigest> DigestTable(Database& db, const Table& table);

}  // namespace strata::sqlite
