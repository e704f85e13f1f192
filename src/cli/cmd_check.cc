#include <iostream>

#include <fmt/format.h>

#include "base/json.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "report/junit.h"
#include "sqlite/checks.h"

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
    const Schema schema = run->schema.At(tag);
    std::vector<sqlite::IntegrityCheck> checks = sqlite::BuildChecks(schema);
    checks.insert(checks.begin(), sqlite::FileStructureCheck());
    const std::vector<sqlite::CheckResult> results =
        sqlite::RunChecks(run->connection->database(), checks, ctx.samples);
    int failed = 0;
    for (const sqlite::CheckResult& r : results) failed += !r.passed();
    const std::string& tag_name = at->tag_name();
    if (ctx.options.format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("ok").Bool(failed == 0).Key("tag").String(tag_name).Key("failed").Int(failed);
      json.Key("checks").BeginArray();
      for (const sqlite::CheckResult& r : results) {
        json.BeginObject().Key("name").String(r.check->name).Key("table").String(r.check->table);
        json.Key("kind").String(r.check->kind == sqlite::IntegrityCheck::Kind::kOrphans ? "orphans" : "data");
        json.Key("passed").Bool(r.passed()).Key("offending_rows").Int(r.offending_rows);
        json.Key("samples").BeginArray();
        for (const std::string& s : r.samples) json.String(s);
        json.EndArray().Key("error").String(r.error);
        json.Key("child_indexed").Bool(r.check->child_indexed).EndObject();
      }
      json.EndArray().EndObject();
      std::cout << json.str() << "\n";
    } else if (ctx.options.format == Format::kJunit) {
      std::vector<report::JUnitCase> cases;
      for (const sqlite::CheckResult& r : results) {
        report::JUnitCase c{r.check->name, "strata.check." + r.check->table, {}, r.error};
        if (r.offending_rows > 0)
          c.failures.push_back(fmt::format("{} offending row(s): {}; sample keys: {}", r.offending_rows,
                                           r.check->description, fmt::join(r.samples, ", ")));
        cases.push_back(std::move(c));
      }
      std::cout << report::JUnitXml("strata check", cases);
    } else {
      for (const sqlite::CheckResult& r : results) {
        std::string state = !r.error.empty() ? "ERROR " + r.error
                            : r.passed()     ? "ok"
                                             : fmt::format("FAILED {} row(s); sample keys: {}", r.offending_rows,
                                                           fmt::join(r.samples, ", "));
        std::cout << fmt::format("{:<60} {}\n", r.check->name, state);
        if (!r.check->child_indexed)
          std::cout << fmt::format("  note: no index leads with the child columns of {}; every check and every "
                                   "parent delete scans \"{}\"\n", r.check->name, r.check->table);
      }
      std::cout << fmt::format("{}: {} check(s) at tag \"{}\", {} failed\n", ctx.options.db, results.size(), tag_name,
                               failed);
    }
    ctx.exit_code = failed == 0 ? kOk : kFindings;
  });
}

}  // namespace strata::cli
