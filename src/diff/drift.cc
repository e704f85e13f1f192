#include "diff/drift.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata {

namespace {

std::string Columns(const std::vector<std::string>& columns) { return fmt::format("({})", fmt::join(columns, ", ")); }

std::string Finding(const TableChange& change) {
  struct Visitor {
    std::string operator()(const AddColumn& c) const { return fmt::format("extra column \"{}\"", c.column.name); }
    std::string operator()(const DropColumn& c) const { return fmt::format("column \"{}\" is missing", c.column.name); }
    std::string operator()(const RenameColumn& c) const { return fmt::format("column \"{}\" is named \"{}\"", c.from, c.to); }
    std::string operator()(const ModifyColumn& c) const {
      std::vector<std::string> what;
      if (c.aspects & kColumnType)
        what.push_back(fmt::format("type is {} instead of {}", DescribeType(c.to), DescribeType(c.from)));
      if (c.aspects & kColumnNullable) what.push_back(c.to.nullable ? "allows NULL (expected NOT NULL)" : "is NOT NULL (expected nullable)");
      if (c.aspects & kColumnDefault)
        what.push_back(fmt::format("default is {} instead of {}", c.to.default_value ? c.to.default_value->ToString() : "none",
                                   c.from.default_value ? c.from.default_value->ToString() : "none"));
      if (c.aspects & (kColumnPrimaryKey | kColumnAutoincrement)) what.push_back("primary key differs");
      if (c.aspects & kColumnUnique) what.push_back(c.to.unique ? "is UNIQUE (expected not)" : "is not UNIQUE (expected UNIQUE)");
      if (c.aspects & kColumnCheck) what.push_back("CHECK differs");
      if (c.aspects & kColumnCollation) what.push_back("collation differs");
      if (c.aspects & kColumnGenerated)
        what.push_back(!c.to.generated    ? "is not generated (expected generated)"
                       : !c.from.generated ? "is generated (expected a stored value)"
                                           : fmt::format("is generated as ({}){} instead of ({}){}", c.to.generated->expr,
                                                         c.to.generated->stored ? " STORED" : "", c.from.generated->expr,
                                                         c.from.generated->stored ? " STORED" : ""));
      for (const ConflictChange& cc : ConflictChanges(c.from, c.to))
        what.push_back(fmt::format("{} is ON CONFLICT {} instead of {}", cc.constraint, ConflictResolutionName(cc.to),
                                   ConflictResolutionName(cc.from)));
      return fmt::format("column \"{}\": {}", c.to.name, fmt::join(what, "; "));
    }
    std::string operator()(const AddIndex& c) const { return fmt::format("extra index \"{}\"", c.index.name); }
    std::string operator()(const DropIndex& c) const { return fmt::format("index \"{}\" is missing or differs", c.index.name); }
    std::string operator()(const AddUnique& c) const {
      return fmt::format("extra UNIQUE {}{}", Columns(c.unique.columns), OnConflictSuffix(c.unique.on_conflict));
    }
    std::string operator()(const DropUnique& c) const {
      return fmt::format("UNIQUE {}{} is missing", Columns(c.unique.columns), OnConflictSuffix(c.unique.on_conflict));
    }
    std::string operator()(const AddForeignKey& c) const {
      return fmt::format("extra foreign key {} -> \"{}\"", Columns(c.foreign_key.columns), c.foreign_key.ref_table);
    }
    std::string operator()(const DropForeignKey& c) const {
      return fmt::format("foreign key {} -> \"{}\" is missing or differs", Columns(c.foreign_key.columns),
                         c.foreign_key.ref_table);
    }
    std::string operator()(const AddCheck& c) const { return fmt::format("extra CHECK ({})", c.check.expr); }
    std::string operator()(const DropCheck& c) const { return fmt::format("CHECK ({}) is missing", c.check.expr); }
    std::string operator()(const ChangePrimaryKey& c) const {
      return fmt::format("primary key is {}{} instead of {}{}", Columns(c.to), OnConflictSuffix(c.to_on_conflict),
                         Columns(c.from), OnConflictSuffix(c.from_on_conflict));
    }
    std::string operator()(const ChangeTableOptions& c) const {
      std::string out;
      for (const TableOptionChange& o : c.options)
        out += fmt::format("{}is {}{} instead of {}{}", out.empty() ? "" : "; ", o.to ? "" : "not ", o.option,
                           o.from ? "" : "not ", o.option);
      return out;
    }
    std::string operator()(const AddTrigger& c) const { return fmt::format("extra trigger \"{}\"", c.trigger.name); }
    std::string operator()(const DropTrigger& c) const {
      return fmt::format("trigger \"{}\" is missing or differs", c.trigger.name);
    }
    std::string operator()(const InsertRow&) const { return "extra reference row"; }
    std::string operator()(const UpdateRow&) const { return "a reference row differs"; }
    std::string operator()(const DeleteRow&) const { return "a reference row is missing"; }
  };
  return std::visit(Visitor{}, change);
}

std::string Key(const IndexPart& p) {
  std::string out = p.expression.empty() ? p.column : "(" + p.expression + ")";
  if (!p.collation.empty()) out += " COLLATE " + p.collation;
  return p.descending ? out + " DESC" : out;
}

std::string Shape(const Index& i) {
  std::vector<std::string> keys;
  for (const IndexPart& p : i.parts) keys.push_back(Key(p));
  return fmt::format("{}({}){}", i.unique ? "UNIQUE " : "", fmt::join(keys, ", "), i.where.empty() ? "" : " WHERE " + i.where);
}

std::string Shape(const ForeignKey& fk) {
  return fmt::format("-> \"{}\"{} ON DELETE {} ON UPDATE {}{}", fk.ref_table,
                     fk.ref_columns.empty() ? "" : " " + Columns(fk.ref_columns), FkActionName(fk.on_delete),
                     FkActionName(fk.on_update), fk.deferred ? " DEFERRABLE INITIALLY DEFERRED" : "");
}

bool Same(const std::string& a, const std::string& b) { return AsciiLower(a) == AsciiLower(b); }

// A changed index, trigger, foreign key or UNIQUE constraint reaches the
// drift as a drop of the expected one and an add of the live one: one
// finding saying how they differ, not two.
std::vector<std::string> TableFindings(const std::vector<TableChange>& changes) {
  std::vector<std::string> out;
  std::vector<bool> paired(changes.size(), false);
  for (size_t i = 0; i < changes.size(); ++i) {
    if (paired[i]) continue;
    for (size_t j = i + 1; j < changes.size() && !paired[i]; ++j) {
      if (paired[j]) continue;
      const auto* di = std::get_if<DropIndex>(&changes[i]);
      const auto* ai = std::get_if<AddIndex>(&changes[j]);
      const auto* dt = std::get_if<DropTrigger>(&changes[i]);
      const auto* at = std::get_if<AddTrigger>(&changes[j]);
      const auto* df = std::get_if<DropForeignKey>(&changes[i]);
      const auto* af = std::get_if<AddForeignKey>(&changes[j]);
      const auto* du = std::get_if<DropUnique>(&changes[i]);
      const auto* au = std::get_if<AddUnique>(&changes[j]);
      std::string finding;
      if (di && ai && Same(di->index.name, ai->index.name))
        finding = fmt::format("index \"{}\" is {} instead of {}", ai->index.name, Shape(ai->index), Shape(di->index));
      else if (dt && at && Same(dt->trigger.name, at->trigger.name))
        finding = fmt::format("trigger \"{}\" differs: its SQL is\n    {}", at->trigger.name, at->trigger.sql);
      else if (df && af && Columns(df->foreign_key.columns) == Columns(af->foreign_key.columns))
        finding = fmt::format("foreign key {} is {} instead of {}", Columns(af->foreign_key.columns),
                              Shape(af->foreign_key), Shape(df->foreign_key));
      else if (du && au && Columns(du->unique.columns) == Columns(au->unique.columns))
        finding = fmt::format("UNIQUE {} is ON CONFLICT {} instead of {}", Columns(au->unique.columns),
                              ConflictResolutionName(au->unique.on_conflict), ConflictResolutionName(du->unique.on_conflict));
      if (finding.empty()) continue;
      paired[i] = paired[j] = true;
      out.push_back(std::move(finding));
    }
    if (!paired[i]) out.push_back(Finding(changes[i]));
  }
  return out;
}

}  // namespace

