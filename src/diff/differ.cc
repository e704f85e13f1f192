#include "diff/differ.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata {

RenameHints RenameHints::From(const Schema& to) {
  RenameHints hints;
  for (const Table& t : to.tables) {
    if (!t.renamed_from.empty()) hints.tables[AsciiLower(t.name)] = t.renamed_from;
    for (const Column& c : t.columns)
      if (!c.renamed_from.empty()) hints.columns[AsciiLower(t.name + "." + c.name)] = c.renamed_from;
  }
  return hints;
}

RenameHints RenameHints::Inverted() const {
  RenameHints inverted;
  std::map<std::string, std::string> table_back;  // lower-case new name -> old name
  for (const auto& [new_name, old_name] : tables) {
    inverted.tables[AsciiLower(old_name)] = new_name;
    table_back[new_name] = old_name;
  }
  for (const auto& [key, old_column] : columns) {
    size_t dot = key.find('.');
    std::string table = key.substr(0, dot), column = key.substr(dot + 1);
    // The reversed diff names the table as it is in the old state.
    auto renamed = table_back.find(table);
    std::string old_table = renamed == table_back.end() ? table : AsciiLower(renamed->second);
    inverted.columns[old_table + "." + AsciiLower(old_column)] = column;
  }
  return inverted;
}

namespace {
bool SameSql(const DiffOptions& options, std::string_view a, std::string_view b) {
  return options.same_sql ? options.same_sql(a, b) : Trim(a) == Trim(b);
}

// Overrides name the same dialects with the same types (as SQL, in any case).
bool SameDialectTypes(const Column& a, const Column& b) {
  return std::equal(a.dialect_types.begin(), a.dialect_types.end(), b.dialect_types.begin(), b.dialect_types.end(),
                    [](const auto& x, const auto& y) {
                      return x.first == y.first && EqualsIgnoreCase(x.second, y.second);
                    });
}
}  // namespace

unsigned ColumnDifference(const Column& a, const Column& b, const DiffOptions& options) {
  unsigned aspects = 0;
  // An override is the column's type in one dialect: a changed one is a type
  // change, which a dialect whose type stays the same drops again
  // (ResolveDialectTypes on the changes).
  if (!EqualsIgnoreCase(a.type, b.type) || !SameDialectTypes(a, b)) aspects |= kColumnType;
  if (a.nullable != b.nullable) aspects |= kColumnNullable;
  if (a.default_value != b.default_value) aspects |= kColumnDefault;
  if (a.primary_key != b.primary_key) aspects |= kColumnPrimaryKey;
  if (a.autoincrement != b.autoincrement) aspects |= kColumnAutoincrement;
  if (a.unique != b.unique) aspects |= kColumnUnique;
  if (a.check != b.check) aspects |= kColumnCheck;
  if (!EqualsIgnoreCase(a.collation, b.collation)) aspects |= kColumnCollation;
  if (a.generated.has_value() != b.generated.has_value() ||
      (a.generated && (a.generated->stored != b.generated->stored ||
                       !SameSql(options, a.generated->expr, b.generated->expr))))
    aspects |= kColumnGenerated;
  if ((a.primary_key && b.primary_key && a.primary_key_on_conflict != b.primary_key_on_conflict) ||
      (!a.nullable && !b.nullable && a.not_null_on_conflict != b.not_null_on_conflict) ||
      (a.unique && b.unique && a.unique_on_conflict != b.unique_on_conflict))
    aspects |= kColumnOnConflict;
  return aspects;
}

namespace {

std::vector<std::string> Lower(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const std::string& s : v) out.push_back(AsciiLower(s));
  return out;
}

