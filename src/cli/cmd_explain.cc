#include <iostream>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "report/explain_report.h"

namespace strata::cli {

void SetupExplain(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("explain", "Index plans: each declared query's plan, missing and redundant indexes");
  AddAtTagOptions(*cmd, ctx, false, "take the queries and large tables of this tag");
  cmd->callback([&ctx] {
    std::optional<RunAtTag> at = OpenAtTag(ctx.options, ctx.tag, ctx.exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    const Schema schema = run->schema.At(tag);
    Result<ExplainReport> report = run->connection->Explain(schema);
    if (!report.ok()) {
      PrintError(report.status().message());
      ctx.exit_code = ExitCodeFor(report.status());
      return;
    }
    const std::string& tag_name = at->tag_name();
    if (ctx.options.format == Format::kJson) {
      std::cout << report::ExplainJson(*report, tag_name) << "\n";
    } else {
      std::cout << report::ExplainText(*report);
      std::cout << fmt::format("{}: index plans at tag \"{}\": {}\n", RedactedTarget(ctx.options.db), tag_name,
                               report->failed() ? "FAILED" : "ok");
    }
    ctx.exit_code = report->failed() ? kFindings : kOk;
  });
}

}  // namespace strata::cli
