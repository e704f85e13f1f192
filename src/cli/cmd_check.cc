#include <iostream>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "report/check_report.h"

namespace strata::cli {

void SetupCheck(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("check", "Run the orphan-record and declared data checks");
  AddAtTagOptions(*cmd, ctx, true, "check against this tag");
  cmd->add_option("--samples", ctx.samples, "sample keys per failed check (default 5)");
  cmd->callback([&ctx] {
    std::optional<RunAtTag> at = OpenAtTag(ctx.options, ctx.tag, ctx.exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    const report::CheckReport report{RedactedTarget(ctx.options.db), at->tag_name(),
                                     run->connection->RunChecks(run->schema.At(tag), ctx.samples)};
    if (ctx.options.format == Format::kJson)
      std::cout << report::CheckJson(report);
    else if (ctx.options.format == Format::kJunit)
      std::cout << report::CheckJunit(report);
    else
      std::cout << report::CheckText(report);
    ctx.exit_code = report.failed() == 0 ? kOk : kFindings;
  });
}

}  // namespace strata::cli
