#include "diff/change.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "diff/differ.h"

namespace strata {

namespace {

std::string Cols(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + c;
  return "(" + out + ")";
}

}  // namespace

std::vector<ConflictChange> ConflictChanges(const Column& from, const Column& to) {
  std::vector<ConflictChange> out;
  if (from.primary_key && to.primary_key && from.primary_key_on_conflict != to.primary_key_on_conflict)
    out.push_back({"PRIMARY KEY", from.primary_key_on_conflict, to.primary_key_on_conflict});
  if (!from.nullable && !to.nullable && from.not_null_on_conflict != to.not_null_on_conflict)
    out.push_back({"NOT NULL", from.not_null_on_conflict, to.not_null_on_conflict});
  if (from.unique && to.unique && from.unique_on_conflict != to.unique_on_conflict)
    out.push_back({"UNIQUE", from.unique_on_conflict, to.unique_on_conflict});
  return out;
}

std::string OnConflictSuffix(ConflictResolution r) {
  return r == ConflictResolution::kAbort ? "" : fmt::format(" ON CONFLICT {}", ConflictResolutionName(r));
}

std::string DescribeType(const Column& column) {
  std::string overrides;
  for (const auto& [dialect, type] : column.dialect_types)
    overrides += fmt::format("{}{}: {}", overrides.empty() ? "" : ", ", dialect, type);
  return overrides.empty() ? column.type : fmt::format("{} ({})", column.type, overrides);
}

std::vector<Change> ResolveDialectTypes(std::vector<Change> changes, std::string_view dialect) {
  // Whether a table change still has something to do once resolved.
  const auto resolve = [&](TableChange& change) {
    if (auto* a = std::get_if<AddColumn>(&change)) ResolveDialectTypes(a->column, dialect);
    if (auto* d = std::get_if<DropColumn>(&change)) ResolveDialectTypes(d->column, dialect);
    if (auto* m = std::get_if<ModifyColumn>(&change)) {
      ResolveDialectTypes(m->from, dialect);
      ResolveDialectTypes(m->to, dialect);
      m->aspects &= ~kColumnType;
      if (!EqualsIgnoreCase(m->from.type, m->to.type)) m->aspects |= kColumnType;
      return m->aspects != 0;
    }
    return true;
  };
  std::vector<Change> out;
  for (Change& change : changes) {
    if (auto* a = std::get_if<AddTable>(&change)) ResolveDialectTypes(a->table, dialect);
    if (auto* d = std::get_if<DropTable>(&change)) ResolveDialectTypes(d->table, dialect);
    if (auto* m = std::get_if<ModifyTable>(&change)) {
      ResolveDialectTypes(m->from, dialect);
      ResolveDialectTypes(m->to, dialect);
      const size_t before = m->changes.size();
      std::erase_if(m->changes, [&](TableChange& c) { return !resolve(c); });
      if (m->changes.empty() && before > 0) continue;
    }
    out.push_back(std::move(change));
  }
  return out;
}

std::string Describe(const std::string& table, const TableChange& change) {
  struct Visitor {
    const std::string& t;
    std::string operator()(const AddColumn& c) const { return fmt::format("add column \"{}\".\"{}\"", t, c.column.name); }
    std::string operator()(const DropColumn& c) const { return fmt::format("drop column \"{}\".\"{}\"", t, c.column.name); }
    std::string operator()(const RenameColumn& c) const {
      return fmt::format("rename column \"{}\".\"{}\" to \"{}\"", t, c.from, c.to);
    }
    std::string operator()(const ModifyColumn& c) const {
      std::vector<std::string> what;
      if (c.aspects & kColumnType)
        what.push_back(fmt::format("type {} -> {}", DescribeType(c.from), DescribeType(c.to)));
      if (c.aspects & kColumnNullable) what.push_back(c.to.nullable ? "drop NOT NULL" : "add NOT NULL");
      if (c.aspects & kColumnDefault) what.push_back("default");
      if (c.aspects & kColumnPrimaryKey) what.push_back("primary key");
      if (c.aspects & kColumnAutoincrement) what.push_back("autoincrement");
      if (c.aspects & kColumnUnique) what.push_back(c.to.unique ? "add UNIQUE" : "drop UNIQUE");
      if (c.aspects & kColumnCheck) what.push_back("check");
      if (c.aspects & kColumnCollation) what.push_back("collation");
      if (c.aspects & kColumnGenerated) what.push_back(c.to.generated ? "generated as (" + c.to.generated->expr + ")" : "no longer generated");
      for (const ConflictChange& cc : ConflictChanges(c.from, c.to))
        what.push_back(fmt::format("{} ON CONFLICT {} -> {}", cc.constraint, ConflictResolutionName(cc.from),
                                   ConflictResolutionName(cc.to)));
      std::string list;
      for (const std::string& w : what) list += (list.empty() ? "" : ", ") + w;
      return fmt::format("alter column \"{}\".\"{}\" ({})", t, c.to.name, list);
    }
    std::string operator()(const AddIndex& c) const { return fmt::format("add index \"{}\" on \"{}\"", c.index.name, t); }
    std::string operator()(const DropIndex& c) const { return fmt::format("drop index \"{}\" on \"{}\"", c.index.name, t); }
    std::string operator()(const AddUnique& c) const {
      return fmt::format("add unique {}{} on \"{}\"", Cols(c.unique.columns), OnConflictSuffix(c.unique.on_conflict), t);
    }
    std::string operator()(const DropUnique& c) const {
      return fmt::format("drop unique {}{} on \"{}\"", Cols(c.unique.columns), OnConflictSuffix(c.unique.on_conflict), t);
    }
    std::string operator()(const AddForeignKey& c) const {
      return fmt::format("add foreign key \"{}\"{} -> \"{}\"", t, Cols(c.foreign_key.columns), c.foreign_key.ref_table);
    }
    std::string operator()(const DropForeignKey& c) const {
      return fmt::format("drop foreign key \"{}\"{} -> \"{}\"", t, Cols(c.foreign_key.columns), c.foreign_key.ref_table);
    }
    std::string operator()(const AddCheck& c) const { return fmt::format("add check ({}) on \"{}\"", c.check.expr, t); }
    std::string operator()(const DropCheck& c) const { return fmt::format("drop check ({}) on \"{}\"", c.check.expr, t); }
    std::string operator()(const ChangePrimaryKey& c) const {
      return fmt::format("change primary key of \"{}\" {}{} -> {}{}", t, Cols(c.from), OnConflictSuffix(c.from_on_conflict),
                         Cols(c.to), OnConflictSuffix(c.to_on_conflict));
    }
    std::string operator()(const ChangeTableOptions& c) const {
      std::string out;
      for (const TableOptionChange& o : c.options)
        out += fmt::format("{}{} {}", out.empty() ? "" : " and ", o.to ? "becomes" : "stops being", o.option);
      return fmt::format("table \"{}\" {}", t, out);
    }
    std::string operator()(const AddTrigger& c) const { return fmt::format("add trigger \"{}\" on \"{}\"", c.trigger.name, t); }
    std::string operator()(const DropTrigger& c) const { return fmt::format("drop trigger \"{}\" on \"{}\"", c.trigger.name, t); }
    std::string operator()(const InsertRow&) const { return fmt::format("insert reference row into \"{}\"", t); }
    std::string operator()(const UpdateRow&) const { return fmt::format("update reference row of \"{}\"", t); }
    std::string operator()(const DeleteRow&) const { return fmt::format("delete reference row from \"{}\"", t); }
  };
  return std::visit(Visitor{table}, change);
}

std::optional<DescribedData> DataAtRisk(std::string_view description) {
  // Describe() quotes names as "name" and does not escape them; a name with
  // a quote in it is not matched, which only loses a row count.
  const auto quoted = [&](size_t at, std::string& name) -> size_t {
    if (at >= description.size() || description[at] != '"') return std::string_view::npos;
    const size_t close = description.find('"', at + 1);
    if (close == std::string_view::npos) return close;
    name = std::string(description.substr(at + 1, close - at - 1));
    return close + 1;
  };
  DescribedData data;
  for (std::string_view prefix : {"drop table ", "drop column ", "alter column "}) {
    if (!description.starts_with(prefix)) continue;
    const size_t after = quoted(prefix.size(), data.table);
    if (after == std::string_view::npos) return std::nullopt;
    if (prefix != "drop table " && (after >= description.size() || description[after] != '.' ||
                                    quoted(after + 1, data.column) == std::string_view::npos))
      return std::nullopt;
    return data;
  }
  return std::nullopt;
}

std::string Describe(const Change& change) {
  struct Visitor {
    std::string operator()(const AddTable& c) const { return fmt::format("add table \"{}\"", c.table.name); }
    std::string operator()(const DropTable& c) const { return fmt::format("drop table \"{}\"", c.table.name); }
    std::string operator()(const RenameTable& c) const { return fmt::format("rename table \"{}\" to \"{}\"", c.from, c.to); }
    std::string operator()(const ModifyTable& c) const {
      std::string out = fmt::format("modify table \"{}\"", c.to.name);
      for (const TableChange& tc : c.changes) out += "\n  " + Describe(c.to.name, tc);
      return out;
    }
    std::string operator()(const AddView& c) const { return fmt::format("add view \"{}\"", c.view.name); }
    std::string operator()(const DropView& c) const { return fmt::format("drop view \"{}\"", c.view.name); }
  };
  return std::visit(Visitor{}, change);
}

bool IsDestructive(const TableChange& change, const DiffOptions& rules) {
  if (std::holds_alternative<DropColumn>(change) || std::holds_alternative<DeleteRow>(change)) return true;
  if (const auto* m = std::get_if<ModifyColumn>(&change))
    return ((m->aspects & kColumnType) && (!rules.narrows || rules.narrows(m->from, m->to))) ||
           ((m->aspects & kColumnGenerated) && m->to.generated && !m->from.generated);
  return false;
}

bool IsDestructive(const Change& change, const DiffOptions& rules) {
  if (std::holds_alternative<DropTable>(change)) return true;
  if (const auto* m = std::get_if<ModifyTable>(&change))
    for (const TableChange& tc : m->changes)
      if (IsDestructive(tc, rules)) return true;
  return false;
}

}  // namespace strata
