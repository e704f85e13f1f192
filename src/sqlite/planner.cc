#include "sqlite/planner.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"
#include "plan/sql_layout.h"
#include "sqlite/rebuild.h"
#include "sqlite/sql_writer.h"
#include "sqlite/types.h"

namespace strata::sqlite {

namespace {

// ADD COLUMN is possible only for a column SQLite can fill in existing rows
// with a constant (lang_altertable.html section 4; verified on 3.40.1, where
// the last rules bite only when the table holds rows).
std::string AddColumnObstacle(const Column& c) {
  if (c.primary_key) return "a PRIMARY KEY column cannot be added with ALTER TABLE";
  if (c.unique) return "a UNIQUE column cannot be added with ALTER TABLE";
  if (c.generated && c.generated->stored) return "a STORED generated column cannot be added with ALTER TABLE";
  if (c.default_value && c.default_value->is_sql())
    return "a column with an expression default cannot be added with ALTER TABLE";
  if (!c.nullable && (!c.default_value || c.default_value->literal.is_null()))
    return "a NOT NULL column without a default cannot be added with ALTER TABLE";
  return {};
}

// Whether an SQL text mentions a column name as a word (a conservative test:
// a false positive only costs a rebuild).
bool Mentions(const std::string& sql, const std::string& column) {
  const std::string text = AsciiLower(sql), word = AsciiLower(column);
  const auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    bool starts = at == 0 || !ident(text[at - 1]);
    bool ends = at + word.size() >= text.size() || !ident(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// DROP COLUMN works only for a column nothing else depends on (section 5).
std::string DropColumnObstacle(const Table& t, const Column& c) {
  if (c.primary_key) return "a PRIMARY KEY column cannot be dropped with ALTER TABLE";
  if (c.unique) return "a UNIQUE column cannot be dropped with ALTER TABLE";
  const auto named = [&](const std::vector<std::string>& cols) {
    return std::any_of(cols.begin(), cols.end(), [&](const std::string& n) { return EqualsIgnoreCase(n, c.name); });
  };
  if (named(t.primary_key)) return "a key column cannot be dropped with ALTER TABLE";
  for (const UniqueConstraint& u : t.uniques)
    if (named(u.columns)) return "a column in a UNIQUE constraint cannot be dropped with ALTER TABLE";
  for (const ForeignKey& fk : t.foreign_keys)
    if (named(fk.columns)) return "a column in a foreign key cannot be dropped with ALTER TABLE";
  for (const Index& i : t.indexes) {
    for (const IndexPart& p : i.parts)
      if (EqualsIgnoreCase(p.column, c.name) || Mentions(p.expression, c.name))
        return "an indexed column cannot be dropped with ALTER TABLE";
    if (Mentions(i.where, c.name)) return "a column in a partial index cannot be dropped with ALTER TABLE";
  }
  for (const CheckConstraint& ck : t.checks)
    if (Mentions(ck.expr, c.name)) return "a column in a CHECK cannot be dropped with ALTER TABLE";
  for (const Column& other : t.columns)
    if (&other != &c && Mentions(other.check, c.name))
      return "a column in another column's CHECK cannot be dropped with ALTER TABLE";
    else if (&other != &c && other.generated && Mentions(other.generated->expr, c.name))
      return "a column a generated column reads cannot be dropped with ALTER TABLE";
  return {};
}

std::string RebuildReason(const TableChange& change) {
  struct Visitor {
    std::string operator()(const ModifyColumn& m) const {
      if (m.aspects & kColumnType) return "column type change cannot use ALTER TABLE";
      if (m.aspects & kColumnNullable) return "changing NOT NULL cannot use ALTER TABLE";
      if (m.aspects & kColumnDefault) return "changing a default cannot use ALTER TABLE";
      if (m.aspects & (kColumnPrimaryKey | kColumnAutoincrement)) return "changing the primary key cannot use ALTER TABLE";
      if (m.aspects & kColumnUnique) return "changing UNIQUE cannot use ALTER TABLE";
      if (m.aspects & kColumnCheck) return "changing a CHECK cannot use ALTER TABLE";
      if (m.aspects & kColumnGenerated) return "changing a generated column cannot use ALTER TABLE";
      if (m.aspects & kColumnOnConflict) return "changing an ON CONFLICT clause cannot use ALTER TABLE";
      return "changing a collation cannot use ALTER TABLE";
    }
    std::string operator()(const AddUnique&) const { return "adding a UNIQUE constraint cannot use ALTER TABLE"; }
    std::string operator()(const DropUnique&) const { return "dropping a UNIQUE constraint cannot use ALTER TABLE"; }
    std::string operator()(const AddForeignKey&) const { return "adding a foreign key cannot use ALTER TABLE"; }
    std::string operator()(const DropForeignKey&) const { return "dropping a foreign key cannot use ALTER TABLE"; }
    std::string operator()(const AddCheck&) const { return "adding a CHECK cannot use ALTER TABLE"; }
    std::string operator()(const DropCheck&) const { return "dropping a CHECK cannot use ALTER TABLE"; }
    std::string operator()(const ChangePrimaryKey& c) const {
      return c.from == c.to ? "changing an ON CONFLICT clause cannot use ALTER TABLE"
                            : "changing the primary key cannot use ALTER TABLE";
    }
    std::string operator()(const ChangeTableOptions&) const { return "WITHOUT ROWID and STRICT cannot change with ALTER TABLE"; }
    // ALTER TABLE or plain DML can do these (within the obstacles above).
    std::string operator()(const AddColumn&) const { return {}; }
    std::string operator()(const DropColumn&) const { return {}; }
    std::string operator()(const RenameColumn&) const { return {}; }
    std::string operator()(const AddIndex&) const { return {}; }
    std::string operator()(const AddTrigger&) const { return {}; }
    std::string operator()(const DropTrigger&) const { return {}; }
    std::string operator()(const DropIndex&) const { return {}; }
    std::string operator()(const InsertRow&) const { return {}; }
    std::string operator()(const UpdateRow&) const { return {}; }
    std::string operator()(const DeleteRow&) const { return {}; }
  };
  return std::visit(Visitor{}, change);
}

std::string KeyExpr(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : " || '/' || ") + ("quote(" + QuoteIdentifier(c) + ")");
  return out.empty() ? "'row ' || rowid" : out;
}

std::string NotNullAll(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : " AND ") + QuoteIdentifier(c) + " IS NOT NULL";
  return out;
}

std::string Joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + QuoteIdentifier(c);
  return out;
}

// The names of the migration's renames, new -> old: prechecks run before
// any step, so they must name tables and columns as they were.
class NamesBefore {
 public:
  explicit NamesBefore(const std::vector<Change>& changes) {
    for (const Change& c : changes) {
      if (const auto* r = std::get_if<RenameTable>(&c)) tables_[AsciiLower(r->to)] = r->from;
      if (const auto* m = std::get_if<ModifyTable>(&c))
        for (const TableChange& tc : m->changes)
          if (const auto* r = std::get_if<RenameColumn>(&tc)) columns_[AsciiLower(m->to.name + "." + r->to)] = r->from;
    }
  }
  std::string Table(const std::string& table) const {
    auto it = tables_.find(AsciiLower(table));
    return it == tables_.end() ? table : it->second;
  }
  // `table` under its new name.
  std::string Column(const std::string& table, const std::string& column) const {
    auto it = columns_.find(AsciiLower(table + "." + column));
    return it == columns_.end() ? column : it->second;
  }

