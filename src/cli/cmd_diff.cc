#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "migrate/declarative.h"

namespace strata::cli {


void SetupDiff(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "diff", "Print a self-contained SQL script that turns A into B (schema folders or database files)");
  cmd->add_option("--from", ctx.from, "schema folder or database file")->required();
  cmd->add_option("--to", ctx.to, "schema folder or database file")->required();
  cmd->add_flag("--allow-destructive", ctx.allow_destructive,
                "let the script discard data (dropped tables and columns, narrowed types)");
  cmd->callback([&ctx] {
    std::optional<SchemaSide> from = LoadSchemaSide(ctx.from, ctx.options.format);
    std::optional<SchemaSide> to = from ? LoadSchemaSide(ctx.to, ctx.options.format) : std::nullopt;
    if (!from || !to) {
      ctx.exit_code = kUsage;
      return;
    }
    if (!ComparableSides(*from, *to)) {
      ctx.exit_code = kFindings;
      return;
    }
    if (from->project.dialect != to->project.dialect) {
      PrintError(fmt::format("the two sides are for different dialects ({} and {})", from->project.dialect,
                             to->project.dialect));
      ctx.exit_code = kUsage;
      return;
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(from->project.dialect);
    // A live database's rows are data, not schema.
    DeclarativeScript script =
        PlanDeclarative(*dialect, from->schema, to->schema,
                        {.label = "diff",
                         .allow_destructive = ctx.allow_destructive,
                         .compare_rows = !from->is_database && !to->is_database});
    for (const SchemaSide* side : {&*from, &*to})
      for (const UnmodelledObject& o : side->schema.unmodelled)
        std::cout << fmt::format("-- left alone: \"{}\" is a {}, which strata does not model\n", o.name, o.what);
    if (script.changes.empty()) {
      std::cout << "-- no differences\n";
      ctx.exit_code = kOk;
      return;
    }
    std::cout << script.sql;
    if (script.refused)
      PrintError(fmt::format("the script discards data and refuses to run as printed: {}; pass "
                             "--allow-destructive to allow it",
                             fmt::join(script.plan.destructive_changes, "; ")));
    ctx.exit_code = script.refused ? kFindings : kOk;
  });
}

}  // namespace strata::cli
