#include "schema/validate.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata {

namespace {

// Case-insensitive first-seen registry, reporting the duplicates it meets.
class NameRegistry {
 public:
  NameRegistry(std::string what, Diagnostics& d, std::string where = "")
      : what_(std::move(what)), where_(std::move(where)), diagnostics_(d) {}
  bool Add(const std::string& name, const SourcePos& pos) {
    auto [it, inserted] = seen_.emplace(AsciiLower(name), pos);
    if (!inserted)
      diagnostics_.Error(pos, fmt::format("duplicate {} \"{}\"{}", what_, name, where_),
                         {{it->second, "first defined here"}});
    return inserted;
  }

 private:
  std::string what_;
  std::string where_;
  Diagnostics& diagnostics_;
  std::map<std::string, SourcePos> seen_;
};

bool SameColumns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  std::set<std::string> left, right;
  for (const auto& s : a) left.insert(AsciiLower(s));
  for (const auto& s : b) right.insert(AsciiLower(s));
  return left == right;
}

// SQLite needs the parent key of a foreign key to be the primary key or to
// carry a UNIQUE constraint or unique index; otherwise every write to the
// child fails with "foreign key mismatch".
bool IsUniqueKey(const Table& t, const std::vector<std::string>& columns) {
  if (SameColumns(t.PrimaryKeyColumns(), columns)) return true;
  if (columns.size() == 1) {
    const Column* c = t.FindColumn(columns[0]);
    if (c && c->unique) return true;
  }
  for (const UniqueConstraint& u : t.uniques)
    if (SameColumns(u.columns, columns)) return true;
  for (const Index& i : t.indexes) {
    if (!i.unique || !i.where.empty()) continue;
    std::vector<std::string> cols;
    for (const IndexPart& p : i.parts) cols.push_back(p.column);
    if (SameColumns(cols, columns)) return true;
  }
  return false;
}

void CheckColumnsExist(const Table& t, const std::vector<std::string>& columns, const SourcePos& pos,
                       std::string_view what, Diagnostics& d) {
  for (const std::string& c : columns)
    if (!t.FindColumn(c))
      d.Error(pos, fmt::format("{} names column \"{}\", which table \"{}\" does not have", what, c,
                               t.name));
}

void ValidateForeignKey(const Schema& schema, const Table& t, const ForeignKey& fk, Diagnostics& d) {
  CheckColumnsExist(t, fk.columns, fk.pos, "foreign key", d);
  const Table* parent = schema.FindTable(fk.ref_table);
  if (!parent) {
    d.Error(fk.pos, fmt::format("foreign key references table \"{}\", which does not exist",
                                fk.ref_table));
    return;
  }
  const std::vector<std::string> ref_columns = fk.ParentColumns(*parent);
  for (const std::string& c : ref_columns)
    if (!parent->FindColumn(c)) {
      d.Error(fk.pos, fmt::format("foreign key references column \"{}.{}\", which does not exist",
                                  parent->name, c),
              {{parent->pos, fmt::format("table \"{}\" is defined here", parent->name)}});
      return;
    }
  if (ref_columns.size() != fk.columns.size()) {
    d.Error(fk.pos, fmt::format("foreign key has {} column(s) but references {} column(s) of \"{}\"",
                                fk.columns.size(), ref_columns.size(), parent->name));
    return;
  }
  if (!IsUniqueKey(*parent, ref_columns))
    d.Error(fk.pos,
            fmt::format("foreign key references {} of \"{}\", which is neither its primary key nor "
                        "unique (SQLite reports \"foreign key mismatch\" on every write)",
                        JoinQuoted(ref_columns), parent->name));
}

void ValidatePrimaryKey(const Table& t, Diagnostics& d) {
  int column_level = 0;
  for (const Column& c : t.columns) {
    if (c.primary_key) ++column_level;
    // What else a table option rules out (autoincrement in a without_rowid
    // table) is the dialect's to say.
    if (c.autoincrement && (!c.primary_key || AsciiUpper(c.type) != "INTEGER"))
      d.Error(c.pos, fmt::format("column \"{}\": autoincrement needs an INTEGER primary_key column", c.name));
  }
  if (column_level > 1)
    d.Error(t.pos, fmt::format("table \"{}\" marks {} columns as primary_key; declare a composite "
                               "key with the table's primary_key list", t.name, column_level));
  if (column_level > 0 && !t.primary_key.empty())
    d.Error(t.pos, fmt::format("table \"{}\" declares a primary key both on a column and on the "
                               "table", t.name));
  CheckColumnsExist(t, t.primary_key, t.pos, "primary_key", d);
}

