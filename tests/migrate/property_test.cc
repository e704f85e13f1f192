// A seeded property test of the whole migration path: random source
// schemas with random data consistent with them, random target schemas
// reached only by changes that the data allows, then diff, plan, render,
// and up, down and up again on a real SQLite file (in process). After each
// step the live schema must be the expected one by introspection (tables,
// indexes, triggers and views), every kept value must be where it was, row
// for row, every declared view must answer a query, every declared
// trigger that writes to the log table must fire, and a row inserted
// through a view's INSTEAD OF INSERT trigger must land in its table.
//
// The states also hold generated columns (STORED and VIRTUAL, over an
// integer or text column; added, dropped with or without the column they
// read, re-computed, switched between STORED and VIRTUAL, materialized into
// plain columns), expression and collated index keys, deferred foreign keys
// (switched on and off), views with an INSTEAD OF INSERT trigger (following
// their table, losing the trigger, dropped, added) and legacy column types
// strata keeps verbatim. A generated column is never a key, has no default
// and no foreign key, CHECK or UNIQUE constraint; its values are compared
// when it computes them as before or becomes a plain column.
//
// Primary keys (of a column or the table), NOT NULL, UNIQUE columns and
// UNIQUE constraints carry random ON CONFLICT resolutions, and a target may
// change one. They come from a random stream of their own, so every other
// draw, and so every schema a seed made before they existed, stays as it
// was. The data never conflicts, so the rows must come through unchanged
// whatever the resolution (a rebuild's copy says OR ABORT).
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
#include <optional>
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

// Legacy type names strata keeps verbatim (`sql_type`), by the affinity
// SQLite gives them.
const std::vector<std::string>& VerbatimTypesOf(Kind k) {
  static const std::vector<std::string> kInt = {"UNSIGNED BIG INT"};
  static const std::vector<std::string> kText = {"VARYING CHARACTER(255)", "MEDIUMTEXT"};
  static const std::vector<std::string> kReal = {"DOUBLE PRECISION"};
  static const std::vector<std::string> kNumeric = {"NUMBER"};
  switch (k) {
    case Kind::kInt: return kInt;
    case Kind::kText: return kText;
    case Kind::kReal: return kReal;
    case Kind::kNumeric: return kNumeric;
  }
  return kInt;
}

