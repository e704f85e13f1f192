#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "diff/drift.h"
#include "report/drift_report.h"

namespace strata::cli {

void SetupDrift(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("drift", "Compare the live schema with what its recorded version should be");
  auto flags = std::make_shared<AtTagFlags>();
  AddAtTagOptions(*cmd, *flags, true, "compare with this tag");
  cmd->callback([flags, &exit_code] {
    std::optional<RunAtTag> at = OpenAtTag(flags->common, flags->tag, exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    Result<Schema> live = run->connection->Inspect();
    if (!live.ok()) {
      PrintError(live.status().message());
      exit_code = ExitCodeFor(live.status());
      return;
    }
    Result<std::vector<DriftItem>> compared = DriftAtTag(*run->connection, *run->dialect, run->schema, *live, tag);
    if (!compared.ok()) {
      PrintError(compared.status().message());
      exit_code = ExitCodeFor(compared.status());
      return;
    }
    std::vector<DriftItem> drift = std::move(compared.value());
    // Nothing the model cannot hold passes unseen: it is drift until ignored.
    for (const UnmodelledObject& o : live->unmodelled)
      if (!run->schema.project.IgnoresTable(o.name))
        drift.push_back({o.name, fmt::format("is a {}, which strata does not model; list it under ignore_tables "
                                             "to leave it alone", o.what)});
    // The model holds such a constraint as it holds a checked one; what
    // differs is the rows, so it is drift until validated.
    for (const UncheckedConstraint& u : live->unchecked)
      if (!run->schema.project.IgnoresTable(u.table))
        drift.push_back({u.table, fmt::format("constraint \"{}\" is NOT VALID: the rows the table held when it was "
                                              "added were never checked against it (`strata check` counts them; "
                                              "ALTER TABLE ... VALIDATE CONSTRAINT checks them)",
                                              u.name)});
    report::DriftReport report{RedactedTarget(flags->common.db), at->tag_name(), {}, drift};
    for (const Table& t : run->schema.At(tag).tables) report.expected_tables.push_back(t.name);
    if (flags->common.format == Format::kJson)
      std::cout << report::DriftJson(report);
    else if (flags->common.format == Format::kJunit)
      std::cout << report::DriftJunit(report);
    else
      std::cout << report::DriftText(report);
    exit_code = drift.empty() ? kOk : kFindings;
  });
}

}  // namespace strata::cli