void ValidateRows(const Table& t, Diagnostics& d) {
  if (t.rows.empty()) return;
  std::vector<std::string> key = t.row_key.empty() ? t.PrimaryKeyColumns() : t.row_key;
  if (key.empty()) {
    d.Error(t.rows.front().pos,
            fmt::format("rows of table \"{}\" need a key: declare rows.key or a primary key", t.name));
    return;
  }
  CheckColumnsExist(t, key, t.rows.front().pos, "rows key", d);
  std::map<std::string, SourcePos> seen_keys;
  for (const ReferenceRow& row : t.rows) {
    for (const auto& [column, value] : row.values)
      if (!t.FindColumn(column))
        d.Error(row.pos, fmt::format("row sets column \"{}\", which table \"{}\" does not have",
                                     column, t.name));
    std::string key_text;
    for (const std::string& k : key) {
      const Value* v = row.Find(k);
      if (!v || v->is_null()) {
        d.Error(row.pos, fmt::format("row of table \"{}\" has no value for key column \"{}\"",
                                     t.name, k));
        key_text.clear();
        break;
      }
      key_text += v->ToString() + "|";
    }
    for (const Column& c : t.columns) {
      // An INTEGER primary key may be left to the database; a dialect that
      // assigns it only in some cases says so (PostgreSQL: identity columns).
      const bool database_assigned = c.primary_key && AsciiUpper(c.type) == "INTEGER";
      if (!c.nullable && !c.default_value && !database_assigned && !row.Find(c.name))
        d.Error(row.pos, fmt::format("row of table \"{}\" has no value for column \"{}\", which is "
                                     "NOT NULL without a default", t.name, c.name));
    }
    if (key_text.empty()) continue;
    auto [it, inserted] = seen_keys.emplace(key_text, row.pos);
    if (!inserted)
      d.Error(row.pos, fmt::format("duplicate row key in table \"{}\"", t.name),
              {{it->second, "first defined here"}});
  }
}

}  // namespace

void ValidateSchema(const Schema& schema, Diagnostics& d) {
  NameRegistry tables("table", d);
  // SQLite keeps tables and indexes in one namespace.
  NameRegistry objects("index name", d);
  NameRegistry data_checks("data check", d);
  NameRegistry queries("query", d);
  for (const Table& t : schema.tables) {
    tables.Add(t.name, t.pos);
    if (t.columns.empty())
      d.Error(t.pos, fmt::format("table \"{}\" has no columns", t.name));
    NameRegistry columns("column", d, fmt::format(" in table \"{}\"", t.name));
    for (const Column& c : t.columns) columns.Add(c.name, c.pos);
    ValidatePrimaryKey(t, d);
    for (const UniqueConstraint& u : t.uniques) CheckColumnsExist(t, u.columns, u.pos, "unique", d);
    for (const ForeignKey& fk : t.foreign_keys) ValidateForeignKey(schema, t, fk, d);
    for (const Index& i : t.indexes) {
      if (schema.FindTable(i.name))
        d.Error(i.pos, fmt::format("index \"{}\" has the name of a table", i.name));
      objects.Add(i.name, i.pos);
      for (const IndexPart& p : i.parts)
        if (p.expression.empty() && !t.FindColumn(p.column))
          d.Error(i.pos, fmt::format("index \"{}\" names column \"{}\", which table \"{}\" does not "
                                     "have", i.name, p.column, t.name));
    }
    for (const DataCheck& c : t.data_checks) data_checks.Add(c.name, c.pos);
    ValidateRows(t, d);
  }
  for (const Query& q : schema.queries) queries.Add(q.name, q.pos);
}

void ValidateVersionedSchema(const VersionedSchema& schema, Diagnostics& d) {
  for (int tag = 0; tag <= schema.project.last_tag(); ++tag) ValidateSchema(schema.At(tag), d);
}

}  // namespace strata
