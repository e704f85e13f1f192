#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "report/explain_report.h"

namespace strata::cli {

void SetupExplain(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("explain", "Index plans: each declared query's plan, missing and redundant indexes");
  auto flags = std::make_shared<AtTagFlags>();
  AddAtTagOptions(*cmd, *flags, false, "take the queries and large tables of this tag");
  cmd->callback([flags, &exit_code] {
    std::optional<RunAtTag> at = OpenAtTag(flags->common, flags->tag, exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    const Schema schema = run->schema.At(tag);
    Result<ExplainReport> report = run->connection->Explain(schema);
    if (!report.ok()) {
      PrintError(report.status().message());
      exit_code = ExitCodeFor(report.status());
      return;
    }
    const std::string& tag_name = at->tag_name();
    if (flags->common.format == Format::kJson) {
      std::cout << report::ExplainJson(*report, tag_name) << "\n";
    } else {
      std::cout << report::ExplainText(*report);
      std::cout << fmt::format("{}: index plans at tag \"{}\": {}\n", RedactedTarget(flags->common.db), tag_name,
                               report->failed() ? "FAILED" : "ok");
    }
    exit_code = report->failed() ? kFindings : kOk;
  });
}

}  // namespace strata::cli
