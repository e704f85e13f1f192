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

}  // namespace strata
