#include "migrate/declarative.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"

namespace strata {

DeclarativeScript PlanDeclarative(const Dialect& dialect, const Schema& from, const Schema& to,
                                  const DeclarativeOptions& options) {
  DeclarativeScript out;
  DiffOptions rules = dialect.DiffRules();
  rules.compare_rows = options.compare_rows;
  Schema before = dialect.Normalize(from), after = dialect.Normalize(to);
  // What one side holds but cannot model stays out of the comparison on
  // both sides: it is left alone, never created or dropped.
  for (Schema* side : {&before, &after})
    std::erase_if(side->tables, [&](const Table& t) {
      for (const Schema* s : {&from, &to})
        for (const UnmodelledObject& o : s->unmodelled)
          if (EqualsIgnoreCase(o.name, t.name)) return true;
      return false;
    });
  out.changes = Diff(before, after, RenameHints::From(to), rules);
  if (out.changes.empty()) return out;
  out.plan = dialect.PlanMigration(before, after, out.changes, {.up = true});
  if (out.plan.destructive() && !options.allow_destructive) {
    out.refused = true;
    // First of all checks, so nothing runs; SELECT names the reason as its row.
    out.plan.prechecks.insert(
        out.plan.prechecks.begin(),
        Check{fmt::format("this script discards data ({}); it was made without --allow-destructive",
                          fmt::join(out.plan.destructive_changes, "; ")),
              "SELECT 'refused: destructive' AS k"});
  }
  out.sql = dialect.RenderMigration(out.plan, {.file_name = options.label, .versioned = false});
  return out;
}

Result<std::pair<Schema, Schema>> InspectForComparison(Connection& from, Connection& to) {
  Result<std::map<std::string, StoredTable>> stored_from = from.StoredTables();
  Result<std::map<std::string, StoredTable>> stored_to =
      stored_from.ok() ? to.StoredTables() : Result<std::map<std::string, StoredTable>>(stored_from.status());
  if (!stored_to.ok()) {
    if (stored_to.status().code() != StatusCode::kNotSupported) return stored_to.status();
    Result<Schema> a = from.Inspect();
    if (!a.ok()) return a.status();
    Result<Schema> b = to.Inspect();
    if (!b.ok()) return b.status();
    return std::pair{std::move(a.value()), std::move(b.value())};
  }
  std::set<std::string> differing;
  for (const auto& [mine, theirs] : {std::pair{&*stored_from, &*stored_to}, std::pair{&*stored_to, &*stored_from}})
    for (const auto& [name, table] : *mine)
      if (auto other = theirs->find(name); other == theirs->end() || other->second.definition != table.definition)
        differing.insert(name);
  std::set<std::string> read = differing;
  for (const auto* side : {&*stored_from, &*stored_to})
    for (const auto& [name, table] : *side)
      for (const std::string& parent : table.references)
        if (differing.contains(name))
          read.insert(parent);
        else if (differing.contains(parent))
          read.insert(name);
  Result<Schema> a = from.InspectTables(read);
  if (!a.ok()) return a.status();
  Result<Schema> b = to.InspectTables(read);
  if (!b.ok()) return b.status();
  return std::pair{std::move(a.value()), std::move(b.value())};
}

}  // namespace strata
