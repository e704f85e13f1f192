// How the YAML's column types, defaults and collations are spelled in
// PostgreSQL (see docs/postgres.md for the table), and what PostgreSQL
// cannot express.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema/table.h"

namespace strata::postgres {

// The dialect's name: what a project's `dialects:` and a column's
// `dialect_types` call it.
inline constexpr std::string_view kDialectName = "postgres";

// The PostgreSQL type of a column: "bigint", "varchar(40)", "timestamptz".
// The column's `postgres` override, or else a verbatim type (`sql_type`),
// is used as written.
std::string ColumnType(const Column& column);

// Why the column's type cannot be mapped, or nullopt. A `postgres`
// override is the team's answer for the type, so only what the type
// cannot fix (a VIRTUAL generated column) is left to complain about.
std::optional<std::string> TypeProblem(const Column& column);

// The DEFAULT expression ("" for none). Literals are spelled for the
// column's type (0/1 become false/true for a boolean).
std::string DefaultSql(const Column& column);

// The COLLATE clause ("" for none): BINARY becomes "C" (byte order).
std::string CollateClause(std::string_view collation);
std::optional<std::string> CollationProblem(std::string_view collation);

// A literal for a value in a column of `type` (for reference rows).
std::string ValueSql(const Value& value, std::string_view pg_type);

// The first SQLite-only construct in SQL text (strftime(, datetime('now'),
// ...), or nullopt.
std::optional<std::string> SqliteOnlyConstruct(std::string_view sql);

// True when changing `from` to `to` needs no table rewrite (varchar(n) to
// a longer varchar or to text, numeric to a wider precision).
bool IsBinaryCompatible(std::string_view from, std::string_view to);

// Whether `ALTER COLUMN ... TYPE to USING col::to` can lose, change or
// reject stored values. Widening is not: a longer varchar, anything but
// bytea to text, smallint to integer to bigint to numeric, real to double
// precision, a date to a timestamp. The rest is, timestamp to timestamptz
// too (its values are read in the session's time zone).
bool NarrowsType(const Column& from, const Column& to);

}  // namespace strata::postgres
