// Index plans for SQLite: each declared query's EXPLAIN QUERY PLAN,
// classified; the indexes that are missing (a query that scans a table, a
// foreign key whose child columns lead no index), each with the CREATE
// INDEX that fixes it, tried out first on an in-memory copy of the schema;
// and the indexes that are redundant because another index (possibly the
// one SQLite creates for a PRIMARY KEY or UNIQUE constraint) already
// serves every lookup they serve.
//
// The live database is only read: every experiment runs on an in-memory
// database that holds the same tables, indexes, views and statistics but
// no rows, so the file is byte-identical afterwards.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table.h"
#include "dialect/index_plan.h"
#include "sqlite/database.h"
#include "sqlite/query_plan.h"  // ExplainQueryPlan, for one statement

namespace strata::sqlite {

// Explains every query of `schema` on `db` and looks for missing and
// redundant indexes among the live tables. `schema` supplies the queries
// and which tables are large; the indexes are read from `db` itself. `db`
// is only read. Fails only when the database cannot be read; a query that
// does not prepare is reported in its QueryPlan.
Result<ExplainReport> Explain(Database& db, const Schema& schema);

}  // namespace strata::sqlite
