#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "report/check_report.h"

namespace strata::cli {

namespace {

struct CheckFlags : AtTagFlags {
  int samples = 5;  // sample keys per failed check
};

}  // namespace


void SetupCheck(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("check", "Run the orphan-record and declared data checks");
  auto flags = std::make_shared<CheckFlags>();
  AddAtTagOptions(*cmd, *flags, true, "check against this tag");
  cmd->add_option("--samples", flags->samples, "sample keys per failed check (default 5)");
  cmd->callback([flags, &exit_code] {
    std::optional<RunAtTag> at = OpenAtTag(flags->common, flags->tag, exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    const report::CheckReport report{RedactedTarget(flags->common.db), at->tag_name(),
                                     run->connection->RunChecks(run->schema.At(tag), flags->samples)};
    if (flags->common.format == Format::kJson)
      std::cout << report::CheckJson(report);
    else if (flags->common.format == Format::kJunit)
      std::cout << report::CheckJunit(report);
    else
      std::cout << report::CheckText(report);
    exit_code = report.failed() == 0 ? kOk : kFindings;
  });
}

}  // namespace strata::cli
