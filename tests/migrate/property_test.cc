// A seeded property test of the whole migration path: random source
// schemas with random data consistent with them, random target schemas
// reached only by changes that the data allows, then diff, plan, render,
// and up, down and up again on a real SQLite file (in process). After each
// step the live schema must be the expected one by introspection and every
// kept value must be where it was, row for row.
//
// Changes that hit known planner bugs (see the DISABLED_ scenarios) are not
// generated: dropping or adding a column other than the last one, renaming
// a column that a CHECK, a partial index, a composite UNIQUE constraint or
// another table's foreign key names, renaming a table that a foreign key
// references, an index on a column with a collation, and WITHOUT ROWID keys
// not declared NOT NULL.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "diff/differ.h"
#include "migrate/scenario_harness.h"
#include "schema/validate.h"
#include "schema_compare.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"
#include "test_util.h"

namespace strata::testing {
namespace {

constexpr uint64_t kBaseSeed = 20240611;
constexpr int kPairs = 1000;

enum class Kind { kInt, kText, kReal, kNumeric };

const std::vector<std::string>& TypesOf(Kind k) {
  static const std::vector<std::string> kInt = {"INTEGER", "INT", "BIGINT"};
  static const std::vector<std::string> kText = {"TEXT", "VARCHAR(40)", "CLOB"};
  static const std::vector<std::string> kReal = {"REAL", "DOUBLE", "FLOAT"};
  static const std::vector<std::string> kNumeric = {"NUMERIC", "DECIMAL(10,2)"};
  switch (k) {
    case Kind::kInt: return kInt;
    case Kind::kText: return kText;
    case Kind::kReal: return kReal;
    case Kind::kNumeric: return kNumeric;
  }
  return kInt;
}

Kind KindOf(const std::string& type) {
  for (Kind k : {Kind::kInt, Kind::kText, Kind::kReal, Kind::kNumeric})
    for (const std::string& t : TypesOf(k))
      if (t == type) return k;
  ADD_FAILURE() << "unknown type " << type;
  return Kind::kInt;
}

bool Mentions(const std::string& sql, const std::string& word) {
  for (size_t at = sql.find(word); at != std::string::npos; at = sql.find(word, at + 1)) {
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    bool starts = at == 0 || !ident(sql[at - 1]);
    bool ends = at + word.size() >= sql.size() || !ident(sql[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int Below(int n) { return n <= 1 ? 0 : static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(static_cast<int>(v.size()))]; }

  Value LiteralOf(Kind k) {
    switch (k) {
      case Kind::kInt: return Value::Int(Below(50));
      case Kind::kText: return Value::Text(std::string(1, static_cast<char>('a' + Below(4))));
      case Kind::kReal: return Value::Real(Below(8) + 0.5);
      case Kind::kNumeric: return Value::Int(Below(9));
    }
    return Value::Null();
  }

  Column RandomColumn(const std::string& name) {
    Column c;
    c.name = name;
    Kind k = static_cast<Kind>(Below(4));
    c.type = Pick(TypesOf(k));
    c.nullable = Chance(70);
    if (!c.nullable || Chance(30)) c.default_value = DefaultValue::Literal(LiteralOf(k));
    if (k == Kind::kText && Chance(15)) c.collation = Pick(std::vector<std::string>{"NOCASE", "RTRIM"});
    return c;
  }

  Schema RandomSchema() {
    Schema s;
    int tables = 1 + Below(4);
    for (int i = 0; i < tables; ++i) s.tables.push_back(RandomTable("t" + std::to_string(i), s));
    return s;
  }

  Table RandomTable(const std::string& name, const Schema& existing) {
    Table t;
    t.name = name;
    int key = Below(100);
    if (key < 65) {
      Column id{.name = "id", .type = Chance(85) ? "INTEGER" : "BIGINT", .primary_key = true};
      if (id.type == "INTEGER" && Chance(25)) id.autoincrement = true;
      t.columns.push_back(id);
    } else if (key < 82) {
      t.columns.push_back(Column{.name = "code", .type = "TEXT", .nullable = false, .primary_key = true});
      t.without_rowid = Chance(50);
    } else {
      t.columns.push_back(Column{.name = "k1", .type = "INTEGER", .nullable = false});
      t.columns.push_back(Column{.name = "k2", .type = "TEXT", .nullable = false});
      t.primary_key = {"k1", "k2"};
      t.without_rowid = Chance(30);
    }
    int extra = 1 + Below(4);
    for (int j = 0; j < extra; ++j) {
      Column c = RandomColumn("c" + std::to_string(next_column_++));
      if (Chance(12) && c.nullable) c.unique = true;
      t.columns.push_back(c);
    }
    // Foreign keys to earlier tables (or to itself) with an INTEGER key.
    std::vector<const Table*> parents;
    for (const Table& p : existing.tables)
      if (HasIntKey(p)) parents.push_back(&p);
    if (HasIntKey(t)) parents.push_back(&t);
    if (!parents.empty() && Chance(55)) {
      int n = 1 + Below(2);
      for (int j = 0; j < n; ++j) {
        const Table* p = Pick(parents);
        AddForeignKeyColumn(t, p == &t ? t.name : p->name);
      }
    }
    for (int j = Below(3); j > 0; --j) AddRandomIndex(t);
    if (Chance(20)) {
      // A composite UNIQUE on a distinct column and another one.
      std::vector<std::string> cols = PlainColumns(t);
      if (cols.size() >= 2) {
        std::string a = Pick(cols), b = Pick(cols);
        if (a != b) {
          t.uniques.push_back(UniqueConstraint{{a, b}, {}});
          distinct_[t.name + "." + a] = true;
        }
      }
    }
    for (const Column& c : t.columns)
      if (c.unique) distinct_[t.name + "." + c.name] = true;
    if (Chance(25)) {
      for (const Column& c : t.columns)
        if (!c.primary_key && KindOf(c.type) == Kind::kInt && !IsForeignKeyColumn(t, c.name)) {
          t.checks.push_back(CheckConstraint{"", c.name + " >= 0", {}});
          break;
        }
    }
    return t;
  }

  static bool HasIntKey(const Table& t) {
    std::vector<std::string> pk = t.PrimaryKeyColumns();
    if (pk.size() != 1) return false;
    const Column* c = t.FindColumn(pk[0]);
    return c && KindOf(c->type) == Kind::kInt;
  }

  static bool IsForeignKeyColumn(const Table& t, const std::string& column) {
    for (const ForeignKey& fk : t.foreign_keys)
      if (Contains(fk.columns, column)) return true;
    return false;
  }

  static bool IsKeyColumn(const Table& t, const std::string& column) {
    return Contains(t.PrimaryKeyColumns(), column);
  }

  // Columns that are neither key nor foreign key columns.
  static std::vector<std::string> PlainColumns(const Table& t) {
    std::vector<std::string> out;
    for (const Column& c : t.columns)
      if (!IsKeyColumn(t, c.name) && !IsForeignKeyColumn(t, c.name)) out.push_back(c.name);
    return out;
  }

  void AddForeignKeyColumn(Table& t, const std::string& parent) {
    Column c{.name = "f" + std::to_string(next_column_++), .type = "INTEGER"};
    t.columns.push_back(c);
    ForeignKey fk;
    fk.columns = {c.name};
    fk.ref_table = parent;
    if (Chance(50)) fk.ref_columns = {"id"};
    fk.on_delete = Pick(std::vector<FkAction>{FkAction::kNoAction, FkAction::kCascade, FkAction::kSetNull});
    t.foreign_keys.push_back(fk);
  }

  void AddRandomIndex(Table& t) {
    std::vector<std::string> cols;
    for (const Column& c : t.columns)
      if (c.collation.empty() && !IsKeyColumn(t, c.name)) cols.push_back(c.name);
    if (cols.empty()) return;
    Index index;
    index.name = "ix" + std::to_string(next_index_++) + "_" + t.name;
    std::set<std::string> used;
    for (int n = 1 + Below(2); n > 0; --n) {
      std::string c = Pick(cols);
      if (used.insert(c).second) index.parts.push_back({c, Chance(40), ""});
    }
    if (Chance(30)) index.where = index.parts[0].column + " IS NOT NULL";
    t.indexes.push_back(std::move(index));
  }

  // Data: rows for every table, parents first, consistent with the schema.
  std::string RandomData(const Schema& s) {
    std::string sql;
    std::map<std::string, std::vector<int64_t>> keys;  // table -> INTEGER key values
    for (const Table& t : s.tables) {
      int rows = Below(13);
      std::vector<int64_t>& own = keys[t.name];
      for (int r = 0; r < rows; ++r) {
        std::string names, values;
        for (const Column& c : t.columns) {
          std::string v = ValueFor(t, c, r, keys, own);
          names += (names.empty() ? "" : ", ") + sqlite::QuoteIdentifier(c.name);
          values += (values.empty() ? "" : ", ") + v;
        }
        sql += "INSERT INTO " + sqlite::QuoteIdentifier(t.name) + " (" + names + ") VALUES (" + values + ");\n";
        std::vector<std::string> pk = t.PrimaryKeyColumns();
        if (pk.size() == 1 && KindOf(t.FindColumn(pk[0])->type) == Kind::kInt) own.push_back(3 * r + 1);
      }
    }
    return sql;
  }

  std::string ValueFor(const Table& t, const Column& c, int r, const std::map<std::string, std::vector<int64_t>>& keys,
                       const std::vector<int64_t>& own) {
    if (IsKeyColumn(t, c.name)) {
      if (c.name == "id") return std::to_string(3 * r + 1);
      if (c.name == "code") return "'k" + std::to_string(r) + "'";
      if (c.name == "k1") return std::to_string(r % 3);
      return "'p" + std::to_string(r) + "'";
    }
    for (const ForeignKey& fk : t.foreign_keys)
      if (fk.columns[0] == c.name) {
        const std::vector<int64_t>& parent = fk.ref_table == t.name ? own : keys.at(fk.ref_table);
        if (parent.empty() || Chance(25)) return "NULL";
        return std::to_string(Pick(parent));
      }
    if (c.nullable && Chance(20)) return "NULL";
    Kind k = KindOf(c.type);
    if (distinct_.count(t.name + "." + c.name)) {
      switch (k) {
        case Kind::kInt: return std::to_string(100 + r);
        case Kind::kText: return "'u" + std::to_string(r) + "'";
        case Kind::kReal: return std::to_string(r) + ".5";
        case Kind::kNumeric: return std::to_string(r) + ".25";
      }
    }
    switch (k) {
      case Kind::kInt: return std::to_string(Below(6));
      case Kind::kText: return "'" + std::string(1, static_cast<char>('a' + Below(3))) + "'";
      case Kind::kReal: return std::to_string(Below(3)) + ".5";
      case Kind::kNumeric: return Chance(50) ? std::to_string(Below(4)) : std::to_string(Below(4)) + ".5";
    }
    return "NULL";
  }

 private:
  std::mt19937_64 rng_;
  int next_column_ = 0;
  int next_index_ = 0;
  std::map<std::string, bool> distinct_;
};

// --- the target: changes the data allows ------------------------------------

// True when `sql` (a count) returns 0 on the source database.
bool NoRows(sqlite::Database& db, const std::string& count_sql) {
  Result<int64_t> n = db.QueryInt(count_sql);
  EXPECT_TRUE(n.ok()) << count_sql << ": " << n.status().message();
  return n.ok() && *n == 0;
}

std::string Q(const std::string& name) { return sqlite::QuoteIdentifier(name); }

bool ReferencedByOthers(const Schema& s, const std::string& table) {
  for (const Table& t : s.tables)
    for (const ForeignKey& fk : t.foreign_keys)
      if (fk.ref_table == table && t.name != table) return true;
  return false;
}

bool ReferencedByAny(const Schema& s, const std::string& table) {
  for (const Table& t : s.tables)
    for (const ForeignKey& fk : t.foreign_keys)
      if (fk.ref_table == table) return true;
  return false;
}

bool Indexed(const Table& t, const std::string& column) {
  for (const Index& i : t.indexes) {
    if (Mentions(i.where, column)) return true;
    for (const IndexPart& p : i.parts)
      if (p.column == column) return true;
  }
  return false;
}

bool InCompositeUnique(const Table& t, const std::string& column) {
  for (const UniqueConstraint& u : t.uniques)
    if (Contains(u.columns, column)) return true;
  return false;
}

bool InCheck(const Table& t, const std::string& column) {
  for (const CheckConstraint& c : t.checks)
    if (Mentions(c.expr, column)) return true;
  for (const Column& c : t.columns)
    if (Mentions(c.check, column)) return true;
  return false;
}

struct Target {
  Schema schema;
  std::vector<std::string> changes;  // described, for failure messages
};

Target RandomTarget(Generator& g, const Schema& source, sqlite::Database& db, int& new_names) {
  Target out;
  out.schema = source;
  Schema& s = out.schema;
  // Renames last, so that the data queries above them use the source names.
  std::vector<std::pair<std::string, std::string>> column_renames;  // "table.column" -> new name
  std::vector<std::pair<std::string, std::string>> table_renames;
  const int mutations = 1 + g.Below(5);
  for (int m = 0; m < mutations; ++m) {
    if (s.tables.empty()) break;
    Table& t = s.tables[g.Below(static_cast<int>(s.tables.size()))];
    const bool in_source = source.FindTable(t.name) != nullptr;
    // Columns with data: those of the source (the data queries below use them).
    auto has_data = [&](const Column& c) { return in_source && source.FindTable(t.name)->FindColumn(c.name); };
    const std::string table = Q(t.name);
    auto describe = [&](const std::string& what) { out.changes.push_back(t.name + ": " + what); };
    switch (g.Below(17)) {
      case 0: {  // add a column at the end
        Column c = g.RandomColumn("n" + std::to_string(new_names++));
        describe("add column " + c.name);
        t.columns.push_back(c);
        break;
      }
      case 1: {  // drop the last column
        const Column& c = t.columns.back();
        // Down adds it back, filled with its default: that must fit every
        // constraint on it (a NOT NULL column needs the default).
        const bool filled = c.default_value && !c.default_value->literal.is_null();
        bool droppable = !Generator::IsKeyColumn(t, c.name) && !InCompositeUnique(t, c.name) &&
                         (filled ? !c.unique && !InCheck(t, c.name) && !Generator::IsForeignKeyColumn(t, c.name)
                                 : c.nullable);
        if (!droppable || t.columns.size() < 2) break;
        describe("drop column " + c.name);
        std::string name = c.name;
        std::erase_if(t.indexes, [&](const Index& i) {
          return Mentions(i.where, name) ||
                 std::any_of(i.parts.begin(), i.parts.end(), [&](const IndexPart& p) { return p.column == name; });
        });
        std::erase_if(t.foreign_keys, [&](const ForeignKey& fk) { return Contains(fk.columns, name); });
        std::erase_if(t.checks, [&](const CheckConstraint& ck) { return Mentions(ck.expr, name); });
        t.columns.pop_back();
        break;
      }
      case 2: {  // rename a column
        std::vector<std::string> cols;
        for (const Column& c : t.columns)
          if (has_data(c) && !Generator::IsKeyColumn(t, c.name) && !InCompositeUnique(t, c.name) &&
              !InCheck(t, c.name))
            cols.push_back(c.name);
        bool partial = false;
        for (const std::string& c : cols)
          for (const Index& i : t.indexes) partial = partial || Mentions(i.where, c);
        if (cols.empty() || partial) break;
        std::string c = g.Pick(cols);
        std::string to = "r" + std::to_string(new_names++);
        describe("rename column " + c + " to " + to);
        column_renames.push_back({t.name + "." + c, to});
        break;
      }
      case 3: {  // change a type within its affinity
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (c.autoincrement || (Generator::IsKeyColumn(t, c.name) && t.primary_key.size() > 1)) break;
        if (Generator::IsForeignKeyColumn(t, c.name)) break;
        if (ReferencedByAny(s, t.name) && Generator::IsKeyColumn(t, c.name)) break;
        std::string type = g.Pick(TypesOf(KindOf(c.type)));
        if (type == c.type) break;
        describe("type of " + c.name + " " + c.type + " -> " + type);
        c.type = type;
        break;
      }
      case 4: {  // nullability
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (Generator::IsKeyColumn(t, c.name) || !has_data(c)) break;
        if (c.nullable) {
          if (!NoRows(db, "SELECT count(*) FROM " + table + " WHERE " + Q(c.name) + " IS NULL")) break;
          describe("NOT NULL " + c.name);
          c.nullable = false;
          if (!Generator::IsForeignKeyColumn(t, c.name) && (!c.default_value || c.default_value->literal.is_null()))
            c.default_value = DefaultValue::Literal(g.LiteralOf(KindOf(c.type)));
        } else {
          describe("NULL allowed in " + c.name);
          c.nullable = true;
        }
        break;
      }
      case 5: {  // default
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (Generator::IsKeyColumn(t, c.name) || Generator::IsForeignKeyColumn(t, c.name) || !has_data(c)) break;
        if (c.default_value && g.Chance(40) && c.nullable) {
          describe("drop default of " + c.name);
          c.default_value.reset();
        } else {
          describe("new default of " + c.name);
          c.default_value = DefaultValue::Literal(g.LiteralOf(KindOf(c.type)));
        }
        break;
      }
      case 6: {  // UNIQUE column flag
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (Generator::IsKeyColumn(t, c.name) || !has_data(c)) break;
        if (c.unique) {
          describe("drop UNIQUE of " + c.name);
          c.unique = false;
        } else {
          if (!NoRows(db, "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + Q(c.name) +
                                           " IS NOT NULL GROUP BY " + Q(c.name) + " HAVING count(*) > 1)"))
            break;
          if (c.collation == "NOCASE" || c.collation == "RTRIM") break;
          describe("UNIQUE " + c.name);
          c.unique = true;
        }
        break;
      }
      case 7: {  // add or drop an index
        if (!t.indexes.empty() && g.Chance(40)) {
          describe("drop index " + t.indexes.back().name);
          t.indexes.pop_back();
          break;
        }
        size_t before = t.indexes.size();
        g.AddRandomIndex(t);
        if (t.indexes.size() == before) break;
        Index& index = t.indexes.back();
        index.name = "nx" + std::to_string(new_names++) + "_" + t.name;
        if (index.where.empty() && g.Chance(30)) {
          // Unique when the rows allow it (NULLs never clash).
          std::string cols, not_null;
          bool with_data = true;
          for (const IndexPart& p : index.parts) {
            cols += (cols.empty() ? "" : ", ") + Q(p.column);
            not_null += (not_null.empty() ? "" : " AND ") + Q(p.column) + " IS NOT NULL";
            with_data = with_data && has_data(*t.FindColumn(p.column));
          }
          if (with_data && NoRows(db, "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + not_null +
                                          " GROUP BY " + cols + " HAVING count(*) > 1)"))
            index.unique = true;
        }
        describe("add index " + index.name + (index.unique ? " (unique)" : ""));
        break;
      }
      case 8: {  // add a foreign key on a new column, or drop one
        if (!t.foreign_keys.empty() && g.Chance(40)) {
          describe("drop foreign key on " + t.foreign_keys.back().columns[0]);
          t.foreign_keys.pop_back();
          break;
        }
        std::vector<std::string> parents;
        for (const Table& p : s.tables)
          if (Generator::HasIntKey(p)) parents.push_back(p.name);
        if (parents.empty()) break;
        g.AddForeignKeyColumn(t, g.Pick(parents));
        t.foreign_keys.back().columns[0] = t.columns.back().name = "n" + std::to_string(new_names++);
        describe("add column " + t.columns.back().name + " with a foreign key to " + t.foreign_keys.back().ref_table);
        break;
      }
      case 9: {  // add a foreign key on an existing column, when no row is orphaned
        std::vector<std::string> cols;
        for (const Column& c : t.columns)
          if (KindOf(c.type) == Kind::kInt && !Generator::IsKeyColumn(t, c.name) &&
              !Generator::IsForeignKeyColumn(t, c.name) && has_data(c))
            cols.push_back(c.name);
        std::vector<const Table*> parents;
        for (const Table& p : s.tables)
          if (Generator::HasIntKey(p) && source.FindTable(p.name)) parents.push_back(&p);
        if (cols.empty() || parents.empty() || !in_source) break;
        std::string c = g.Pick(cols);
        const Table* p = g.Pick(parents);
        std::string key = p->PrimaryKeyColumns()[0];
        if (!NoRows(db, "SELECT count(*) FROM " + table + " AS c WHERE " + Q(c) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " +
                            Q(p->name) + " AS p WHERE p." + Q(key) + " = c." + Q(c) + ")"))
          break;
        describe("foreign key " + c + " -> " + p->name);
        t.foreign_keys.push_back(ForeignKey{{c}, p->name, {}, FkAction::kCascade, FkAction::kNoAction, {}});
        break;
      }
      case 10: {  // add or drop a CHECK
        if (!t.checks.empty() && g.Chance(40)) {
          describe("drop CHECK " + t.checks.back().expr);
          t.checks.pop_back();
          break;
        }
        std::vector<std::string> cols;
        for (const Column& c : t.columns)
          if (KindOf(c.type) == Kind::kInt && !Generator::IsKeyColumn(t, c.name) &&
              !Generator::IsForeignKeyColumn(t, c.name) && (!in_source || source.FindTable(t.name)->FindColumn(c.name)))
            cols.push_back(c.name);
        if (cols.empty() || !in_source) break;
        std::string c = g.Pick(cols);
        std::string expr = c + " < " + std::to_string(2 + g.Below(120));
        if (!NoRows(db, "SELECT count(*) FROM " + table + " WHERE NOT (" + expr + ")")) break;
        const Column* col = t.FindColumn(c);
        if (col->default_value && !col->default_value->literal.is_null()) break;  // keep defaults valid
        describe("CHECK " + expr);
        t.checks.push_back(CheckConstraint{"", expr, {}});
        break;
      }
      case 11: {  // collation of a text column nothing indexes
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (KindOf(c.type) != Kind::kText || Generator::IsKeyColumn(t, c.name) || Indexed(t, c.name) || c.unique ||
            InCompositeUnique(t, c.name))
          break;
        std::string to = c.collation.empty() ? "NOCASE" : "";
        describe("collation of " + c.name + " -> " + (to.empty() ? "BINARY" : to));
        c.collation = to;
        break;
      }
      case 12: {  // add a table
        Table n = g.RandomTable("a" + std::to_string(new_names++), s);
        describe("add table " + n.name);
        s.tables.push_back(n);
        break;
      }
      case 13: {  // drop a table no other table references
        if (ReferencedByOthers(s, t.name) || ReferencedByOthers(source, t.name) || s.tables.size() < 2) break;
        describe("drop table");
        std::string name = t.name;
        std::erase_if(s.tables, [&](const Table& x) { return x.name == name; });
        break;
      }
      case 14: {  // rename a table nothing references
        if (ReferencedByAny(s, t.name) || !in_source || t.name.starts_with("r")) break;
        std::string to = "r" + std::to_string(new_names++);
        describe("rename table to " + to);
        table_renames.push_back({t.name, to});
        break;
      }
      case 15: {  // WITHOUT ROWID on or off
        std::vector<std::string> pk = t.PrimaryKeyColumns();
        bool keys_not_null = std::all_of(pk.begin(), pk.end(), [&](const std::string& k) {
          const Column* c = t.FindColumn(k);
          return c && !c->nullable;
        });
        bool autoinc = std::any_of(t.columns.begin(), t.columns.end(), [](const Column& c) { return c.autoincrement; });
        if (pk.empty() || !keys_not_null || autoinc) break;
        describe(t.without_rowid ? "rowid table" : "WITHOUT ROWID");
        t.without_rowid = !t.without_rowid;
        break;
      }
      case 16: {  // a composite UNIQUE constraint
        if (!t.uniques.empty() && g.Chance(50)) {
          describe("drop UNIQUE constraint");
          t.uniques.pop_back();
          break;
        }
        std::vector<std::string> cols = Generator::PlainColumns(t);
        const Table* st = source.FindTable(t.name);
        std::erase_if(cols, [&](const std::string& c) { return !st || !st->FindColumn(c); });
        if (cols.size() < 2) break;
        std::string a = g.Pick(cols), b = g.Pick(cols);
        if (a == b) break;
        if (t.FindColumn(a)->collation != "" || t.FindColumn(b)->collation != "") break;
        if (!NoRows(db, "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + Q(a) + " IS NOT NULL AND " + Q(b) +
                            " IS NOT NULL GROUP BY " + Q(a) + ", " + Q(b) + " HAVING count(*) > 1)"))
          break;
        describe("UNIQUE (" + a + ", " + b + ")");
        t.uniques.push_back(UniqueConstraint{{a, b}, {}});
        break;
      }
    }
  }
  // Column renames, with every reference inside the table.
  for (const auto& [key, to] : column_renames) {
    std::string tname = key.substr(0, key.find('.')), from = key.substr(key.find('.') + 1);
    Table* t = nullptr;
    for (Table& x : s.tables)
      if (x.name == tname) t = &x;
    if (!t || !t->FindColumn(from) || Generator::IsKeyColumn(*t, from)) continue;
    if (InCheck(*t, from) || InCompositeUnique(*t, from)) continue;
    bool partial = false;
    for (const Index& i : t->indexes) partial = partial || Mentions(i.where, from);
    if (partial) continue;
    for (Column& c : t->columns)
      if (c.name == from) {
        c.name = to;
        c.renamed_from = from;
      }
    for (Index& i : t->indexes)
      for (IndexPart& p : i.parts)
        if (p.column == from) p.column = to;
    for (ForeignKey& fk : t->foreign_keys)
      for (std::string& c : fk.columns)
        if (c == from) c = to;
  }
  for (const auto& [from, to] : table_renames) {
    if (ReferencedByAny(s, from)) continue;
    for (Table& t : s.tables)
      // Only a table that does not change otherwise (a rebuild of a renamed
      // table is a known bug: its snapshot reads the new name too early).
      if (t.name == from && source.FindTable(from) && t == *source.FindTable(from)) {
        t.name = to;
        t.renamed_from = from;
      }
  }
  return out;
}

// --- checks ----------------------------------------------------------------

std::string SchemaText(const Schema& s) {
  std::string out = sqlite::CreateSchemaSql(s);
  for (const Table& t : s.tables) {
    if (!t.renamed_from.empty()) out += "-- table " + t.name + " renamed from " + t.renamed_from + "\n";
    for (const Column& c : t.columns)
      if (!c.renamed_from.empty()) out += "-- column " + t.name + "." + c.name + " renamed from " + c.renamed_from + "\n";
  }
  return out;
}

// The kept data of a table: for each row, the rowid (when it is stable)
// and the quoted values of the kept columns, sorted.
struct KeptTable {
  std::string source_name, target_name;
  std::vector<std::pair<std::string, std::string>> columns;  // source name, target name
  bool rowid = false;
};

std::vector<KeptTable> KeptData(const Schema& source, const Schema& target) {
  std::vector<KeptTable> out;
  for (const Table& t : target.tables) {
    std::string old_name = t.renamed_from.empty() ? t.name : t.renamed_from;
    const Table* s = source.FindTable(old_name);
    if (!s) continue;
    KeptTable k{s->name, t.name, {}, !s->without_rowid && !t.without_rowid};
    for (const Column& c : t.columns) {
      std::string old_col = c.renamed_from.empty() ? c.name : c.renamed_from;
      if (s->FindColumn(old_col)) k.columns.push_back({old_col, c.name});
    }
    out.push_back(std::move(k));
  }
  return out;
}

std::string Snapshot(sqlite::Database& db, const std::vector<KeptTable>& kept, bool target_names) {
  std::string out;
  for (const KeptTable& k : kept) {
    std::string row = k.rowid ? "quote(rowid)" : "''";
    for (const auto& [s, t] : k.columns) row += " || '|' || quote(" + Q(target_names ? t : s) + ")";
    std::string sql = "SELECT count(*) || ':' || coalesce(group_concat(x, char(10)), '') FROM (SELECT " + row +
                      " AS x FROM " + Q(target_names ? k.target_name : k.source_name) + " ORDER BY x)";
    Result<std::string> r = db.QueryString(sql);
    out += "[" + k.target_name + "] " + (r.ok() ? *r : "error: " + r.status().message()) + "\n";
  }
  return out;
}

Status Apply(sqlite::Database& db, const std::string& script) {
  Status s = db.Exec(script);
  if (!s.ok() && !db.autocommit()) (void)db.Exec("ROLLBACK");
  (void)db.Exec("PRAGMA foreign_keys = ON");
  return s;
}

void ExpectLive(sqlite::Database& db, const Schema& expected, const std::string& when) {
  SCOPED_TRACE(when);
  Result<Schema> actual = sqlite::InspectSchema(db, {"strata_migrations"});
  ASSERT_TRUE(actual.ok()) << actual.status().message();
  EXPECT_EQ(sqlite::CreateSchemaSql(AsPragmasSeeIt(*actual)), sqlite::CreateSchemaSql(AsPragmasSeeIt(expected)));
  EXPECT_TRUE(AsPragmasSeeIt(*actual) == AsPragmasSeeIt(expected));
  EXPECT_TRUE(Diff(AsPragmasSeeIt(*actual), AsPragmasSeeIt(expected), {}, {.compare_rows = false}).empty());
  Result<std::string> integrity = db.QueryString("PRAGMA integrity_check");
  EXPECT_TRUE(integrity.ok() && *integrity == "ok");
  Result<int64_t> orphans = db.QueryInt("SELECT count(*) FROM pragma_foreign_key_check");
  EXPECT_TRUE(orphans.ok() && *orphans == 0);
  Result<int64_t> leftovers = db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%strata_new%'");
  EXPECT_TRUE(leftovers.ok() && *leftovers == 0);
}

std::vector<std::string> Invalid(const Schema& s) {
  Diagnostics d;
  ValidateSchema(s, d);
  std::vector<std::string> out;
  for (const Diagnostic& x : d.Sorted())
    if (x.ToString().find("error") != std::string::npos) out.push_back(x.ToString());
  return out;
}

TEST(Property, RandomSchemaPairsMigrateUpDownAndUpKeepingData) {
  const auto start = std::chrono::steady_clock::now();
  int pairs = 0, rebuilds = 0, rows_total = 0;
  std::map<std::string, int> change_kinds;
  for (int i = 0; i < kPairs; ++i) {
    const uint64_t seed = kBaseSeed + static_cast<uint64_t>(i);
    Generator g(seed);
    const Schema source = g.RandomSchema();
    TempDir dir;
    const std::string path = (dir / "p.db").string();
    Result<sqlite::Database> opened = sqlite::Database::Open(path);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    sqlite::Database& db = *opened;
    ASSERT_TRUE(db.Exec("PRAGMA synchronous = OFF").ok());

    SCOPED_TRACE("seed " + std::to_string(seed) + "\n-- source schema:\n" + SchemaText(source));
    {
      std::vector<std::string> invalid = Invalid(source);
      ASSERT_TRUE(invalid.empty()) << ::testing::PrintToString(invalid);
    }
    ScenarioScripts create = MakeScripts(source, source);
    Status created = Apply(db, create.create);
    ASSERT_TRUE(created.ok()) << created.message();
    const std::string data = g.RandomData(source);
    Status seeded = Apply(db, "BEGIN;\n" + data + "COMMIT;");
    ASSERT_TRUE(seeded.ok()) << seeded.message() << "\n" << data;
    rows_total += static_cast<int>(std::count(data.begin(), data.end(), '\n'));

    int new_names = 0;
    Target target = RandomTarget(g, source, db, new_names);
    if (target.changes.empty()) continue;
    SCOPED_TRACE("-- changes: " + ::testing::PrintToString(target.changes) + "\n-- target schema:\n" +
                 SchemaText(target.schema) + "\n-- data:\n" + data);
    {
      std::vector<std::string> invalid = Invalid(target.schema);
      ASSERT_TRUE(invalid.empty()) << ::testing::PrintToString(invalid);
    }
    ++pairs;
    for (const std::string& c : target.changes) {
      std::string what = c.substr(c.find(": ") + 2);
      ++change_kinds[what.substr(0, what.find(' '))];
    }

    const ScenarioScripts scripts = MakeScripts(source, target.schema);
    if (scripts.up.find("-- rebuild \"") != std::string::npos) ++rebuilds;
    const std::vector<KeptTable> kept = KeptData(source, target.schema);
    const std::string before = Snapshot(db, kept, false);
    ASSERT_EQ(before.find("error:"), std::string::npos) << before;

    Status up = Apply(db, scripts.up);
    ASSERT_TRUE(up.ok()) << up.message() << "\n" << scripts.up;
    ExpectLive(db, target.schema, "after up");
    EXPECT_EQ(Snapshot(db, kept, true), before) << "after up";
    ASSERT_FALSE(::testing::Test::HasFailure());

    Status down = Apply(db, scripts.down);
    ASSERT_TRUE(down.ok()) << down.message() << "\n" << scripts.down;
    ExpectLive(db, source, "after down");
    EXPECT_EQ(Snapshot(db, kept, false), before) << "after down";
    ASSERT_FALSE(::testing::Test::HasFailure());

    Status again = Apply(db, scripts.up);
    ASSERT_TRUE(again.ok()) << again.message();
    ExpectLive(db, target.schema, "after up, down and up again");
    EXPECT_EQ(Snapshot(db, kept, true), before) << "after up, down and up again";
    ASSERT_FALSE(::testing::Test::HasFailure());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[property] " << pairs << " schema pairs (" << rebuilds << " with a rebuild), " << rows_total
            << " seed statements, " << seconds << " s\n[property] changes:";
  for (const auto& [kind, n] : change_kinds) std::cout << " " << kind << "=" << n;
  std::cout << "\n";
  // The generator must keep producing enough real pairs and rebuilds for the
  // property to mean something.
  EXPECT_GE(pairs, 800);
  EXPECT_GE(rebuilds, 400);
}

}  // namespace
}  // namespace strata::testing
