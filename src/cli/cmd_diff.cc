#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "migrate/declarative.h"

namespace strata::cli {

namespace {

struct DiffFlags {
  CommonOptions common;
  std::string from, to;  // schema folders or database files
  bool allow_destructive = false;
};

}  // namespace



void SetupDiff(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "diff", "Print a self-contained SQL script that turns A into B (schema folders or database files)");
  auto flags = std::make_shared<DiffFlags>();
  cmd->add_option("--from", flags->from, "schema folder or database file")->required();
  cmd->add_option("--to", flags->to, "schema folder or database file")->required();
  cmd->add_flag("--allow-destructive", flags->allow_destructive,
                "let the script discard data (dropped tables and columns, narrowed types)");
  cmd->callback([flags, &exit_code] {
    std::optional<std::pair<SchemaSide, SchemaSide>> sides =
        LoadSchemaSides(flags->from, flags->to, flags->common.format);
    if (!sides) {
      exit_code = kUsage;
      return;
    }
    SchemaSide* from = &sides->first;
    SchemaSide* to = &sides->second;
    if (!ComparableSides(*from, *to)) {
      exit_code = kFindings;
      return;
    }
    if (from->project.dialect != to->project.dialect) {
      PrintError(fmt::format("the two sides are for different dialects ({} and {})", from->project.dialect,
                             to->project.dialect));
      exit_code = kUsage;
      return;
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(from->project.dialect);
    // A live database's rows are data, not schema.
    DeclarativeScript script =
        PlanDeclarative(*dialect, from->schema, to->schema,
                        {.label = "diff",
                         .allow_destructive = flags->allow_destructive,
                         .compare_rows = !from->is_database && !to->is_database});
    for (const SchemaSide* side : {&*from, &*to})
      for (const UnmodelledObject& o : side->schema.unmodelled)
        std::cout << fmt::format("-- left alone: \"{}\" is a {}, which strata does not model\n", o.name, o.what);
    if (script.changes.empty()) {
      std::cout << "-- no differences\n";
      exit_code = kOk;
      return;
    }
    std::cout << script.sql;
    if (script.refused)
      PrintError(fmt::format("the script discards data and refuses to run as printed: {}; pass "
                             "--allow-destructive to allow it",
                             fmt::join(script.plan.destructive_changes, "; ")));
    exit_code = script.refused ? kFindings : kOk;
  });
}

}  // namespace strata::cli