 private:
  std::map<std::string, std::string> tables_, columns_;
};

// What the prechecks need to know besides the change: they run before any
// step, so they name tables as they are before the migration.
struct PrecheckContext {
  const Schema& from_schema;
  const Schema& to_schema;
  const NamesBefore& names_before;
  std::string table_before;  // the table's name before a rename in this migration
  // The existing rows as the new definition names them (see RowsAsNew);
  // empty for the table itself.
  std::string source;
  std::vector<std::string> source_columns;  // the columns `source` has; empty: the table's own

  std::string Source() const { return source.empty() ? QuoteIdentifier(table_before) : source; }
  bool HasColumn(const Table& from, const std::string& column) const {
    if (source_columns.empty()) return from.FindColumn(column) != nullptr;
    return std::any_of(source_columns.begin(), source_columns.end(),
                       [&](const std::string& c) { return EqualsIgnoreCase(c, column); });
  }
};

// A literal default as the column stores it: a column of numeric affinity
// turns text that reads as a number into that number (datatype3.html,
// section 3), so a CHECK on the new column sees what the table would hold.
std::string StoredLiteral(const Column& c) {
  const Value& v = c.default_value->literal;
  const Affinity affinity = TypeAffinity(c.type);
  // An ANY column of a STRICT table stores values as given; strata takes
  // the same view of ANY in any table.
  const bool converts_text = affinity != Affinity::kText && affinity != Affinity::kBlob &&
                             AsciiUpper(Trim(c.type)) != "ANY";
  if (const auto* text = std::get_if<std::string>(&v.data); text && converts_text) {
    std::string_view trimmed = Trim(*text);
    double number = 0;
    auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
    if (!trimmed.empty() && ec == std::errc() && end == trimmed.data() + trimmed.size()) return std::string(trimmed);
  }
  return RenderLiteral(v);
}

// The existing rows of a table as its new definition names them: renamed
// columns under their new names, added columns with the value they will
// get. Prechecks read this, so that a check written in the new names (a
// CHECK on a renamed column, a UNIQUE over a column this migration adds)
// can run before any step.
void RowsAsNew(const Table& from, const ModifyTable& m, PrecheckContext& ctx) {
  std::map<std::string, std::string> renamed;  // lower-case old name -> new name
  std::vector<const Column*> added;
  for (const TableChange& c : m.changes) {
    if (const auto* r = std::get_if<RenameColumn>(&c)) renamed[AsciiLower(r->from)] = r->to;
    if (const auto* a = std::get_if<AddColumn>(&c)) added.push_back(&a->column);
  }
  if (renamed.empty() && added.empty()) return;
  std::string select;
  const auto add = [&](const std::string& expr, const std::string& name) {
    select += (select.empty() ? "" : ", ") + expr + " AS " + QuoteIdentifier(name);
    ctx.source_columns.push_back(name);
  };
  for (const Column& c : from.columns) {
    auto r = renamed.find(AsciiLower(c.name));
    add(QuoteIdentifier(c.name), r == renamed.end() ? c.name : r->second);
  }
  for (const Column* c : added) {
    std::string value = "NULL";
    if (c->default_value) value = c->default_value->is_sql() ? "(" + c->default_value->sql + ")" : StoredLiteral(*c);
    add(value, c->name);
  }
  if (!from.without_rowid) select += ", rowid";
  ctx.source = fmt::format("(SELECT {} FROM {})", select, QuoteIdentifier(ctx.table_before));
}

// Rows of `from` whose key matches no parent row: what a new (or newly
// enforced) foreign key would refuse. NULL in any key column exempts a row.
void AddOrphanPrecheck(const PrecheckContext& ctx, const Table& from, const ForeignKey& f, Plan& plan) {
  const bool all_exist = std::all_of(f.columns.begin(), f.columns.end(),
                                     [&](const std::string& c) { return ctx.HasColumn(from, c); });
  const Table* parent_before = ctx.from_schema.FindTable(ctx.names_before.Table(f.ref_table));
  const Table* parent_after = ctx.to_schema.FindTable(f.ref_table);
  if (!all_exist || !parent_after) return;
  std::vector<std::string> parent_cols = f.ParentColumns(*parent_after);
  std::string guard;
  for (const std::string& c : f.columns) guard += (guard.empty() ? "" : " AND ") + ("c." + QuoteIdentifier(c) + " IS NOT NULL");
  // A parent the migration creates is empty: every keyed row is an orphan.
  std::string orphan = "1";
  if (parent_before) {
    std::string match;
    for (size_t i = 0; i < f.columns.size() && i < parent_cols.size(); ++i)
      match += fmt::format("{}p.{} = c.{}", match.empty() ? "" : " AND ",
                           QuoteIdentifier(ctx.names_before.Column(f.ref_table, parent_cols[i])),
                           QuoteIdentifier(f.columns[i]));
    orphan = fmt::format("NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})", QuoteIdentifier(parent_before->name), match);
  }
  Check check{fmt::format("\"{}\" has rows whose ({}) match no row of \"{}\" (orphans)", from.name,
                          Joined(f.columns), f.ref_table),
              fmt::format("SELECT {} AS k FROM {} AS c WHERE {} AND {}", KeyExpr(f.columns), ctx.Source(), guard,
                          orphan)};
  // A foreign key both added and newly enforced needs one check.
  for (const Check& existing : plan.prechecks)
    if (existing.sql == check.sql) return;
  plan.prechecks.push_back(std::move(check));
}

// Data-dependent changes get a check on the existing rows that names the
// offenders, so the migration fails before it changes anything.
void AddPrechecks(const PrecheckContext& ctx, const Table& from, const Table& to, const TableChange& change,
                  Plan& plan) {
  const std::string table = ctx.Source();
  const std::string who = KeyExpr(to.PrimaryKeyColumns());
  auto duplicates = [&](const std::vector<std::string>& cols, const std::string& what) {
    plan.prechecks.push_back(
        {fmt::format("\"{}\" has rows with the same ({}), which {} forbids", to.name, Joined(cols), what),
         fmt::format("SELECT {} || ' x' || count(*) AS k FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1",
                     KeyExpr(cols), table, NotNullAll(cols), Joined(cols))});
  };
  if (const auto* u = std::get_if<AddUnique>(&change)) duplicates(u->unique.columns, "the new UNIQUE constraint");
  if (const auto* i = std::get_if<AddIndex>(&change); i && i->index.unique) {
    std::vector<std::string> cols;
    for (const IndexPart& p : i->index.parts) cols.push_back(p.column);
    bool all_exist = std::all_of(cols.begin(), cols.end(), [&](const std::string& c) { return ctx.HasColumn(from, c); });
    if (all_exist && i->index.where.empty()) duplicates(cols, "unique index \"" + i->index.name + "\"");
  }
  if (const auto* fk = std::get_if<AddForeignKey>(&change)) AddOrphanPrecheck(ctx, from, fk->foreign_key, plan);
  if (const auto* m = std::get_if<ModifyColumn>(&change)) {
    const std::string col = QuoteIdentifier(m->to.name);
    if ((m->aspects & kColumnNullable) && !m->to.nullable)
      plan.prechecks.push_back({fmt::format("\"{}\".\"{}\" holds NULLs, which NOT NULL forbids", to.name, m->to.name),
                                fmt::format("SELECT {} AS k FROM {} WHERE {} IS NULL", who, table, col)});
    if ((m->aspects & kColumnUnique) && m->to.unique) duplicates({m->to.name}, "UNIQUE");
    if ((m->aspects & kColumnCheck) && !m->to.check.empty())
      plan.prechecks.push_back({fmt::format("rows of \"{}\" fail CHECK ({})", to.name, m->to.check),
                                fmt::format("SELECT {} AS k FROM {} WHERE NOT ({})", who, table, m->to.check)});
  }
  if (const auto* ck = std::get_if<AddCheck>(&change))
    plan.prechecks.push_back({fmt::format("rows of \"{}\" fail CHECK ({})", to.name, ck->check.expr),
                              fmt::format("SELECT {} AS k FROM {} WHERE NOT ({})", who, table, ck->check.expr)});
  if (const auto* add = std::get_if<AddColumn>(&change)) {
    const Column& c = add->column;
    bool fills_itself = c.autoincrement || (c.primary_key && AsciiUpper(c.type) == "INTEGER");
    if (!c.nullable && (!c.default_value || (!c.default_value->is_sql() && c.default_value->literal.is_null())) &&
        !fills_itself)
      plan.prechecks.push_back(
          {fmt::format("\"{}\" has rows, and new column \"{}\" is NOT NULL without a default", to.name, c.name),
           fmt::format("SELECT {} AS k FROM {}", who, table)});
  }
}

// The triggers' names, lower case, as an SQL list: "'a', 'b'".
std::string LowerNames(const std::vector<Trigger>& triggers) {
  std::string names;
  for (const Trigger& t : triggers) names += (names.empty() ? "" : ", ") + QuoteString(AsciiLower(t.name));
  return names;
}

std::string WhereKey(const Table& t, const ReferenceRow& row) {
  std::vector<std::string> key = t.row_key.empty() ? t.PrimaryKeyColumns() : t.row_key;
  std::string out;
  for (const std::string& k : key) {
    const Value* v = row.Find(k);
    out += (out.empty() ? "" : " AND ") + QuoteIdentifier(k) + (v && !v->is_null() ? " = " + RenderLiteral(*v) : " IS NULL");
  }
  return out;
}

// Reference row changes, in an order that keeps keys unique: deletes,
// updates, inserts.
void PlanRows(const Table& to, const std::vector<TableChange>& changes, Step& step) {
  for (const TableChange& c : changes)
    if (const auto* d = std::get_if<DeleteRow>(&c))
      step.sql.push_back(fmt::format("DELETE FROM {} WHERE {}", QuoteIdentifier(to.name), WhereKey(to, d->row)));
  for (const TableChange& c : changes)
    if (const auto* u = std::get_if<UpdateRow>(&c)) {
      std::string set;
      for (const auto& [column, value] : u->to.values)
        set += (set.empty() ? "" : ", ") + QuoteIdentifier(column) + " = " + RenderLiteral(value);
      step.sql.push_back(fmt::format("{} {} SET {} WHERE {}", WriteVerb(to, "UPDATE"), QuoteIdentifier(to.name), set,
                                     WhereKey(to, u->from)));
    }
  for (const TableChange& c : changes)
    if (const auto* i = std::get_if<InsertRow>(&c)) step.sql.push_back(InsertRowSql(to, i->row));
}

int64_t RowDelta(const std::vector<TableChange>& changes) {
  int64_t delta = 0;
  for (const TableChange& c : changes) {
    if (std::holds_alternative<InsertRow>(c)) ++delta;
    if (std::holds_alternative<DeleteRow>(c)) --delta;
  }
  return delta;
}

void PlanModifyTable(PrecheckContext ctx, const ModifyTable& m, Plan& plan) {
  RowsAsNew(m.from, m, ctx);
  const Table& from = m.from;
  const Table& to = m.to;
  const std::string table = QuoteIdentifier(to.name);

  std::string rebuild_reason;
  for (const TableChange& c : m.changes) {
    AddPrechecks(ctx, from, to, c, plan);
    if (rebuild_reason.empty()) rebuild_reason = RebuildReason(c);
    if (const auto* add = std::get_if<AddColumn>(&c); add && rebuild_reason.empty())
      rebuild_reason = AddColumnObstacle(add->column);
    if (const auto* drop = std::get_if<DropColumn>(&c); drop && rebuild_reason.empty())
      rebuild_reason = DropColumnObstacle(from, *from.FindColumn(drop->column.name));
  }

  // ALTER TABLE ADD COLUMN appends; a column the new definition places
  // before a kept one needs the rebuild (a down migration re-adding a
  // dropped middle column, for example).
  if (rebuild_reason.empty()) {
    std::vector<std::string> appended;
    for (const Column& c : from.columns) {
      std::string name = c.name;
      bool dropped = false;
      for (const TableChange& ch : m.changes) {
        if (const auto* r = std::get_if<RenameColumn>(&ch); r && EqualsIgnoreCase(r->from, c.name)) name = r->to;
        if (const auto* d = std::get_if<DropColumn>(&ch); d && EqualsIgnoreCase(d->column.name, c.name)) dropped = true;
      }
      if (!dropped) appended.push_back(AsciiLower(name));
    }
    for (const TableChange& ch : m.changes)
      if (const auto* a = std::get_if<AddColumn>(&ch)) appended.push_back(AsciiLower(a->column.name));
    std::vector<std::string> wanted;
    for (const Column& c : to.columns) wanted.push_back(AsciiLower(c.name));
    if (appended != wanted) rebuild_reason = "ALTER TABLE ADD COLUMN appends, and the new column order differs";
  }

  // Renames are always native: a rebuild would leave the children's foreign
  // keys naming the old column, and RENAME COLUMN rewrites them.
  Table current = from;
  for (const TableChange& c : m.changes)
    if (const auto* r = std::get_if<RenameColumn>(&c)) {
      plan.steps.push_back({fmt::format("rename column \"{}\".\"{}\" to \"{}\"", to.name, r->from, r->to),
                            {fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", table, QuoteIdentifier(r->from),
                                         QuoteIdentifier(r->to))}});
      for (Column& col : current.columns)
        if (EqualsIgnoreCase(col.name, r->from)) col.name = r->to;
      for (Index& i : current.indexes)
        for (IndexPart& p : i.parts)
          if (EqualsIgnoreCase(p.column, r->from)) p.column = r->to;
    }

