#include "postgres/types.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "postgres/pg.h"
#include "schema/types.h"

namespace strata::postgres {

namespace {

std::string Base(const std::string& canonical) { return canonical.substr(0, canonical.find('(')); }
std::string Params(const std::string& canonical) {
  size_t open = canonical.find('(');
  return open == std::string::npos ? "" : canonical.substr(open);
}

}  // namespace

std::string ColumnType(const Column& c) {
  if (const std::string* type = c.DialectType(kDialectName)) return *type;
  if (c.verbatim_type) return c.type;
  const std::string type = CanonicalTypeName(c.type);
  const std::string base = Base(type), params = Params(type);
  if (base == "INTEGER" || base == "INT" || base == "BIGINT") return "bigint";
  if (base == "SMALLINT" || base == "TINYINT") return "smallint";
  if (base == "MEDIUMINT") return "integer";
  if (base == "TEXT" || base == "CLOB") return "text";
  if (base == "VARCHAR" || base == "NVARCHAR") return "varchar" + params;
  if (base == "CHAR" || base == "NCHAR") return "char" + params;
  if (base == "REAL" || base == "DOUBLE" || base == "FLOAT") return "double precision";
  if (base == "NUMERIC" || base == "DECIMAL") return "numeric" + params;
  if (base == "BOOLEAN") return "boolean";
  if (base == "DATE") return "date";
  if (base == "DATETIME" || base == "TIMESTAMP") return "timestamptz";
  if (base == "TIME") return "time";
  if (base == "BLOB") return "bytea";
  if (base == "JSON") return "jsonb";
  if (base == "UUID") return "uuid";
  return AsciiLower(type);
}

std::optional<std::string> TypeProblem(const Column& c) {
  const bool typed_as_written = c.verbatim_type || c.DialectType(kDialectName);
  if (!typed_as_written && Base(CanonicalTypeName(c.type)) == "ANY")
    return "type ANY (SQLite's STRICT \"any value\") has no PostgreSQL equivalent; give the column a PostgreSQL type "
           "with `dialect_types: {postgres: ...}` (jsonb, text, ...)";
  if (c.generated && !c.generated->stored)
    return "a VIRTUAL generated column has no PostgreSQL 15 equivalent; declare it stored";
  return std::nullopt;
}

std::string ValueSql(const Value& v, std::string_view pg_type) {
  // An override is spelled as the team wrote it: BOOLEAN, bool.
  const bool boolean = EqualsIgnoreCase(pg_type, "boolean") || EqualsIgnoreCase(pg_type, "bool");
  if (v.is_null()) return "NULL";
  if (const bool* b = std::get_if<bool>(&v.data)) return *b ? "true" : "false";
  if (const int64_t* i = std::get_if<int64_t>(&v.data)) {
    if (boolean) return *i ? "true" : "false";
    return std::to_string(*i);
  }
  if (const double* d = std::get_if<double>(&v.data)) return fmt::format("{}", *d);
  const std::string& s = std::get<std::string>(v.data);
  if (EqualsIgnoreCase(pg_type, "bytea")) return QuoteLiteral(s) + "::bytea";
  return QuoteLiteral(s);
}

std::string DefaultSql(const Column& c) {
  if (!c.default_value) return "";
  if (c.default_value->is_sql()) return "(" + std::string(Trim(c.default_value->sql)) + ")";
  return ValueSql(c.default_value->literal, ColumnType(c));
}

std::string CollateClause(std::string_view collation) {
  if (collation.empty()) return "";
  if (EqualsIgnoreCase(collation, "BINARY")) return " COLLATE \"C\"";
  return " COLLATE " + QuoteIdent(collation);
}

std::optional<std::string> CollationProblem(std::string_view collation) {
  if (EqualsIgnoreCase(collation, "NOCASE") || EqualsIgnoreCase(collation, "RTRIM"))
    return fmt::format("collation {} is SQLite's own; PostgreSQL has no such collation (use a "
                       "nondeterministic ICU collation or lower() in an expression index)",
                       AsciiUpper(collation));
  return std::nullopt;
}

std::optional<std::string> SqliteOnlyConstruct(std::string_view sql) {
  const std::string lower = AsciiLower(sql);
  for (std::string_view f : {"strftime(", "datetime(", "julianday(", "unixepoch(", "randomblob(", "zeroblob(",
                             "ifnull(", "instr(", "printf(", "group_concat(", "total(", "typeof(", "glob(",
                             "last_insert_rowid(", "changes(", "sqlite_", "date('now'", "time('now'", "rowid", "glob "}) {
    size_t at = lower.find(f);
    if (at == std::string::npos) continue;
    // A whole word: not the tail of a longer name.
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(lower[at - 1])) || lower[at - 1] == '_')) continue;
    std::string name(f);
    while (name.back() == '(' || name.back() == ' ') name.pop_back();
    return name;
  }
  return std::nullopt;
}

bool IsBinaryCompatible(std::string_view from, std::string_view to) {
  const std::string a = AsciiLower(from), b = AsciiLower(to);
  if (a == b) return true;
  if ((a.starts_with("varchar") || a == "text") && b == "text") return true;
  if (a.starts_with("varchar(") && b == "varchar") return true;
  if (a.starts_with("varchar(") && b.starts_with("varchar(")) return std::stoi(a.substr(8)) <= std::stoi(b.substr(8));
  return false;
}

bool NarrowsType(const Column& from, const Column& to) {
  const std::string a = AsciiLower(ColumnType(from)), b = AsciiLower(ColumnType(to));
  if (IsBinaryCompatible(a, b)) return false;
  if (b == "text") return a == "bytea";
  // Each type converts without loss to every type after it.
  static constexpr std::string_view kIntegers[] = {"smallint", "integer", "bigint", "numeric"};
  const auto rank = [](std::string_view t) {
    for (size_t i = 0; i < std::size(kIntegers); ++i)
      if (t == kIntegers[i]) return static_cast<int>(i);
    return -1;
  };
  if (rank(a) >= 0 && rank(b) > rank(a)) return false;
  if (b == "double precision" && (a == "real" || a == "smallint" || a == "integer")) return false;
  if (a == "date" && (b == "timestamp" || b == "timestamptz")) return false;
  return true;
}

}  // namespace strata::postgres
