// SQL text for SQLite: the only place where strata assembles SQL. Every
// identifier is quoted; only expressions the YAML marks as SQL (default_sql,
// check, where, data checks) are pasted verbatim.
#pragma once

#include <string>
#include <string_view>

#include "schema/table.h"

namespace strata::sqlite {

// The dialect's name: what a project's `dialects:` and a column's
// `dialect_types` call it.
inline constexpr std::string_view kDialectName = "sqlite";

std::string QuoteIdentifier(std::string_view name);       // "na""me"
std::string QuoteString(std::string_view text);            // 'it''s'
std::string RenderLiteral(const Value& value);             // NULL, TRUE, 42, 'x'
std::string RenderDefault(const DefaultValue& value);      // the text after DEFAULT
std::string RenderColumnList(const std::vector<std::string>& columns);  // ("a", "b")

// The type SQLite is given for a column: its `sqlite` override, as written,
// or else its type; SQLite's affinity rules decide how values are stored.
const std::string& DeclaredType(const Column& column);

// A column as it appears in CREATE TABLE or ALTER TABLE ADD COLUMN.
std::string ColumnDefinitionSql(const Column& column);

// CREATE TABLE with every column and table constraint; `name` overrides the
// table's name (a rebuild creates the new table under a temporary name).
std::string CreateTableSql(const Table& table, std::string_view name = {});
std::string CreateIndexSql(const Table& table, const Index& index);
// INSERT of one reference row.
std::string InsertRowSql(const Table& table, const ReferenceRow& row);

// "INSERT" or "UPDATE" (`verb`) for strata's own writes to the rows of
// `table` (a rebuild's copy, reference rows), with OR ABORT when a
// constraint of the table has an ON CONFLICT clause, so that a conflict
// fails the statement as the migration's checks expect. ROLLBACK would end
// the transaction while a shell goes on with the script in autocommit, and
// IGNORE or REPLACE would lose rows without a word.
std::string WriteVerb(const Table& table, std::string_view verb);

// CREATE TABLE, its indexes and its reference rows, each statement ending
// in ";\n".
std::string CreateTableWithIndexesSql(const Table& table);
// The whole schema: tables in declared order (SQLite does not check a
// foreign key's parent at CREATE time), then their indexes and rows.
std::string CreateSchemaSql(const Schema& schema);
// A view and its INSTEAD OF triggers, each statement ending in ";\n".
std::string CreateViewSql(const View& view);

}  // namespace strata::sqlite