  for (const TableChange& c : m.changes) {
    // A generated column's values are computed from the other columns, so
    // dropping one loses nothing; without this, undoing an added generated
    // column demanded --allow-destructive.
    if (const auto* d = std::get_if<DropColumn>(&c); d && d->column.generated) continue;
    if (IsDestructive(c, {.narrows = NarrowsAffinity})) plan.destructive_changes.push_back(Describe(to.name, c));
  }

  Step rows{fmt::format("reference rows of \"{}\"", to.name), {}};
  PlanRows(to, m.changes, rows);

  if (!rebuild_reason.empty()) {
    // DROP TABLE takes the table's triggers with it. The declared ones are
    // re-created below; one the schema does not declare could not be, so
    // the migration refuses, naming it.
    plan.prechecks.push_back(
        {fmt::format("\"{}\" has triggers the schema does not declare, which its rebuild would drop (declare "
                     "them under `triggers`)",
                     ctx.table_before),
         fmt::format("SELECT name AS k FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = {} COLLATE NOCASE{}",
                     QuoteString(ctx.table_before),
                     from.triggers.empty() ? "" : " AND lower(name) NOT IN (" + LowerNames(from.triggers) + ")")});
    PlanTableRebuild(current, ctx.table_before, to, ctx.to_schema, rebuild_reason, RowDelta(m.changes), plan);
    // Reference rows are the schema's, not the application's: they go in
    // before the triggers come back, as in a table created new.
    if (!rows.sql.empty()) plan.steps.push_back(std::move(rows));
    if (!to.triggers.empty()) {
      Step triggers{fmt::format("re-create the triggers of \"{}\"", to.name), {}};
      for (const Trigger& t : to.triggers) triggers.sql.push_back(t.sql);
      plan.steps.push_back(std::move(triggers));
    }
  } else {
    // A trigger that names a column blocks its DROP COLUMN: old ones go first.
    for (const TableChange& c : m.changes)
      if (const auto* d = std::get_if<DropTrigger>(&c))
        plan.steps.push_back({fmt::format("drop trigger \"{}\"", d->trigger.name),
                              {"DROP TRIGGER " + QuoteIdentifier(d->trigger.name)}});
    for (const TableChange& c : m.changes)
      if (const auto* d = std::get_if<DropIndex>(&c))
        plan.steps.push_back({fmt::format("drop index \"{}\"", d->index.name),
                              {"DROP INDEX " + QuoteIdentifier(d->index.name)}});
    for (const TableChange& c : m.changes)
      if (const auto* d = std::get_if<DropColumn>(&c))
        plan.steps.push_back({fmt::format("drop column \"{}\".\"{}\"{}", to.name, d->column.name,
                                          d->column.generated ? " (generated: nothing is lost)" : " (its data is lost)"),
                              {fmt::format("ALTER TABLE {} DROP COLUMN {}", table, QuoteIdentifier(d->column.name))},
                              !d->column.generated});
    for (const TableChange& c : m.changes)
      if (const auto* a = std::get_if<AddColumn>(&c))
        plan.steps.push_back({fmt::format("add column \"{}\".\"{}\"", to.name, a->column.name),
                              {fmt::format("ALTER TABLE {} ADD COLUMN {}", table, ColumnDefinitionSql(a->column))}});
    for (const TableChange& c : m.changes)
      if (const auto* a = std::get_if<AddIndex>(&c))
        plan.steps.push_back({fmt::format("add index \"{}\"", a->index.name), {CreateIndexSql(to, a->index)}});
    if (!rows.sql.empty()) plan.steps.push_back(std::move(rows));
    for (const TableChange& c : m.changes)
      if (const auto* a = std::get_if<AddTrigger>(&c))
        plan.steps.push_back({fmt::format("add trigger \"{}\"", a->trigger.name), {a->trigger.sql}});
  }
}

