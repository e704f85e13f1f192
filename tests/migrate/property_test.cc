// A seeded property test of the whole migration path: random source
// schemas with random data consistent with them, random target schemas
// reached only by changes that the data allows, then diff, plan, render,
// and up, down and up again on a real SQLite file (in process). After each
// step the live schema must be the expected one by introspection (tables,
// indexes, triggers and views), every kept value must be where it was, row
// for row, every declared view must answer a query and every declared
// trigger that writes to the log table must fire.
//
// Renames go through the rename hints the differ takes (`renamed_from`, as
// a `name` change under `changes:` in the YAML sets it): columns (also key
// columns, and columns an index, a partial index, a UNIQUE constraint, a
// CHECK or another table's foreign key names) and tables (also tables that
// foreign keys reference and tables rebuilt in the same migration).
//
// Every change generated is data-safe for the random rows, so a failure is
// a bug: the seed, both schemas, the changes and the data are printed.
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
// The table that the logging triggers write to (never changed itself).
const std::string kLog = "log";

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

// `sql` with every whole-word `from` replaced by `to`.
std::string ReplaceWord(std::string sql, const std::string& from, const std::string& to) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at)) {
    bool starts = at == 0 || !ident(sql[at - 1]);
    bool ends = at + from.size() >= sql.size() || !ident(sql[at + from.size()]);
    if (starts && ends) {
      sql.replace(at, from.size(), to);
      at += to.size();
    } else {
      at += 1;
    }
  }
  return sql;
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
      if (!IsKeyColumn(t, c.name)) cols.push_back(c.name);
    if (cols.empty()) return;
    Index index;
    index.name = "ix" + std::to_string(next_index_++) + "_" + t.name;
    std::set<std::string> used;
    for (int n = 1 + Below(2); n > 0; --n) {
      std::string c = Pick(cols);
      if (used.insert(c).second) index.parts.push_back({.column = c, .descending = Chance(40)});
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
    if (t.name == kLog) continue;  // the triggers' log table stays as it is
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
      case 1: {  // drop a column, anywhere in the table
        const Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
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
        std::erase_if(t.columns, [&](const Column& col) { return col.name == name; });
        break;
      }
      case 2: {  // rename a column (whatever names it is renamed with it, below)
        std::vector<std::string> cols;
        for (const Column& c : t.columns)
          if (has_data(c)) cols.push_back(c.name);
        if (cols.empty()) break;
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
      case 11: {  // collation of a text column no UNIQUE rule covers
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        const bool in_unique_index = std::any_of(t.indexes.begin(), t.indexes.end(), [&](const Index& i) {
          return i.unique && std::any_of(i.parts.begin(), i.parts.end(), [&](const IndexPart& p) { return p.column == c.name; });
        });
        if (KindOf(c.type) != Kind::kText || Generator::IsKeyColumn(t, c.name) || in_unique_index || c.unique ||
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
      case 14: {  // rename a table (foreign keys that reference it follow)
        if (!in_source || t.name.starts_with("r")) break;
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
        if (std::any_of(t.uniques.begin(), t.uniques.end(), [&](const UniqueConstraint& u) {
              return u.columns.size() == 2 && Contains(u.columns, a) && Contains(u.columns, b);
            }))
          break;
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
  // Column renames, with every reference to the column renamed too: in its
  // table (keys, UNIQUE constraints, indexes and their predicates, CHECKs,
  // foreign key columns) and in the foreign keys that reference it.
  for (const auto& [key, to] : column_renames) {
    std::string tname = key.substr(0, key.find('.')), from = key.substr(key.find('.') + 1);
    Table* t = nullptr;
    for (Table& x : s.tables)
      if (x.name == tname) t = &x;
    if (!t || !t->FindColumn(from)) continue;
    for (Column& c : t->columns) {
      if (c.name == from) {
        c.name = to;
        if (c.renamed_from.empty()) c.renamed_from = from;
      }
      c.check = ReplaceWord(c.check, from, to);
    }
    for (std::string& c : t->primary_key)
      if (c == from) c = to;
    for (UniqueConstraint& u : t->uniques)
      for (std::string& c : u.columns)
        if (c == from) c = to;
    for (Index& i : t->indexes) {
      for (IndexPart& p : i.parts)
        if (p.column == from) p.column = to;
      i.where = ReplaceWord(i.where, from, to);
    }
    for (CheckConstraint& c : t->checks) c.expr = ReplaceWord(c.expr, from, to);
    for (ForeignKey& fk : t->foreign_keys)
      for (std::string& c : fk.columns)
        if (c == from) c = to;
    for (Table& x : s.tables)
      for (ForeignKey& fk : x.foreign_keys)
        if (fk.ref_table == tname)
          for (std::string& c : fk.ref_columns)
            if (c == from) c = to;
  }
  // Table renames, with the foreign keys that reference the table (its own
  // included). A renamed table may change otherwise too (and be rebuilt).
  for (const auto& [from, to] : table_renames) {
    for (Table& t : s.tables)
      if (t.name == from && source.FindTable(from)) {
        t.name = to;
        t.renamed_from = from;
        for (Table& x : s.tables)
          for (ForeignKey& fk : x.foreign_keys)
            if (fk.ref_table == from) fk.ref_table = to;
        break;
      }
  }
  return out;
}

// --- triggers and views ------------------------------------------------------

// What a declared trigger or view is made of, to carry it from the source
// to the target (following renames) and to check it.
struct TriggerSpec {
  std::string table;   // as the schema it belongs to names it
  int kind = 0;        // 0: AFTER UPDATE OF, SELECT 1; 1: the same, logged; 2: AFTER DELETE WHEN, logged
  std::string column;  // the column the trigger names
};
struct ViewSpec {
  std::string table;
  bool star = false;                 // SELECT *
  std::vector<std::string> columns;  // otherwise these
  std::string where;                 // "" or a column: WHERE <column> IS NOT NULL
};
struct Declared {
  std::map<std::string, TriggerSpec> triggers;  // by trigger name
  std::map<std::string, ViewSpec> views;        // by view name
};

std::string TriggerSql(const std::string& name, const TriggerSpec& t) {
  const std::string log = "INSERT INTO " + kLog + " (what) VALUES ('" + name + "');";
  switch (t.kind) {
    case 0: return "CREATE TRIGGER " + name + " AFTER UPDATE OF " + t.column + " ON " + t.table + " BEGIN SELECT 1; END";
    case 1: return "CREATE TRIGGER " + name + " AFTER UPDATE OF " + t.column + " ON " + t.table + " BEGIN " + log + " END";
    default:
      return "CREATE TRIGGER " + name + " AFTER DELETE ON " + t.table + " WHEN OLD." + t.column + " IS NOT NULL BEGIN " +
             log + " END";
  }
}

std::string ViewSql(const std::string& name, const ViewSpec& v) {
  std::string cols;
  for (const std::string& c : v.columns) cols += (cols.empty() ? "" : ", ") + c;
  return "CREATE VIEW " + name + " AS SELECT " + (v.star ? "*" : cols) + " FROM " + v.table +
         (v.where.empty() ? "" : " WHERE " + v.where + " IS NOT NULL");
}

TriggerSpec RandomTrigger(Generator& g, const Table& t, bool with_log) {
  return TriggerSpec{t.name, with_log ? g.Below(3) : 0, g.Pick(t.columns).name};
}

ViewSpec RandomView(Generator& g, const Table& t) {
  ViewSpec v{t.name, g.Chance(20), {}, {}};
  for (const Column& c : t.columns)
    if (g.Chance(50)) v.columns.push_back(c.name);
  if (v.columns.empty()) v.columns.push_back(g.Pick(t.columns).name);
  if (g.Chance(30)) v.where = g.Pick(t.columns).name;
  return v;
}

// Puts the declared triggers and views into `s` (replacing any there).
void Declare(Schema& s, const Declared& d) {
  for (Table& t : s.tables) t.triggers.clear();
  s.views.clear();
  for (const auto& [name, spec] : d.triggers)
    for (Table& t : s.tables)
      if (t.name == spec.table) t.triggers.push_back(Trigger{name, TriggerSql(name, spec), {}, {}});
  for (const auto& [name, spec] : d.views) s.views.push_back(View{name, ViewSql(name, spec), {}, {}});
}

// Source triggers and views, sometimes with a log table for the triggers.
Declared SourceTriggersAndViews(Generator& g, Schema& s) {
  Declared d;
  const bool with_log = g.Chance(40);
  if (with_log) {
    Table log;
    log.name = kLog;
    log.columns.push_back(Column{.name = "id", .type = "INTEGER", .primary_key = true});
    log.columns.push_back(Column{.name = "what", .type = "TEXT"});
    s.tables.push_back(log);
  }
  for (const Table& t : s.tables) {
    if (t.name == kLog) continue;
    for (int k = 0; k < 2; ++k)
      if (g.Chance(k == 0 ? 35 : 15)) d.triggers[t.name + "_tg" + std::to_string(k)] = RandomTrigger(g, t, with_log);
    if (g.Chance(35)) d.views["v_" + t.name] = RandomView(g, t);
  }
  Declare(s, d);
  return d;
}

// The target's: each source trigger or view kept (following the renames of
// its table and columns), changed or dropped; new ones on any table.
Declared TargetTriggersAndViews(Generator& g, const Schema& source, const Declared& from, Schema& s,
                                std::vector<std::string>& changes) {
  Declared d;
  const bool with_log = source.FindTable(kLog) != nullptr;
  for (const Table& t : s.tables) {
    if (t.name == kLog) continue;
    const std::string old_name = t.renamed_from.empty() ? t.name : t.renamed_from;
    const bool existed = source.FindTable(old_name) != nullptr;
    // The target name of a source column of this table, "" when gone.
    auto follow = [&](const std::string& column) -> std::string {
      if (!existed) return "";
      for (const Column& c : t.columns)
        if (c.renamed_from == column || (c.renamed_from.empty() && c.name == column)) return c.name;
      return "";
    };
    int triggers = 0, views = 0;
    for (const auto& [name, spec] : from.triggers) {
      if (!existed || spec.table != old_name) continue;
      int roll = g.Below(100);
      if (roll < 55) {
        TriggerSpec kept{t.name, spec.kind, follow(spec.column)};
        if (kept.column.empty()) kept.column = g.Pick(t.columns).name;
        d.triggers[name] = kept;
        ++triggers;
        if (TriggerSql(name, kept) != TriggerSql(name, spec)) changes.push_back(t.name + ": trigger " + name + " follows");
      } else if (roll < 80) {
        d.triggers[name] = RandomTrigger(g, t, with_log);
        ++triggers;
        changes.push_back(t.name + ": trigger " + name + " changed");
      } else {
        changes.push_back(t.name + ": trigger " + name + " dropped");
      }
    }
    if (triggers == 0 && g.Chance(25)) {
      std::string name = t.name + "_tg" + std::to_string(2 + g.Below(3));
      if (!d.triggers.count(name) && !from.triggers.count(name)) {
        d.triggers[name] = RandomTrigger(g, t, with_log);
        changes.push_back(t.name + ": trigger " + name + " added");
      }
    }
    for (const auto& [name, spec] : from.views) {
      if (!existed || spec.table != old_name) continue;
      int roll = g.Below(100);
      if (roll < 50) {
        ViewSpec kept{t.name, spec.star, {}, follow(spec.where)};
        for (const std::string& c : spec.columns)
          if (std::string to = follow(c); !to.empty()) kept.columns.push_back(to);
        if (kept.columns.empty()) kept.columns.push_back(g.Pick(t.columns).name);
        d.views[name] = kept;
        ++views;
        if (ViewSql(name, kept) != ViewSql(name, spec)) changes.push_back(t.name + ": view " + name + " follows");
      } else if (roll < 75) {
        d.views[name] = RandomView(g, t);
        ++views;
        changes.push_back(t.name + ": view " + name + " changed");
      } else {
        changes.push_back(t.name + ": view " + name + " dropped");
      }
    }
    if (views == 0 && g.Chance(25)) {
      std::string name = "v_" + t.name + "_" + std::to_string(g.Below(3));
      if (!d.views.count(name) && !from.views.count(name)) {
        d.views[name] = RandomView(g, t);
        changes.push_back(t.name + ": view " + name + " added");
      }
    }
  }
  for (const auto& [name, spec] : from.views)
    if (!d.views.count(name) && !s.FindTable(spec.table) && spec.table != kLog) {
      bool renamed = false;
      for (const Table& t : s.tables) renamed = renamed || t.renamed_from == spec.table;
      if (!renamed) changes.push_back(spec.table + ": view " + name + " dropped with its table");
    }
  Declare(s, d);
  return d;
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
    // A table whose key becomes the rowid (BIGINT to INTEGER PRIMARY KEY)
    // cannot keep its old rowids: they are the key values from then on.
    auto rowid_alias = [](const Table& x) {
      std::vector<std::string> pk = x.PrimaryKeyColumns();
      return !x.without_rowid && pk.size() == 1 && x.FindColumn(pk[0])->type == "INTEGER";
    };
    KeptTable k{s->name, t.name, {}, !s->without_rowid && !t.without_rowid && (rowid_alias(*s) || !rowid_alias(t))};
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

// Every view of `expected` answers a query, and every logging UPDATE
// trigger writes one log row per row of its table.
void ExpectViewsAndTriggersWork(sqlite::Database& db, const Schema& expected, const Declared& declared,
                                const std::string& when) {
  SCOPED_TRACE(when);
  for (const View& v : expected.views) {
    Status s = db.Exec("SELECT * FROM " + Q(v.name) + " LIMIT 1");
    EXPECT_TRUE(s.ok()) << "view " << v.name << ": " << s.message();
  }
  for (const auto& [name, spec] : declared.triggers) {
    if (spec.kind != 1) continue;
    const std::string logged = "SELECT count(*) FROM " + kLog + " WHERE what = '" + name + "'";
    ASSERT_TRUE(db.Exec("SAVEPOINT probe").ok());
    Result<int64_t> rows = db.QueryInt("SELECT count(*) FROM " + Q(spec.table));
    Result<int64_t> before = db.QueryInt(logged);
    Status updated = db.Exec("UPDATE " + Q(spec.table) + " SET " + Q(spec.column) + " = " + Q(spec.column));
    Result<int64_t> after = db.QueryInt(logged);
    EXPECT_TRUE(db.Exec("ROLLBACK TO probe").ok());
    EXPECT_TRUE(db.Exec("RELEASE probe").ok());
    EXPECT_TRUE(updated.ok()) << "trigger " << name << ": " << updated.message();
    if (rows.ok() && before.ok() && after.ok()) {
      EXPECT_EQ(*after, *before + *rows) << "trigger " << name << " did not fire";
    } else {
      ADD_FAILURE() << "trigger " << name << ": counting failed";
    }
  }
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
    Schema generated = g.RandomSchema();
    const Declared source_declared = SourceTriggersAndViews(g, generated);
    const Schema source = generated;
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
    ExpectViewsAndTriggersWork(db, source, source_declared, "after create");
    ASSERT_FALSE(::testing::Test::HasFailure());

    int new_names = 0;
    Target target = RandomTarget(g, source, db, new_names);
    const Declared target_declared = TargetTriggersAndViews(g, source, source_declared, target.schema, target.changes);
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
      std::string kind = what.substr(0, what.find(' '));
      if (kind == "rename") kind += " " + what.substr(7, what.find(' ', 7) - 7);
      if (kind == "trigger" || kind == "view") kind += " " + what.substr(what.rfind(' ') + 1);
      ++change_kinds[kind];
    }

    const ScenarioScripts scripts = MakeScripts(source, target.schema);
    if (scripts.up.find("-- rebuild \"") != std::string::npos) ++rebuilds;
    const std::vector<KeptTable> kept = KeptData(source, target.schema);
    const std::string before = Snapshot(db, kept, false);
    ASSERT_EQ(before.find("error:"), std::string::npos) << before;

    Status up = Apply(db, scripts.up);
    ASSERT_TRUE(up.ok()) << up.message() << "\n" << scripts.up;
    ExpectLive(db, target.schema, "after up");
    ExpectViewsAndTriggersWork(db, target.schema, target_declared, "after up");
    EXPECT_EQ(Snapshot(db, kept, true), before) << "after up";
    ASSERT_FALSE(::testing::Test::HasFailure());

    Status down = Apply(db, scripts.down);
    ASSERT_TRUE(down.ok()) << down.message() << "\n" << scripts.down;
    ExpectLive(db, source, "after down");
    ExpectViewsAndTriggersWork(db, source, source_declared, "after down");
    EXPECT_EQ(Snapshot(db, kept, false), before) << "after down";
    ASSERT_FALSE(::testing::Test::HasFailure());

    Status again = Apply(db, scripts.up);
    ASSERT_TRUE(again.ok()) << again.message();
    ExpectLive(db, target.schema, "after up, down and up again");
    ExpectViewsAndTriggersWork(db, target.schema, target_declared, "after up, down and up again");
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

// Plans source -> target and runs up on a database at source holding `data`.
Status UpFrom(const Schema& source, const Schema& target, const std::string& data) {
  TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "d.db").string());
  if (!db.ok()) return db.status();
  ScenarioScripts scripts = MakeScripts(source, target);
  if (Status s = Apply(*db, scripts.create); !s.ok()) return s;
  if (Status s = Apply(*db, data); !s.ok()) return s;
  return Apply(*db, scripts.up);
}

// A foreign key added in the migration that renames the parent column it
// names: the orphan precheck runs before the rename, so it must name the
// parent column as it was (and the parent's key when the key names none).
TEST(Property, NewForeignKeyToARenamedParentColumn) {
  Schema source;
  source.tables.push_back(Table{.name = "t0",
                                .columns = {Column{.name = "id", .type = "INTEGER", .primary_key = true},
                                            Column{.name = "c", .type = "INTEGER"}}});
  Schema target = source;
  target.tables[0].columns[0].name = "r0";
  target.tables[0].columns[0].renamed_from = "id";
  target.tables[0].columns.push_back(Column{.name = "n", .type = "INTEGER"});
  target.tables[0].foreign_keys.push_back(ForeignKey{{"n"}, "t0", {"r0"}, FkAction::kNoAction, FkAction::kNoAction, {}});
  Status up = UpFrom(source, target, "INSERT INTO t0 VALUES (1, 5);");
  EXPECT_TRUE(up.ok()) << up.message();
}

// A foreign key added in the migration that renames its parent table: the
// precheck finds the parent under its old name, and no row is an orphan.
TEST(Property, NewForeignKeyToARenamedTable) {
  Schema source;
  source.tables.push_back(Table{.name = "p", .columns = {Column{.name = "id", .type = "INTEGER", .primary_key = true}}});
  source.tables.push_back(Table{.name = "c",
                                .columns = {Column{.name = "id", .type = "INTEGER", .primary_key = true},
                                            Column{.name = "pid", .type = "INTEGER"}}});
  Schema target = source;
  target.tables[0].name = "r";
  target.tables[0].renamed_from = "p";
  target.tables[1].foreign_keys.push_back(ForeignKey{{"pid"}, "r", {}, FkAction::kNoAction, FkAction::kNoAction, {}});
  Status up = UpFrom(source, target, "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);");
  EXPECT_TRUE(up.ok()) << up.message();
}

}  // namespace
}  // namespace strata::testing
