#include "diff/drift.h"

#include <fmt/format.h>

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
      if (c.aspects & kColumnType) what.push_back(fmt::format("type is {} instead of {}", c.to.type, c.from.type));
      if (c.aspects & kColumnNullable) what.push_back(c.to.nullable ? "allows NULL (expected NOT NULL)" : "is NOT NULL (expected nullable)");
      if (c.aspects & kColumnDefault)
        what.push_back(fmt::format("default is {} instead of {}", c.to.default_value ? c.to.default_value->ToString() : "none",
                                   c.from.default_value ? c.from.default_value->ToString() : "none"));
      if (c.aspects & (kColumnPrimaryKey | kColumnAutoincrement)) what.push_back("primary key differs");
      if (c.aspects & kColumnUnique) what.push_back(c.to.unique ? "is UNIQUE (expected not)" : "is not UNIQUE (expected UNIQUE)");
      if (c.aspects & kColumnCheck) what.push_back("CHECK differs");
      if (c.aspects & kColumnCollation) what.push_back("collation differs");
      return fmt::format("column \"{}\": {}", c.to.name, fmt::join(what, "; "));
    }
    std::string operator()(const AddIndex& c) const { return fmt::format("extra index \"{}\"", c.index.name); }
    std::string operator()(const DropIndex& c) const { return fmt::format("index \"{}\" is missing or differs", c.index.name); }
    std::string operator()(const AddUnique& c) const { return fmt::format("extra UNIQUE {}", Columns(c.unique.columns)); }
    std::string operator()(const DropUnique& c) const { return fmt::format("UNIQUE {} is missing", Columns(c.unique.columns)); }
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
      return fmt::format("primary key is {} instead of {}", Columns(c.to), Columns(c.from));
    }
    std::string operator()(const ChangeTableOptions&) const { return "WITHOUT ROWID or STRICT differs"; }
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

}  // namespace

std::vector<DriftItem> DescribeDrift(const std::vector<Change>& changes) {
  std::vector<DriftItem> out;
  for (const Change& change : changes) {
    if (const auto* a = std::get_if<AddTable>(&change)) out.push_back({a->table.name, "extra table"});
    if (const auto* d = std::get_if<DropTable>(&change)) out.push_back({d->table.name, "table is missing"});
    if (const auto* r = std::get_if<RenameTable>(&change)) out.push_back({r->to, fmt::format("table \"{}\" is named \"{}\"", r->from, r->to)});
    if (const auto* m = std::get_if<ModifyTable>(&change))
      for (const TableChange& c : m->changes) out.push_back({m->to.name, Finding(c)});
    if (const auto* a = std::get_if<AddView>(&change)) out.push_back({a->view.name, "extra view"});
    if (const auto* d = std::get_if<DropView>(&change)) out.push_back({d->view.name, "view is missing or differs"});
  }
  return out;
}

}  // namespace strata