// Elements without a name (unique, foreign key, check) are identified by
// their content, so a changed one is a drop plus an add.
bool SameUnique(const UniqueConstraint& a, const UniqueConstraint& b) {
  return Lower(a.columns) == Lower(b.columns) && a.on_conflict == b.on_conflict;
}
bool SameForeignKey(const ForeignKey& a, const ForeignKey& b) {
  return Lower(a.columns) == Lower(b.columns) && EqualsIgnoreCase(a.ref_table, b.ref_table) &&
         Lower(a.ref_columns) == Lower(b.ref_columns) && a.on_delete == b.on_delete &&
         a.on_update == b.on_update && a.deferred == b.deferred;
}
bool SameCheck(const CheckConstraint& a, const CheckConstraint& b) {
  return a.name == b.name && a.expr == b.expr;
}
bool SameIndex(const DiffOptions& options, const Index& a, const Index& b) {
  if (!EqualsIgnoreCase(a.name, b.name) || a.unique != b.unique || a.where != b.where ||
      a.parts.size() != b.parts.size())
    return false;
  for (size_t i = 0; i < a.parts.size(); ++i)
    if (!EqualsIgnoreCase(a.parts[i].column, b.parts[i].column) ||
        !SameSql(options, a.parts[i].expression, b.parts[i].expression) ||
        a.parts[i].descending != b.parts[i].descending ||
        !EqualsIgnoreCase(a.parts[i].collation, b.parts[i].collation))
      return false;
  return true;
}

// Triggers and views are SQL the differ does not parse: the same name with
// the same text (by the dialect's reading) is the same object. A view's
// INSTEAD OF triggers belong to it.
bool SameStatement(const DiffOptions& options, const Trigger& a, const Trigger& b) {
  return EqualsIgnoreCase(a.name, b.name) && SameSql(options, a.sql, b.sql);
}
bool SameStatement(const DiffOptions& options, const View& a, const View& b) {
  if (!EqualsIgnoreCase(a.name, b.name) || !SameSql(options, a.sql, b.sql) || a.triggers.size() != b.triggers.size())
    return false;
  for (const Trigger& t : a.triggers)
    if (std::none_of(b.triggers.begin(), b.triggers.end(), [&](const Trigger& u) { return SameStatement(options, t, u); }))
      return false;
  return true;
}

// Adds a drop for each element of `from` with no equal in `to`, and an add
// for each element of `to` with no equal in `from`.
template <typename T, typename Same, typename Add, typename Drop>
void DiffSet(const std::vector<T>& from, const std::vector<T>& to, Same same,
             std::vector<TableChange>& out, Add add, Drop drop) {
  for (const T& a : from) {
    bool kept = false;
    for (const T& b : to) kept = kept || same(a, b);
    if (!kept) out.push_back(drop(a));
  }
  for (const T& b : to) {
    bool existed = false;
    for (const T& a : from) existed = existed || same(a, b);
    if (!existed) out.push_back(add(b));
  }
}

std::string RowKey(const Table& t, const ReferenceRow& row) {
  std::vector<std::string> key = t.row_key.empty() ? t.PrimaryKeyColumns() : t.row_key;
  std::string out;
  for (const std::string& k : key) {
    const Value* v = row.Find(k);
    out += (v ? v->ToString() : "NULL") + "|";
  }
  return out;
}

bool SameRowValues(const ReferenceRow& a, const ReferenceRow& b) {
  if (a.values.size() != b.values.size()) return false;
  for (const auto& [column, value] : a.values) {
    const Value* other = b.Find(column);
    if (!other || !(*other == value)) return false;
  }
  return true;
}

void DiffRows(const Table& from, const Table& to, std::vector<TableChange>& out) {
  std::map<std::string, const ReferenceRow*> old_rows;
  for (const ReferenceRow& r : from.rows) old_rows[RowKey(from, r)] = &r;
  std::map<std::string, bool> seen;
  for (const ReferenceRow& r : to.rows) {
    std::string key = RowKey(to, r);
    seen[key] = true;
    auto it = old_rows.find(key);
    if (it == old_rows.end())
      out.push_back(InsertRow{r});
    else if (!SameRowValues(*it->second, r))
      out.push_back(UpdateRow{*it->second, r});
  }
  for (const ReferenceRow& r : from.rows)
    if (!seen.count(RowKey(from, r))) out.push_back(DeleteRow{r});
}