// Checks that the touched tables of `to` have exactly the columns and
// indexes of the model, and that dropped tables are gone: in a shell that
// goes on after an error, this is what notices a statement that failed.
void AddSchemaPostchecks(const Schema& to, const std::vector<std::string>& touched,
                         const std::vector<std::string>& dropped, Plan& plan) {
  for (const std::string& name : touched) {
    const Table* t = to.FindTable(name);
    if (!t) continue;
    std::vector<std::string> pk = t->PrimaryKeyColumns();
    std::string columns;
    for (const Column& c : t->columns) {
      if (c.generated) continue;  // pragma_table_info leaves generated columns out
      int pk_position = 0;
      for (size_t i = 0; i < pk.size(); ++i)
        if (EqualsIgnoreCase(pk[i], c.name)) pk_position = static_cast<int>(i) + 1;
      columns += fmt::format("{}{} {} {} {}", columns.empty() ? "" : ", ", c.name, c.type, c.nullable ? 0 : 1,
                             pk_position);
    }
    plan.postchecks.push_back(
        {fmt::format("table \"{}\" has the columns of the schema", t->name),
         fmt::format("SELECT coalesce(f, 'no table') || '; expected: ' || e AS k FROM (SELECT (SELECT "
                     "group_concat(name || ' ' || type || ' ' || \"notnull\" || ' ' || pk, ', ') FROM (SELECT * FROM "
                     "pragma_table_info({}) ORDER BY cid)) AS f, {} AS e) WHERE f IS NOT e",
                     QuoteString(t->name), LiteralInParts(columns))});
    std::vector<std::string> names;
    for (const Index& i : t->indexes) names.push_back(AsciiLower(i.name));
    std::sort(names.begin(), names.end());
    std::string expected;
    for (const std::string& n : names) expected += (expected.empty() ? "" : ", ") + n;
    plan.postchecks.push_back(
        {fmt::format("table \"{}\" has the indexes of the schema", t->name),
         fmt::format("SELECT coalesce(f, 'none') || '; expected: ' || coalesce(e, 'none') AS k FROM (SELECT "
                     "(SELECT group_concat(n, ', ') FROM (SELECT lower(name) AS n FROM pragma_index_list({}) WHERE "
                     "origin = 'c' ORDER BY 1)) AS f, {} AS e) WHERE coalesce(f, '') <> coalesce(e, '')",
                     QuoteString(t->name), expected.empty() ? "NULL" : LiteralInParts(expected))});
  }
  for (const std::string& name : touched) {
    const Table* t = to.FindTable(name);
    if (!t || t->triggers.empty()) continue;
    plan.postchecks.push_back(
        {fmt::format("table \"{}\" has the triggers of the schema", t->name),
         fmt::format("SELECT count(*) || ' of the {} declared triggers' AS k FROM sqlite_schema WHERE type = "
                     "'trigger' AND tbl_name = {} COLLATE NOCASE AND lower(name) IN ({}) HAVING count(*) <> {}",
                     t->triggers.size(), QuoteString(t->name), LowerNames(t->triggers), t->triggers.size())});
  }
  for (const std::string& name : dropped)
    plan.postchecks.push_back({fmt::format("table \"{}\" is gone", name),
                               fmt::format("SELECT name AS k FROM sqlite_schema WHERE type = 'table' AND name = {}",
                                           QuoteString(name))});
}

}  // namespace