std::vector<DriftItem> DescribeDrift(const std::vector<Change>& changes) {
  std::vector<DriftItem> out;
  std::vector<const View*> dropped_views;
  for (const Change& change : changes)
    if (const auto* d = std::get_if<DropView>(&change)) dropped_views.push_back(&d->view);
  for (const Change& change : changes) {
    if (const auto* a = std::get_if<AddTable>(&change)) out.push_back({a->table.name, "extra table"});
    if (const auto* d = std::get_if<DropTable>(&change)) out.push_back({d->table.name, "table is missing"});
    if (const auto* r = std::get_if<RenameTable>(&change)) out.push_back({r->to, fmt::format("table \"{}\" is named \"{}\"", r->from, r->to)});
    if (const auto* m = std::get_if<ModifyTable>(&change))
      for (std::string& finding : TableFindings(m->changes)) out.push_back({m->to.name, std::move(finding)});
    if (const auto* a = std::get_if<AddView>(&change)) {
      const bool changed = std::any_of(dropped_views.begin(), dropped_views.end(),
                                       [&](const View* v) { return Same(v->name, a->view.name); });
      out.push_back({a->view.name, changed ? fmt::format("view differs (its SQL or INSTEAD OF triggers): it is\n    {}",
                                                         a->view.sql)
                                           : "extra view"});
    }
    if (const auto* d = std::get_if<DropView>(&change))
      if (std::none_of(changes.begin(), changes.end(), [&](const Change& c) {
            const auto* a = std::get_if<AddView>(&c);
            return a && Same(a->view.name, d->view.name);
          }))
        out.push_back({d->view.name, "view is missing"});
  }
  return out;
}

}  // namespace strata
