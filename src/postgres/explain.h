// Index plans for PostgreSQL: each declared query's generic plan (the one
// a prepared statement gets, whatever its parameters), classified into the
// neutral PlanStep kinds; the indexes that are missing (a declared query
// that reads a large table in full, a foreign key whose child columns lead
// no index), each with the CREATE INDEX that fixes it, checked by the
// server; the indexes that are redundant; and whether the tables have
// statistics at all, without which the plans are guesses.
//
// Nothing is committed. Plans are read in transactions that are rolled
// back. A suggested index is checked by building it in such a transaction
// (lock_timeout 1 s, statement_timeout kVerifyTimeout) and planning again;
// the build holds a SHARE lock on its table, which blocks writes to it
// until the rollback. CREATE INDEX also refreshes the table's size
// estimate (pg_class.relpages, reltuples) outside the transaction, as
// VACUUM would; no schema object, row or column statistic changes. ANALYZE
// is never run: a table without statistics is reported in a note.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dialect/index_plan.h"
#include "postgres/pg.h"
#include "schema/table.h"

namespace strata::postgres {

// How long one suggested index may take to build before it is reported
// unchecked: it blocks writes to its table meanwhile.
inline constexpr std::string_view kVerifyTimeout = "10s";

// Explains every query of `declared` on `session`'s database (its current
// schema) and looks for missing and redundant indexes. `declared` supplies
// the queries and which tables are large; `indexed` (the live tables as
// inspected, or the declared schema where the dialect cannot inspect)
// supplies the indexes and constraints compared for redundancy, restricted
// to those the database holds. Fails only when the catalogs cannot be read
// or a transaction is already open; a query that does not plan is reported
// in its QueryPlan.
Result<ExplainReport> Explain(PgSession& session, const Schema& declared, const Schema& indexed);

// The generic plan of one statement, classified. SQLite-style placeholders
// are numbered first (see NumberedParameters). `setup` runs first, in the
// same transaction, which is rolled back (e.g. `SET LOCAL enable_seqscan =
// off`, or a DROP INDEX to see the plan without that index).
Result<std::vector<PlanStep>> ExplainQueryPlan(PgSession& session, const std::string& sql,
                                               const std::vector<std::string>& setup = {});

// `sql` with SQLite's placeholders (`?`, `?NNN`, `:name`) written as
// PostgreSQL's `$n`, outside strings, quoted identifiers and comments, so
// that a query declared for both dialects prepares on PostgreSQL.
std::string NumberedParameters(std::string_view sql);

}  // namespace strata::postgres