std::vector<TableChange> DiffTable(const Table& from, const Table& to, const RenameHints& hints,
                                   const DiffOptions& options) {
  std::vector<TableChange> out;
  // Columns: renames first, so later steps see the new names.
  std::map<std::string, const Column*> old_columns;
  for (const Column& c : from.columns) old_columns[AsciiLower(c.name)] = &c;
  std::map<std::string, bool> matched;
  std::vector<TableChange> column_changes;
  for (const Column& c : to.columns) {
    std::string old_name = c.name;
    if (auto h = hints.columns.find(AsciiLower(to.name + "." + c.name)); h != hints.columns.end())
      old_name = h->second;
    auto it = old_columns.find(AsciiLower(old_name));
    if (it == old_columns.end() && old_name != c.name) it = old_columns.find(AsciiLower(c.name));
    if (it == old_columns.end() || matched[it->first]) {
      column_changes.push_back(AddColumn{c});
      continue;
    }
    matched[it->first] = true;
    const Column& before = *it->second;
    if (!EqualsIgnoreCase(before.name, c.name)) out.push_back(RenameColumn{before.name, c.name});
    if (unsigned aspects = ColumnDifference(before, c, options)) column_changes.push_back(ModifyColumn{before, c, aspects});
  }
  for (const Column& c : from.columns)
    if (!matched[AsciiLower(c.name)]) out.push_back(DropColumn{c});
  out.insert(out.end(), column_changes.begin(), column_changes.end());

  // A resolution means something only while the key is declared.
  const auto pk_on_conflict = [](const Table& t) {
    return t.primary_key.empty() ? ConflictResolution::kAbort : t.primary_key_on_conflict;
  };
  if (Lower(from.primary_key) != Lower(to.primary_key) || pk_on_conflict(from) != pk_on_conflict(to))
    out.push_back(ChangePrimaryKey{from.primary_key, to.primary_key, pk_on_conflict(from), pk_on_conflict(to)});
  ChangeTableOptions switched;
  if (from.without_rowid != to.without_rowid) switched.options.push_back({"WITHOUT ROWID", from.without_rowid, to.without_rowid});
  if (from.strict != to.strict) switched.options.push_back({"STRICT", from.strict, to.strict});
  if (!switched.options.empty()) out.push_back(std::move(switched));
  DiffSet(from.uniques, to.uniques, SameUnique, out, [](auto& u) { return TableChange{AddUnique{u}}; },
          [](auto& u) { return TableChange{DropUnique{u}}; });
  DiffSet(from.foreign_keys, to.foreign_keys, SameForeignKey, out,
          [](auto& f) { return TableChange{AddForeignKey{f}}; },
          [](auto& f) { return TableChange{DropForeignKey{f}}; });
  DiffSet(from.checks, to.checks, SameCheck, out, [](auto& c) { return TableChange{AddCheck{c}}; },
          [](auto& c) { return TableChange{DropCheck{c}}; });
  const auto same_index = [&](const Index& a, const Index& b) { return SameIndex(options, a, b); };
  const auto same_trigger = [&](const Trigger& a, const Trigger& b) { return SameStatement(options, a, b); };
  DiffSet(from.indexes, to.indexes, same_index, out, [](auto& i) { return TableChange{AddIndex{i}}; },
          [](auto& i) { return TableChange{DropIndex{i}}; });
  DiffSet(from.triggers, to.triggers, same_trigger, out, [](auto& t) { return TableChange{AddTrigger{t}}; },
          [](auto& t) { return TableChange{DropTrigger{t}}; });
  if (options.compare_rows) DiffRows(from, to, out);
  return out;
}