Plan PlanChanges(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                 const MigrationOptions& options) {
  Plan plan;
  if (options.up)
    for (const Table& t : to.tables)
      for (const DataFix& fix : t.data_fixes)
        plan.data_fixes.push_back({fmt::format("data fix \"{}\": {}", fix.name, fix.description), {fix.sql}});

  const NamesBefore names_before(changes);

  // The declared views go first and come back last, all of them: SQLite
  // checks every view at each ALTER, so one that reads a changed table,
  // column or view would block the change, and views may read each other.
  const bool move_views = !changes.empty() && (!from.views.empty() || !to.views.empty());
  if (move_views)
    for (auto v = from.views.rbegin(); v != from.views.rend(); ++v)
      plan.steps.push_back({fmt::format("drop view \"{}\" (views come back after the tables)", v->name),
                            {"DROP VIEW IF EXISTS " + QuoteIdentifier(v->name)}});

  // Table renames first, natively: RENAME TO rewrites the foreign keys of
  // the children, and later steps use the new names.
  for (const Change& c : changes)
    if (const auto* r = std::get_if<RenameTable>(&c))
      plan.steps.push_back({fmt::format("rename table \"{}\" to \"{}\"", r->from, r->to),
                            {fmt::format("ALTER TABLE {} RENAME TO {}", QuoteIdentifier(r->from), QuoteIdentifier(r->to))}});
  for (const Change& c : changes)
    if (const auto* a = std::get_if<AddTable>(&c)) {
      Step step{fmt::format("create table \"{}\"", a->table.name), {CreateTableSql(a->table)}};
      for (const Index& i : a->table.indexes) step.sql.push_back(CreateIndexSql(a->table, i));
      for (const ReferenceRow& r : a->table.rows) step.sql.push_back(InsertRowSql(a->table, r));
      // After the reference rows, which are the schema's, not the application's.
      for (const Trigger& t : a->table.triggers) step.sql.push_back(t.sql);
      plan.steps.push_back(std::move(step));
      if (!a->table.foreign_keys.empty() && !a->table.rows.empty())
        plan.postchecks.push_back(ForeignKeysHold(a->table.name, "in its reference rows"));
    }
  if (options.verify_all_foreign_keys)
    for (const Table& t : to.tables)
      if (const Table* before = from.FindTable(t.name))
        for (const ForeignKey& fk : t.foreign_keys)
          AddOrphanPrecheck({from, to, names_before, before->name}, *before, fk, plan);
  for (const Change& c : changes)
    if (const auto* m = std::get_if<ModifyTable>(&c)) {
      PrecheckContext ctx{from, to, names_before, m->to.name};
      for (const Change& r : changes)
        if (const auto* rename = std::get_if<RenameTable>(&r); rename && rename->to == m->to.name)
          ctx.table_before = rename->from;
      PlanModifyTable(ctx, *m, plan);
    }
  std::vector<std::string> touched, dropped;
  for (const Change& c : changes)
    if (const auto* d = std::get_if<DropTable>(&c)) {
      plan.steps.push_back({fmt::format("drop table \"{}\" (its rows are lost)", d->table.name),
                            {"DROP TABLE " + QuoteIdentifier(d->table.name)}, true});
      plan.destructive_changes.push_back(Describe(c));
      dropped.push_back(d->table.name);
    } else if (const auto* a = std::get_if<AddTable>(&c)) {
      touched.push_back(a->table.name);
    } else if (const auto* m = std::get_if<ModifyTable>(&c)) {
      touched.push_back(m->to.name);
    } else if (const auto* r = std::get_if<RenameTable>(&c)) {
      touched.push_back(r->to);
      dropped.push_back(r->from);
    }
  if (move_views)
    for (const View& v : to.views) {
      Step step{fmt::format("create view \"{}\"", v.name), {v.sql}};
      for (const Trigger& t : v.triggers) step.sql.push_back(t.sql);
      plan.steps.push_back(std::move(step));
    }
  // A deleted or re-keyed reference row can orphan the children of its
  // table, which no rebuild or ALTER would notice.
  for (const Change& c : changes)
    if (const auto* m = std::get_if<ModifyTable>(&c))
      for (const TableChange& tc : m->changes)
        if (std::holds_alternative<DeleteRow>(tc) || std::holds_alternative<UpdateRow>(tc)) {
          for (const Table& child : to.tables)
            for (const ForeignKey& fk : child.foreign_keys)
              if (EqualsIgnoreCase(fk.ref_table, m->to.name)) {
                Check check = ForeignKeysHold(child.name, fmt::format("after the reference rows of \"{}\" changed", m->to.name));
                if (std::none_of(plan.postchecks.begin(), plan.postchecks.end(),
                                 [&](const Check& existing) { return existing.sql == check.sql; }))
                  plan.postchecks.push_back(std::move(check));
              }
          break;
        }
  AddSchemaPostchecks(to, touched, dropped, plan);
  return plan;
}

}  // namespace strata::sqlite