Kind KindOf(const std::string& type) {
  for (Kind k : {Kind::kInt, Kind::kText, Kind::kReal, Kind::kNumeric}) {
    for (const std::string& t : TypesOf(k))
      if (t == type) return k;
    for (const std::string& t : VerbatimTypesOf(k))
      if (t == type) return k;
  }
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
  explicit Generator(uint64_t seed) : rng_(seed), conflict_rng_(seed ^ 0x9e3779b97f4a7c15ull) {}

  int Below(int n) { return n <= 1 ? 0 : static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(static_cast<int>(v.size()))]; }

  // Draws for ON CONFLICT resolutions, from their own stream.
  int ConflictBelow(int n) { return n <= 1 ? 0 : static_cast<int>(conflict_rng_() % static_cast<uint64_t>(n)); }
  ConflictResolution RandomResolution() {
    static const std::vector<ConflictResolution> kOthers = {ConflictResolution::kRollback, ConflictResolution::kFail,
                                                            ConflictResolution::kIgnore, ConflictResolution::kReplace};
    return ConflictBelow(100) < 75 ? ConflictResolution::kAbort : kOthers[ConflictBelow(4)];
  }

  // A resolution for each key, NOT NULL and UNIQUE the table declares.
  void RandomResolutions(Table& t) {
    if (!t.primary_key.empty()) t.primary_key_on_conflict = RandomResolution();
    for (Column& c : t.columns) {
      if (c.primary_key) c.primary_key_on_conflict = RandomResolution();
      if (!c.nullable) c.not_null_on_conflict = RandomResolution();
      if (c.unique) c.unique_on_conflict = RandomResolution();
    }
    for (UniqueConstraint& u : t.uniques) u.on_conflict = RandomResolution();
  }

  Value LiteralOf(Kind k) {
    switch (k) {
      case Kind::kInt: return Value::Int(Below(50));
      case Kind::kText: return Value::Text(std::string(1, static_cast<char>('a' + Below(4))));
      case Kind::kReal: return Value::Real(Below(8) + 0.5);
      case Kind::kNumeric: return Value::Int(Below(9));
    }
    return Value::Null();
  }

  // A column of a random kind; `verbatim_percent` of them have a legacy
  // type strata keeps verbatim.
  Column RandomColumn(const std::string& name, int verbatim_percent = 4) {
    Column c;
    c.name = name;
    Kind k = static_cast<Kind>(Below(4));
    c.type = Pick(TypesOf(k));
    c.nullable = Chance(70);
    if (!c.nullable || Chance(30)) c.default_value = DefaultValue::Literal(LiteralOf(k));
    if (k == Kind::kText && Chance(15)) c.collation = Pick(std::vector<std::string>{"NOCASE", "RTRIM"});
    if (Chance(verbatim_percent)) {
      c.type = Pick(VerbatimTypesOf(k));
      c.verbatim_type = true;
    }
    return c;
  }

  // A generated column (STORED or VIRTUAL) computed from one of the table's
  // integer or text columns, never from another generated one; nullable,
  // without a default, never a key nor referenced by a foreign key.
  std::optional<Column> RandomGenerated(const Table& t, const std::string& name) {
    std::vector<const Column*> inputs;
    for (const Column& c : t.columns)
      if (!c.generated && (KindOf(c.type) == Kind::kInt || KindOf(c.type) == Kind::kText)) inputs.push_back(&c);
    if (inputs.empty()) return std::nullopt;
    const Column& in = *Pick(inputs);
    Column g{.name = name};
    std::string form;
    if (KindOf(in.type) == Kind::kInt) {
      form = Pick(std::vector<std::string>{"X + 1", "X * 2", "abs(X)", "coalesce(X, 0) - 1"});
      g.type = Pick(std::vector<std::string>{"INTEGER", "INT"});
    } else {
      form = Pick(std::vector<std::string>{"lower(X)", "X || '!'", "upper(X)", "length(X)"});
      g.type = form == "length(X)" ? "INTEGER" : "TEXT";
    }
    g.generated = Generated{ReplaceWord(form, "X", in.name), Chance(50)};
    return g;
  }

  // Inserts a generated column after the key, at a random place.
  void InsertSomewhere(Table& t, Column c) {
    t.columns.insert(t.columns.begin() + 1 + Below(static_cast<int>(t.columns.size())), std::move(c));
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
    if (Chance(18)) {
      for (int n = Chance(25) ? 2 : 1; n > 0; --n)
        if (std::optional<Column> gen = RandomGenerated(t, "g" + std::to_string(next_column_++)))
          InsertSomewhere(t, *gen);
    }
    for (int j = Below(3); j > 0; --j) AddRandomIndex(t);
    if (Chance(20)) {
      // A composite UNIQUE on a distinct column and another one.
      std::vector<std::string> cols = PlainColumns(t);
      if (cols.size() >= 2) {
        std::string a = Pick(cols), b = Pick(cols);
        if (a != b) {
          t.uniques.push_back(UniqueConstraint{{a, b}, ConflictResolution::kAbort, {}});
          distinct_[t.name + "." + a] = true;
        }
      }
    }
    for (const Column& c : t.columns)
      if (c.unique) distinct_[t.name + "." + c.name] = true;
    if (Chance(25)) {
      for (const Column& c : t.columns)
        if (!c.primary_key && !c.generated && KindOf(c.type) == Kind::kInt && !IsForeignKeyColumn(t, c.name)) {
          t.checks.push_back(CheckConstraint{"", c.name + " >= 0", {}});
          break;
        }
    }
    RandomResolutions(t);
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

  // Columns that are neither key, foreign key nor generated columns.
  static std::vector<std::string> PlainColumns(const Table& t) {
    std::vector<std::string> out;
    for (const Column& c : t.columns)
      if (!IsKeyColumn(t, c.name) && !IsForeignKeyColumn(t, c.name) && !c.generated) out.push_back(c.name);
    return out;
  }

  // A column the application writes (not generated), for triggers.
  const Column& PickWritable(const Table& t) {
    std::vector<const Column*> out;
    for (const Column& c : t.columns)
      if (!c.generated) out.push_back(&c);
    return *Pick(out);
  }

  void AddForeignKeyColumn(Table& t, const std::string& parent) {
    Column c{.name = "f" + std::to_string(next_column_++), .type = "INTEGER"};
    t.columns.push_back(c);
    ForeignKey fk;
    fk.columns = {c.name};
    fk.ref_table = parent;
    if (Chance(50)) fk.ref_columns = {"id"};
    fk.on_delete = Pick(std::vector<FkAction>{FkAction::kNoAction, FkAction::kCascade, FkAction::kSetNull});
    fk.deferred = Chance(15);
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
      const Column& c = *t.FindColumn(Pick(cols));
      const Kind k = KindOf(c.type);
      IndexPart p;
      if (!c.generated && (k == Kind::kInt || k == Kind::kText) && Chance(25)) {
        // An expression key over a column (never a generated one); text
        // ones sometimes with a collation of their own.
        std::string form = k == Kind::kInt ? Pick(std::vector<std::string>{"X + 1", "abs(X)"})
                                           : Pick(std::vector<std::string>{"lower(X)", "length(X)", "substr(X, 1, 2)"});
        p.expression = ReplaceWord(form, "X", c.name);
        if (form != "length(X)" && k == Kind::kText && Chance(25)) p.collation = "NOCASE";
      } else {
        p.column = c.name;
        if (k == Kind::kText && Chance(20)) p.collation = Pick(std::vector<std::string>{"NOCASE", "RTRIM", "BINARY"});
      }
      p.descending = Chance(40);
      if (used.insert(p.column + "|" + p.expression).second) index.parts.push_back(std::move(p));
    }
    if (!index.parts[0].column.empty() && Chance(30)) index.where = index.parts[0].column + " IS NOT NULL";
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
          if (c.generated) continue;  // computed by SQLite
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
  std::mt19937_64 conflict_rng_;
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

// Whether a UNIQUE index of `t` has a part over `column`, or an expression
// part that reads it.
bool InUniqueIndex(const Table& t, const std::string& column) {
  for (const Index& i : t.indexes)
    if (i.unique)
      for (const IndexPart& p : i.parts)
        if (p.column == column || Mentions(p.expression, column)) return true;
  return false;
}

// Drops a column and whatever names it: indexes, foreign keys, CHECKs and
// the generated columns that read it (with what names them in turn).
void DropColumnEverywhere(Table& t, const std::string& name) {
  std::vector<std::string> gone = {name};
  for (const Column& c : t.columns)
    if (c.generated && c.name != name && Mentions(c.generated->expr, name)) gone.push_back(c.name);
  for (const std::string& n : gone) {
    std::erase_if(t.indexes, [&](const Index& i) {
      return Mentions(i.where, n) || std::any_of(i.parts.begin(), i.parts.end(), [&](const IndexPart& p) {
               return p.column == n || Mentions(p.expression, n);
             });
    });
    std::erase_if(t.foreign_keys, [&](const ForeignKey& fk) { return Contains(fk.columns, n); });
    std::erase_if(t.checks, [&](const CheckConstraint& ck) { return Mentions(ck.expr, n); });
    std::erase_if(t.columns, [&](const Column& col) { return col.name == n; });
  }
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
    // Generated columns (17) twice as often as the other kinds of change.
    const int kind = g.Below(20);
    switch (kind == 19 ? 17 : kind) {
      case 0: {  // add a column at the end
        Column c = g.RandomColumn("n" + std::to_string(new_names++), 20);
        if (!c.nullable) c.not_null_on_conflict = g.RandomResolution();  // ALTER TABLE ADD COLUMN takes it
        describe("add column " + c.name + (c.verbatim_type ? " " + c.type : ""));
        t.columns.push_back(c);
        break;
      }
      case 1: {  // drop a column, anywhere in the table
        const Column* pick = &t.columns[g.Below(static_cast<int>(t.columns.size()))];
        // Often one that a generated column reads: that one goes too.
        std::vector<const Column*> read;
        for (const Column& x : t.columns)
          if (!x.generated && std::any_of(t.columns.begin(), t.columns.end(), [&](const Column& y) {
                return y.generated && Mentions(y.generated->expr, x.name);
              }))
            read.push_back(&x);
        if (!read.empty() && g.Chance(50)) pick = g.Pick(read);
        const Column& c = *pick;
        // Down adds it back, filled with its default: that must fit every
        // constraint on it (a NOT NULL column needs the default).
        const bool filled = c.default_value && !c.default_value->literal.is_null();
        bool droppable = !Generator::IsKeyColumn(t, c.name) && !InCompositeUnique(t, c.name) &&
                         (filled ? !c.unique && !InCheck(t, c.name) && !Generator::IsForeignKeyColumn(t, c.name)
                                 : c.nullable);
        if (!droppable || t.columns.size() < 2) break;
        std::string readers;  // generated columns that go with it (the planner rebuilds)
        for (const Column& x : t.columns)
          if (x.generated && Mentions(x.generated->expr, c.name)) readers += " " + x.name;
        describe("drop column " + c.name + (c.generated ? " (generated)" : "") +
                 (readers.empty() ? "" : " with the generated columns that read it:" + readers));
        DropColumnEverywhere(t, std::string(c.name));
        break;
      }
      case 2: {  // rename a column (whatever names it is renamed with it, below)
        std::vector<std::string> cols;
        for (const Column& c : t.columns)
          if (has_data(c)) cols.push_back(c.name);
        if (cols.empty()) break;
        std::string c = g.Pick(cols);
        std::string to = "r" + std::to_string(new_names++);
        std::string readers;
        for (const Column& x : t.columns)
          if (x.generated && Mentions(x.generated->expr, c)) readers = " (a generated column reads it)";
        for (const Index& i : t.indexes)
          for (const IndexPart& p : i.parts)
            if (Mentions(p.expression, c)) readers += " (an expression key reads it)";
        describe("rename column " + c + " to " + to + readers);
        column_renames.push_back({t.name + "." + c, to});
        break;
      }
      case 3: {  // change a type within its affinity
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (c.autoincrement || (Generator::IsKeyColumn(t, c.name) && t.primary_key.size() > 1)) break;
        if (Generator::IsForeignKeyColumn(t, c.name)) break;
        if (ReferencedByAny(s, t.name) && Generator::IsKeyColumn(t, c.name)) break;
        // Sometimes to or from a legacy type kept verbatim (same affinity).
        const bool verbatim = !c.generated && !Generator::IsKeyColumn(t, c.name) && g.Chance(15);
        std::string type = g.Pick(verbatim ? VerbatimTypesOf(KindOf(c.type)) : TypesOf(KindOf(c.type)));
        if (type == c.type) break;
        describe("type of " + c.name + " " + c.type + " -> " + type);
        c.type = type;
        c.verbatim_type = verbatim;
        break;
      }
      case 4: {  // nullability
        Column& c = t.columns[g.Below(static_cast<int>(t.columns.size()))];
        if (Generator::IsKeyColumn(t, c.name) || !has_data(c) || c.generated) break;
        if (c.nullable) {
          if (!NoRows(db, "SELECT count(*) FROM " + table + " WHERE " + Q(c.name) + " IS NULL")) break;
          describe("NOT NULL " + c.name);
          c.nullable = false;
          c.not_null_on_conflict = g.RandomResolution();
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
        if (Generator::IsKeyColumn(t, c.name) || Generator::IsForeignKeyColumn(t, c.name) || !has_data(c) ||
            c.generated)
          break;
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
        if (Generator::IsKeyColumn(t, c.name) || !has_data(c) || c.generated) break;
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
          c.unique_on_conflict = g.RandomResolution();
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
          // Grouped as the index compares: expression keys and collations.
          std::string cols, not_null;
          bool with_data = true;
          for (const IndexPart& p : index.parts) {
            const std::string term = p.expression.empty() ? Q(p.column) : "(" + p.expression + ")";
            cols += (cols.empty() ? "" : ", ") + term + (p.collation.empty() ? "" : " COLLATE " + p.collation);
            not_null += (not_null.empty() ? "" : " AND ") + term + " IS NOT NULL";
            for (const Column& c : t.columns)
              if (p.column == c.name || Mentions(p.expression, c.name)) {
                // The source's values are the target's: a generated column
                // computes them as it did.
                const Table* st = in_source ? source.FindTable(t.name) : nullptr;
                const Column* sc = st ? st->FindColumn(c.name) : nullptr;
                with_data = with_data && has_data(c) && sc && sc->generated == c.generated;
              }
          }
          if (with_data && NoRows(db, "SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + not_null +
                                          " GROUP BY " + cols + " HAVING count(*) > 1)"))
            index.unique = true;
        }
        std::string keys;
        for (const IndexPart& p : index.parts)
          keys += std::string(keys.empty() ? "" : ", ") + (p.expression.empty() ? p.column : "(" + p.expression + ")") +
                  (p.collation.empty() ? "" : " COLLATE " + p.collation) + (p.descending ? " DESC" : "");
        describe("add index " + index.name + (index.unique ? " (unique)" : "") + " on " + keys);
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
              !Generator::IsForeignKeyColumn(t, c.name) && has_data(c) && !c.generated)
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
        const bool deferred = g.Chance(20);
        describe("foreign key " + c + " -> " + p->name + (deferred ? " (deferred)" : ""));
        t.foreign_keys.push_back(ForeignKey{{c}, p->name, {}, FkAction::kCascade, FkAction::kNoAction, deferred, {}});
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
          if (KindOf(c.type) == Kind::kInt && !Generator::IsKeyColumn(t, c.name) && !c.generated &&
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
            InCompositeUnique(t, c.name) || c.generated)
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
        t.uniques.push_back(UniqueConstraint{{a, b}, g.RandomResolution(), {}});
        break;
      }
      case 17: {  // generated columns: add one, or drop, change, re-store or materialize one
        // Mostly on a table that has some (few tables do).
        std::vector<Table*> with_generated;
        for (Table& x : s.tables)
          if (std::any_of(x.columns.begin(), x.columns.end(), [](const Column& c) { return c.generated.has_value(); }))
            with_generated.push_back(&x);
        Table& u = with_generated.empty() || g.Chance(35) ? t : *g.Pick(with_generated);
        auto tell = [&](const std::string& what) { out.changes.push_back(u.name + ": " + what); };
        std::vector<Column*> generated;
        for (Column& c : u.columns)
          if (c.generated) generated.push_back(&c);
        if (generated.empty() || g.Chance(30)) {
          std::optional<Column> n = g.RandomGenerated(u, "n" + std::to_string(new_names++));
          if (!n) break;
          tell("add generated column " + n->name + (n->generated->stored ? " STORED" : " VIRTUAL") + " AS " +
               n->generated->expr);
          if (g.Chance(25))
            g.InsertSomewhere(u, *n);
          else
            u.columns.push_back(*n);
          break;
        }
        Column& c = *g.Pick(generated);
        const int roll = g.Below(100);
        if (roll < 25) {
          tell("drop column " + c.name + " (generated)");
          DropColumnEverywhere(u, std::string(c.name));
        } else if (roll < 55) {
          // New values: not under a UNIQUE index the rows were checked for.
          if (InUniqueIndex(u, c.name)) break;
          std::optional<Column> n = g.RandomGenerated(u, c.name);
          if (!n || n->generated->expr == c.generated->expr) break;
          tell("generated column " + c.name + " AS " + c.generated->expr + " -> " + n->generated->expr);
          c.type = n->type;
          c.generated->expr = n->generated->expr;
        } else if (roll < 80) {
          c.generated->stored = !c.generated->stored;
          tell("generated column " + c.name + (c.generated->stored ? " STORED" : " VIRTUAL"));
        } else {
          // Its computed values become plain ones (a rebuild copies them).
          tell("generated column " + c.name + " materialized");
          c.generated.reset();
        }
        break;
      }
      case 18: {  // DEFERRABLE INITIALLY DEFERRED on or off
        if (t.foreign_keys.empty()) break;
        ForeignKey& fk = t.foreign_keys[g.Below(static_cast<int>(t.foreign_keys.size()))];
        fk.deferred = !fk.deferred;
        describe(std::string(fk.deferred ? "deferred" : "immediate") + " foreign key on " + fk.columns[0]);
        break;
      }
    }
  }
  // A changed ON CONFLICT resolution of a key, NOT NULL or UNIQUE (drawn
  // from the resolutions' own stream, like the resolutions themselves).
  if (!s.tables.empty() && g.ConflictBelow(100) < 30) {
    Table& t = s.tables[g.ConflictBelow(static_cast<int>(s.tables.size()))];
    std::vector<std::pair<std::string, ConflictResolution*>> declared;
    if (!t.primary_key.empty()) declared.push_back({"PRIMARY KEY", &t.primary_key_on_conflict});
    for (Column& c : t.columns) {
      if (c.primary_key) declared.push_back({c.name + " PRIMARY KEY", &c.primary_key_on_conflict});
      if (!c.nullable) declared.push_back({c.name + " NOT NULL", &c.not_null_on_conflict});
      if (c.unique) declared.push_back({c.name + " UNIQUE", &c.unique_on_conflict});
    }
    for (UniqueConstraint& u : t.uniques)
      declared.push_back({"UNIQUE (" + u.columns[0] + ", " + u.columns[1] + ")", &u.on_conflict});
    if (t.name != kLog && !declared.empty()) {
      auto& [what, resolution] = declared[g.ConflictBelow(static_cast<int>(declared.size()))];
      const ConflictResolution to = g.RandomResolution();
      if (to != *resolution) {
        out.changes.push_back(t.name + ": on-conflict of " + what + " " + std::string(ConflictResolutionName(*resolution)) +
                              " -> " + std::string(ConflictResolutionName(to)));
        *resolution = to;
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
      if (c.generated) c.generated->expr = ReplaceWord(c.generated->expr, from, to);
    }
    for (std::string& c : t->primary_key)
      if (c == from) c = to;
    for (UniqueConstraint& u : t->uniques)
      for (std::string& c : u.columns)
        if (c == from) c = to;
    for (Index& i : t->indexes) {
      for (IndexPart& p : i.parts) {
        if (p.column == from) p.column = to;
        p.expression = ReplaceWord(p.expression, from, to);
      }
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
// A view of all the columns of a table with an INSTEAD OF INSERT trigger
// (`<view>_ins`) that inserts into the table what is inserted into the view.
struct InsertViewSpec {
  std::string table;
  bool star = false;    // SELECT *, otherwise the columns by name
  bool trigger = true;  // without it, a plain view
};
struct Declared {
  std::map<std::string, TriggerSpec> triggers;           // by trigger name
  std::map<std::string, ViewSpec> views;                 // by view name
  std::map<std::string, InsertViewSpec> insert_views;    // by view name
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

// The view and its trigger as they read `t` (the table as this state has it).
View InsertView(const std::string& name, const InsertViewSpec& spec, const Table& t) {
  std::string all, writable, values;
  for (const Column& c : t.columns) {
    all += (all.empty() ? "" : ", ") + c.name;
    if (c.generated) continue;
    writable += (writable.empty() ? "" : ", ") + c.name;
    values += (values.empty() ? "" : ", ") + ("NEW." + c.name);
  }
  View v;
  v.name = name;
  v.sql = "CREATE VIEW " + name + " AS SELECT " + (spec.star ? "*" : all) + " FROM " + t.name;
  if (spec.trigger)
    v.triggers.push_back(Trigger{name + "_ins",
                                 "CREATE TRIGGER " + name + "_ins INSTEAD OF INSERT ON " + name + " BEGIN INSERT INTO " +
                                     t.name + " (" + writable + ") VALUES (" + values + "); END",
                                 {},
                                 {}});
  return v;
}

TriggerSpec RandomTrigger(Generator& g, const Table& t, bool with_log) {
  return TriggerSpec{t.name, with_log ? g.Below(3) : 0, g.PickWritable(t).name};
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
  for (const auto& [name, spec] : d.insert_views)
    if (const Table* t = s.FindTable(spec.table)) s.views.push_back(InsertView(name, spec, *t));
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
  if (g.Chance(25)) {
    const Table& t = s.tables[g.Below(static_cast<int>(s.tables.size()) - (with_log ? 1 : 0))];
    d.insert_views["vi_" + t.name] = InsertViewSpec{t.name, g.Chance(30), true};
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
        if (kept.column.empty()) kept.column = g.PickWritable(t).name;
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
    // The insert view follows its table (and is re-created with it), or
    // loses or gains its trigger, or goes.
    for (const auto& [name, spec] : from.insert_views) {
      if (!existed || spec.table != old_name) continue;
      InsertViewSpec kept = spec;
      kept.table = t.name;
      const int roll = g.Below(100);
      if (roll < 65) {
        d.insert_views[name] = kept;
        if (InsertView(name, kept, t) != InsertView(name, spec, *source.FindTable(old_name)))
          changes.push_back(t.name + ": insert view " + name + " follows");
      } else if (roll < 85) {
        kept.trigger = !kept.trigger;
        d.insert_views[name] = kept;
        changes.push_back(t.name + ": insert view " + name + (kept.trigger ? " gains" : " loses") + " its trigger");
      } else {
        changes.push_back(t.name + ": insert view " + name + " dropped");
      }
    }
  }
  if (d.insert_views.empty() && g.Chance(12)) {
    std::vector<const Table*> tables;
    for (const Table& t : s.tables)
      if (t.name != kLog) tables.push_back(&t);
    const Table& t = tables.empty() ? s.tables[0] : *g.Pick(tables);
    const std::string name = "vi_" + t.name;
    if (!tables.empty() && !from.insert_views.count(name) && !from.views.count(name) && !d.views.count(name)) {
      d.insert_views[name] = InsertViewSpec{t.name, g.Chance(30), true};
      changes.push_back(t.name + ": insert view " + name + " added");
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
      const Column* was = s->FindColumn(old_col);
      if (!was) continue;
      // A generated column keeps its values when it computes them as it
      // did (named as the source names them) or when it becomes a plain
      // column (a rebuild copies them); one that becomes generated does not.
      if (c.generated) {
        if (!was->generated) continue;
        std::string expr = c.generated->expr;
        for (const Column& x : t.columns)
          if (!x.renamed_from.empty()) expr = ReplaceWord(expr, x.name, x.renamed_from);
        if (expr != was->generated->expr) continue;
      }
      k.columns.push_back({old_col, c.name});
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

// Insert views probed through their INSTEAD OF trigger, and skipped (no
// row simple to find that every constraint accepts).
int probes_fired = 0, probes_skipped = 0;

// Values for a new row of `t` that its constraints accept, as SQL literals
// by column (generated ones left out), or nothing when the rows at hand
// leave none simple to find: a NOT NULL foreign key without a parent row, a
// value a UNIQUE rule may already hold, a default a CHECK refuses.
std::optional<std::vector<std::pair<std::string, std::string>>> ProbeRow(sqlite::Database& db, const Schema& s,
                                                                         const Table& t) {
  std::vector<std::pair<std::string, std::string>> row;
  std::map<std::string, std::string> value;
  for (const Column& c : t.columns) {
    if (c.generated) continue;
    std::string v;
    const ForeignKey* fk = nullptr;
    for (const ForeignKey& f : t.foreign_keys)
      if (f.columns[0] == c.name) fk = &f;
    if (Generator::IsKeyColumn(t, c.name)) {
      v = KindOf(c.type) == Kind::kInt ? "1000001" : "'probe'";
    } else if (fk && !c.nullable) {
      const Table* parent = s.FindTable(fk->ref_table);
      if (!parent) return std::nullopt;
      const std::string ref = fk->ref_columns.empty() ? parent->PrimaryKeyColumns()[0] : fk->ref_columns[0];
      if (parent->name == t.name) {
        v = "1000001";  // the new row itself
      } else {
        Result<std::string> r = db.QueryString("SELECT coalesce((SELECT quote(" + Q(ref) + ") FROM " + Q(parent->name) +
                                               " WHERE " + Q(ref) + " IS NOT NULL LIMIT 1), '')");
        EXPECT_TRUE(r.ok()) << r.status().message();
        if (!r.ok() || r->empty()) return std::nullopt;
        v = *r;
      }
    } else if (c.nullable) {
      v = "NULL";
    } else if (c.default_value && !c.default_value->literal.is_null()) {
      v = sqlite::RenderLiteral(c.default_value->literal);
    } else {
      return std::nullopt;
    }
    value[c.name] = v;
    row.push_back({c.name, v});
  }
  auto substituted = [&](std::string expr) {
    for (const auto& [c, v] : value) expr = ReplaceWord(expr, c, v);
    return expr;
  };
  std::vector<std::string> checks;
  for (const CheckConstraint& ck : t.checks) checks.push_back(ck.expr);
  for (const Column& c : t.columns)
    if (!c.check.empty()) checks.push_back(c.check);
  for (const std::string& check : checks) {
    Result<int64_t> accepted = db.QueryInt("SELECT coalesce((" + substituted(check) + "), 1) <> 0");
    EXPECT_TRUE(accepted.ok()) << check << ": " << accepted.status().message();
    if (!accepted.ok() || *accepted == 0) return std::nullopt;
  }
  for (const Column& c : t.columns) {
    auto it = value.find(c.name);
    const bool unique = c.unique || InCompositeUnique(t, c.name) || InUniqueIndex(t, c.name);
    if (!unique) continue;
    if (c.generated) {
      // Computed from the row: give up unless it reads only NULLs.
      for (const auto& [name, v] : value)
        if (v != "NULL" && Mentions(c.generated->expr, name)) return std::nullopt;
      continue;
    }
    if (it == value.end() || it->second == "NULL" || Generator::IsKeyColumn(t, c.name)) continue;
    // An expression key may map another value onto this one.
    for (const Index& i : t.indexes)
      if (i.unique)
        for (const IndexPart& p : i.parts)
          if (Mentions(p.expression, c.name)) return std::nullopt;
    Result<int64_t> taken = db.QueryInt("SELECT count(*) FROM " + Q(t.name) + " WHERE " + Q(c.name) + " = " + it->second +
                                        " OR lower(" + Q(c.name) + ") = lower(" + it->second + ")");
    EXPECT_TRUE(taken.ok()) << taken.status().message();
    if (!taken.ok() || *taken > 0) return std::nullopt;
  }
  return row;
}

// Inserts a row through the view's INSTEAD OF INSERT trigger: it must land
// in the base table, and go again when deleted (all rolled back).
void ExpectInsertThroughView(sqlite::Database& db, const Schema& expected, const std::string& view, const Table& t) {
  std::optional<std::vector<std::pair<std::string, std::string>>> row = ProbeRow(db, expected, t);
  if (!row) {
    ++probes_skipped;
    return;
  }
  ++probes_fired;
  std::string columns, values, key;
  for (const auto& [c, v] : *row) {
    columns += (columns.empty() ? "" : ", ") + Q(c);
    values += (values.empty() ? "" : ", ") + v;
    if (Generator::IsKeyColumn(t, c)) key += (key.empty() ? "" : " AND ") + Q(c) + " = " + v;
  }
  const std::string count = "SELECT count(*) FROM " + Q(t.name);
  ASSERT_TRUE(db.Exec("SAVEPOINT probe").ok());
  Result<int64_t> before = db.QueryInt(count);
  Status inserted = db.Exec("INSERT INTO " + Q(view) + " (" + columns + ") VALUES (" + values + ")");
  Result<int64_t> with = db.QueryInt(count);
  Result<int64_t> found = db.QueryInt(count + " WHERE " + key);
  Status deleted = db.Exec("DELETE FROM " + Q(t.name) + " WHERE " + key);
  Result<int64_t> after = db.QueryInt(count);
  EXPECT_TRUE(db.Exec("ROLLBACK TO probe").ok());
  EXPECT_TRUE(db.Exec("RELEASE probe").ok());
  EXPECT_TRUE(inserted.ok()) << "insert through view " << view << ": " << inserted.message() << "\n  values ("
                             << values << ")";
  EXPECT_TRUE(deleted.ok()) << "delete from " << t.name << ": " << deleted.message();
  if (before.ok() && with.ok() && found.ok() && after.ok()) {
    EXPECT_EQ(*with, *before + 1) << "insert through view " << view;
    EXPECT_EQ(*found, 1) << "insert through view " << view;
    EXPECT_EQ(*after, *before) << "delete after the insert through view " << view;
  } else {
    ADD_FAILURE() << "view " << view << ": counting failed";
  }
}

// Every view of `expected` answers a query, every logging UPDATE trigger
// writes one log row per row of its table, and every insert view's trigger
// inserts into its table.
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
  for (const auto& [name, spec] : declared.insert_views) {
    const Table* t = expected.FindTable(spec.table);
    if (!spec.trigger || !t) continue;
    ExpectInsertThroughView(db, expected, name, *t);
  }
}

// The new object kinds a state has (for the counts the test prints).
std::set<std::string> KindsIn(const Schema& s, const Declared& d) {
  std::set<std::string> out;
  for (const Table& t : s.tables) {
    for (const Column& c : t.columns) {
      if (c.generated) out.insert(c.generated->stored ? "generated STORED" : "generated VIRTUAL");
      if (c.verbatim_type) out.insert("verbatim type");
    }
    for (const Index& i : t.indexes)
      for (const IndexPart& p : i.parts) {
        if (!p.expression.empty()) out.insert("expression key");
        if (!p.collation.empty()) out.insert("collated key");
      }
    for (const ForeignKey& fk : t.foreign_keys)
      if (fk.deferred) out.insert("deferred foreign key");
    if (t.HasConflictClause()) out.insert("ON CONFLICT clause");
  }
  for (const auto& [name, spec] : d.insert_views)
    if (spec.trigger) out.insert("INSTEAD OF trigger");
  return out;
}

// The same for one table (and the insert views on it), for the tables a
// migration rebuilds.
std::set<std::string> KindsOn(const Schema& s, const Declared& d, const std::string& table) {
  Schema one;
  Declared on;
  if (const Table* t = s.FindTable(table)) one.tables.push_back(*t);
  for (const auto& [name, spec] : d.insert_views)
    if (spec.table == table) on.insert_views[name] = spec;
  return KindsIn(one, on);
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
  // Pairs with each new object kind in either state, and rebuilds of tables
  // that have one in the target.
  std::map<std::string, int> pairs_with, rebuilt_with;
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
      if (what.starts_with("add generated")) kind = "add generated";
      if (what.starts_with("drop column") && what.find("generated") != std::string::npos) kind = "drop generated";
      if (what.starts_with("generated column")) kind = "generated " + what.substr(what.rfind(' ') + 1);
      if (kind == "generated " + what.substr(what.rfind(' ') + 1) && what.find(" -> ") != std::string::npos)
        kind = "generated expression";
      if (what.starts_with("insert view")) kind = "insert view " + what.substr(what.rfind(' ') + 1);
      if (what.ends_with("its trigger")) kind = "insert view " + what.substr(what.rfind(' ', what.size() - 13) + 1);
      if (what.find("that read it") != std::string::npos) kind = "drop column read by generated columns";
      if (what.find("reads it") != std::string::npos) kind += " read by a generated column or expression key";
      if (kind == "add" && what.starts_with("add index") && what.find('(', what.find(" on ")) != std::string::npos)
        kind = "add index (expression key)";
      ++change_kinds[kind];
    }

    const ScenarioScripts scripts = MakeScripts(source, target.schema);
    if (scripts.up.find("-- rebuild \"") != std::string::npos) ++rebuilds;
    {
      std::set<std::string> kinds = KindsIn(source, source_declared), in_target = KindsIn(target.schema, target_declared);
      kinds.insert(in_target.begin(), in_target.end());
      for (const std::string& k : kinds) ++pairs_with[k];
      const std::string mark = "-- rebuild \"";
      for (size_t at = scripts.up.find(mark); at != std::string::npos; at = scripts.up.find(mark, at + 1)) {
        const size_t from = at + mark.size();
        for (const std::string& k : KindsOn(target.schema, target_declared, scripts.up.substr(from, scripts.up.find('"', from) - from)))
          ++rebuilt_with[k];
      }
    }
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
  std::cout << "\n[property] pairs with:";
  for (const auto& [kind, n] : pairs_with) std::cout << " " << kind << "=" << n;
  std::cout << "\n[property] rebuilt tables with:";
  for (const auto& [kind, n] : rebuilt_with) std::cout << " " << kind << "=" << n;
  std::cout << "\n[property] inserts through an INSTEAD OF trigger: " << probes_fired << " (" << probes_skipped
            << " skipped: no row simple to find)\n";
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