// What a native rename does to the rest of the schema: RENAME TABLE and
// RENAME COLUMN rewrite every key, index and REFERENCES clause that names
// the old table or column, so those are not changes of their own.
class RenamedReferences {
 public:
  // The hints hold new names in lower case; `to` has their spelling.
  RenamedReferences(const RenameHints& hints, const Schema& to) {
    for (const auto& [new_table, old_table] : hints.tables) {
      const Table* t = to.FindTable(new_table);
      tables_[AsciiLower(old_table)] = t ? t->name : new_table;
    }
    for (const auto& [key, old_column] : hints.columns) {
      const std::string table = key.substr(0, key.find('.')), column = key.substr(key.find('.') + 1);
      const Table* t = to.FindTable(table);
      const strata::Column* c = t ? t->FindColumn(column) : nullptr;
      columns_[table + "." + AsciiLower(old_column)] = c ? c->name : column;
    }
  }

  // `t` (already under its new name) with its references renamed.
  Table Apply(Table t) const {
    for (std::string& c : t.primary_key) c = Column(t.name, c);
    for (UniqueConstraint& u : t.uniques)
      for (std::string& c : u.columns) c = Column(t.name, c);
    for (Index& i : t.indexes)
      for (IndexPart& p : i.parts) p.column = Column(t.name, p.column);
    for (ForeignKey& fk : t.foreign_keys) {
      for (std::string& c : fk.columns) c = Column(t.name, c);
      if (auto it = tables_.find(AsciiLower(fk.ref_table)); it != tables_.end()) fk.ref_table = it->second;
      for (std::string& c : fk.ref_columns) c = Column(fk.ref_table, c);
    }
    return t;
  }

 private:
  std::string Column(const std::string& table, const std::string& column) const {
    auto it = columns_.find(AsciiLower(table) + "." + AsciiLower(column));
    return it == columns_.end() ? column : it->second;
  }
  std::map<std::string, std::string> tables_;   // lower-case old name -> new name
  std::map<std::string, std::string> columns_;  // "new_table.old_column", lower case -> new column
};

}  // namespace

std::vector<Change> Diff(const Schema& from, const Schema& to, const RenameHints& hints,
                         const DiffOptions& options) {
  std::vector<Change> added, modified, dropped;
  std::map<std::string, const Table*> old_tables;
  for (const Table& t : from.tables) old_tables[AsciiLower(t.name)] = &t;
  std::map<std::string, bool> matched;
  const RenamedReferences renames(hints, to);
  for (const Table& t : to.tables) {
    std::string old_name = t.name;
    if (auto h = hints.tables.find(AsciiLower(t.name)); h != hints.tables.end()) old_name = h->second;
    auto it = old_tables.find(AsciiLower(old_name));
    if (it == old_tables.end() || matched[it->first]) {
      added.push_back(AddTable{t});
      continue;
    }
    matched[it->first] = true;
    const Table& before = *it->second;
    if (!EqualsIgnoreCase(before.name, t.name)) modified.push_back(RenameTable{before.name, t.name});
    // A copy under the new names only where a rename can apply: copying
    // every table made diffing two 1,000-table schemas copy all of them.
    std::optional<Table> renamed;
    if (!hints.tables.empty() || !hints.columns.empty() || before.name != t.name) {
      renamed = before;
      renamed->name = t.name;
      renamed = renames.Apply(std::move(*renamed));
    }
    const Table& old = renamed ? *renamed : before;
    std::vector<TableChange> changes = DiffTable(old, t, hints, options);
    if (!changes.empty()) modified.push_back(ModifyTable{old, t, std::move(changes)});
  }
  for (const Table& t : from.tables)
    if (!matched[AsciiLower(t.name)]) dropped.push_back(DropTable{t});
  std::vector<Change> out = std::move(added);
  out.insert(out.end(), modified.begin(), modified.end());
  out.insert(out.end(), dropped.begin(), dropped.end());
  for (const View& v : from.views)
    if (std::none_of(to.views.begin(), to.views.end(), [&](const View& w) { return SameStatement(options, v, w); }))
      out.push_back(DropView{v});
  for (const View& v : to.views)
    if (std::none_of(from.views.begin(), from.views.end(), [&](const View& w) { return SameStatement(options, v, w); }))
      out.push_back(AddView{v});
  return out;
}

}  // namespace strata
