#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/plan_regression.h"
#include "report/explain_report.h"
#include "report/plan_change_report.h"

namespace strata::cli {

namespace {

struct ExplainFlags : AtTagFlags {
  std::string base;  // --base: a tag or a database
};

// `explain --base`: the queries of the tag planned on its schema and on the
// base's (a tag of the project, or a database's inspected schema), both in
// empty scratch databases; exit 1 when a query on a large table got worse.
void ExplainAgainstBase(const ExplainFlags& flags, int& exit_code) {
  std::optional<VersionedSchema> schema = LoadSchemaOrReport(flags.common);
  if (!schema) {
    exit_code = kUsage;
    return;
  }
  std::optional<int> tag = ResolveTagOrReport(*schema, flags.tag);
  if (!tag) {
    exit_code = kUsage;
    return;
  }
  Schema base;
  std::string base_label;
  std::string dialect_name = schema->project.dialect;
  if (std::optional<int> base_tag = schema->project.TagIndex(flags.base)) {
    base = schema->At(*base_tag);
    base_label = fmt::format("tag \"{}\"", flags.base);
  } else {
    Result<Schema> inspected = InspectTarget(flags.base);
    if (!inspected.ok()) {
      PrintError(fmt::format("--base \"{}\" is neither a tag of the project ({}) nor a database strata can read: {}",
                             RedactedTarget(flags.base), JoinQuoted(schema->project.tags),
                             inspected.status().message()));
      exit_code = ExitCodeFor(inspected.status());
      return;
    }
    base = std::move(inspected.value());
    base_label = RedactedTarget(flags.base);
    dialect_name = DialectOfTarget(flags.base);
  }
  std::unique_ptr<Dialect> dialect = MakeDialect(dialect_name);
  Result<std::vector<PlanChange>> changes = ComparePlansBetween(*dialect, base, schema->At(*tag));
  if (!changes.ok()) {
    PrintError(changes.status().message());
    exit_code = ExitCodeFor(changes.status());
    return;
  }
  const report::PlanChangeReport report{base_label, schema->project.tags[*tag], *changes};
  if (flags.common.format == Format::kJson)
    std::cout << report::PlanChangeJson(report);
  else if (flags.common.format == Format::kJunit)
    std::cout << report::PlanChangeJunit(report);
  else
    std::cout << report::PlanChangeText(report);
  exit_code = AnyLargeRegression(*changes) ? kFindings : kOk;
}

}  // namespace

void SetupExplain(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("explain", "Index plans: each declared query's plan, missing and redundant indexes");
  auto flags = std::make_shared<ExplainFlags>();
  AddAtTagOptions(*cmd, *flags, true, "take the queries and large tables of this tag");
  cmd->add_option("--base", flags->base,
                  "compare the plans with those at this tag or in this database's schema (both planned on empty "
                  "copies); exit 1 when a query on a large table got worse");
  cmd->callback([flags, &exit_code] {
    if (!flags->base.empty()) {
      ExplainAgainstBase(*flags, exit_code);
      return;
    }
    if (flags->common.format == Format::kJunit) {
      PrintError("--format junit reports plan regressions: it goes with --base (one test case per query)");
      exit_code = kUsage;
      return;
    }
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
