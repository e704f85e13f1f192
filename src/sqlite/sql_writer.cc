#include "sqlite/sql_writer.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "plan/sql_layout.h"

namespace strata::sqlite {

std::string QuoteIdentifier(std::string_view name) { return QuoteName(name); }

std::string QuoteString(std::string_view text) { return QuoteText(text); }

std::string RenderLiteral(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "TRUE" : "FALSE"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      std::string text = fmt::format("{}", d);
      // Keep it a REAL: "1" would read back as an INTEGER.
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return text;
    }
    std::string operator()(const std::string& s) const { return QuoteString(s); }
  };
  return std::visit(Visitor{}, value.data);
}

// SQLite accepts these keywords bare after DEFAULT; anything else that is an
// expression needs parentheses.
static bool IsBareDefaultKeyword(std::string_view sql) {
  std::string upper = AsciiUpper(Trim(sql));
  return upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE" || upper == "CURRENT_TIME";
}

std::string RenderDefault(const DefaultValue& value) {
  if (!value.is_sql()) return RenderLiteral(value.literal);
  if (IsBareDefaultKeyword(value.sql)) return std::string(Trim(value.sql));
  return "(" + value.sql + ")";
}

std::string RenderColumnList(const std::vector<std::string>& columns) {
  std::string out = "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(columns[i]);
  }
  return out + ")";
}

// " ON CONFLICT REPLACE", or "" for ABORT (what no clause means).
static std::string ConflictClause(ConflictResolution r) {
  return r == ConflictResolution::kAbort ? "" : fmt::format(" ON CONFLICT {}", ConflictResolutionName(r));
}

const std::string& DeclaredType(const Column& c) {
  const std::string* type = c.DialectType(kDialectName);
  return type ? *type : c.type;
}

std::string ColumnDefinitionSql(const Column& c) {
  std::string out = QuoteIdentifier(c.name);
  if (const std::string& type = DeclaredType(c); !type.empty()) out += " " + type;
  if (c.primary_key)
    out += " PRIMARY KEY" + ConflictClause(c.primary_key_on_conflict) + (c.autoincrement ? " AUTOINCREMENT" : "");
  if (!c.nullable) out += " NOT NULL" + ConflictClause(c.not_null_on_conflict);
  if (c.unique) out += " UNIQUE" + ConflictClause(c.unique_on_conflict);
  if (c.default_value) out += " DEFAULT " + RenderDefault(*c.default_value);
  if (!c.collation.empty()) out += " COLLATE " + c.collation;
  if (!c.check.empty()) out += " CHECK (" + c.check + ")";
  if (c.generated)
    out += " GENERATED ALWAYS AS (" + c.generated->expr + ")" + (c.generated->stored ? " STORED" : " VIRTUAL");
  return out;
}

static std::string ForeignKeyClause(const ForeignKey& fk) {
  std::string out = fmt::format("FOREIGN KEY {} REFERENCES {}", RenderColumnList(fk.columns),
                                QuoteIdentifier(fk.ref_table));
  if (!fk.ref_columns.empty()) {
    out += ' ';
    out += RenderColumnList(fk.ref_columns);
  }
  if (fk.on_delete != FkAction::kNoAction) out += fmt::format(" ON DELETE {}", FkActionName(fk.on_delete));
  if (fk.on_update != FkAction::kNoAction) out += fmt::format(" ON UPDATE {}", FkActionName(fk.on_update));
  if (fk.deferred) out += " DEFERRABLE INITIALLY DEFERRED";
  return out;
}

std::string CreateTableSql(const Table& table, std::string_view name) {
  std::vector<std::string> lines;
  for (const Column& c : table.columns) lines.push_back(ColumnDefinitionSql(c));
  if (!table.primary_key.empty())
    lines.push_back("PRIMARY KEY " + RenderColumnList(table.primary_key) + ConflictClause(table.primary_key_on_conflict));
  for (const UniqueConstraint& u : table.uniques)
    lines.push_back("UNIQUE " + RenderColumnList(u.columns) + ConflictClause(u.on_conflict));
  for (const ForeignKey& fk : table.foreign_keys) lines.push_back(ForeignKeyClause(fk));
  for (const CheckConstraint& ck : table.checks) {
    std::string prefix = ck.name.empty() ? "" : "CONSTRAINT " + QuoteIdentifier(ck.name) + " ";
    lines.push_back(prefix + "CHECK (" + ck.expr + ")");
  }
  std::string out = fmt::format("CREATE TABLE {} (\n", QuoteIdentifier(name.empty() ? table.name : name));
  for (size_t i = 0; i < lines.size(); ++i)
    out += "  " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
  out += ")";
  std::vector<std::string> options;
  if (table.without_rowid) options.push_back("WITHOUT ROWID");
  if (table.strict) options.push_back("STRICT");
  for (size_t i = 0; i < options.size(); ++i) out += (i == 0 ? " " : ", ") + options[i];
  return out;
}

std::string CreateIndexSql(const Table& table, const Index& index) {
  std::string parts;
  for (size_t i = 0; i < index.parts.size(); ++i) {
    const IndexPart& p = index.parts[i];
    if (i > 0) parts += ", ";
    parts += p.expression.empty() ? QuoteIdentifier(p.column) : "(" + p.expression + ")";
    if (!p.collation.empty()) parts += " COLLATE " + p.collation;
    if (p.descending) parts += " DESC";
  }
  std::string out = fmt::format("CREATE {}INDEX {} ON {} ({})", index.unique ? "UNIQUE " : "",
                                QuoteIdentifier(index.name), QuoteIdentifier(table.name), parts);
  if (!index.where.empty()) out += " WHERE " + index.where;
  return out;
}

std::string InsertRowSql(const Table& table, const ReferenceRow& row) {
  std::vector<std::string> columns;
  std::string values;
  for (const auto& [column, value] : row.values) {
    columns.push_back(column);
    values += (values.empty() ? "" : ", ") + RenderLiteral(value);
  }
  return WrapSql(fmt::format("{} INTO {} {} VALUES ({})", WriteVerb(table, "INSERT"), QuoteIdentifier(table.name),
                     RenderColumnList(columns), values));
}

std::string WriteVerb(const Table& table, std::string_view verb) {
  return table.HasConflictClause() ? fmt::format("{} OR ABORT", verb) : std::string(verb);
}

std::string CreateTableWithIndexesSql(const Table& table) {
  std::string out = CreateTableSql(table) + ";\n";
  for (const Index& i : table.indexes) out += CreateIndexSql(table, i) + ";\n";
  for (const ReferenceRow& r : table.rows) out += InsertRowSql(table, r) + ";\n";
  return out;
}

std::string CreateSchemaSql(const Schema& schema) {
  std::string out;
  for (const Table& t : schema.tables) out += CreateTableWithIndexesSql(t);
  // Triggers and views may read any table, so they come after all of them.
  for (const Table& t : schema.tables)
    for (const Trigger& trigger : t.triggers) out += trigger.sql + ";\n";
  for (const View& v : schema.views) out += CreateViewSql(v);
  return out;
}

std::string CreateViewSql(const View& view) {
  std::string out = view.sql + ";\n";
  for (const Trigger& t : view.triggers) out += t.sql + ";\n";
  return out;
}

}  // namespace strata::sqlite
