#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/json.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "diff/drift.h"
#include "report/junit.h"

namespace strata::cli {

void SetupDrift(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("drift", "Compare the live schema with what its recorded version should be");
  AddAtTagOptions(*cmd, ctx, true, "compare with this tag");
  cmd->callback([&ctx] {
    std::optional<RunAtTag> at = OpenAtTag(ctx.options, ctx.tag, ctx.exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    Result<Schema> live = run->connection->Inspect();
    if (!live.ok()) {
      PrintError(live.status().message());
      ctx.exit_code = ExitCodeFor(live.status());
      return;
    }
    std::vector<DriftItem> drift = DriftAtTag(*run, *live, tag);
    // Nothing the model cannot hold passes unseen: it is drift until ignored.
    for (const UnmodelledObject& o : live->unmodelled)
      if (!run->schema.project.IgnoresTable(o.name))
        drift.push_back({o.name, fmt::format("is a {}, which strata does not model; list it under ignore_tables "
                                             "to leave it alone", o.what)});
    const std::string& tag_name = at->tag_name();
    if (ctx.options.format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("ok").Bool(drift.empty()).Key("tag").String(tag_name).Key("drift").BeginArray();
      for (const DriftItem& d : drift) json.BeginObject().Key("table").String(d.table).Key("finding").String(d.finding).EndObject();
      json.EndArray().EndObject();
      std::cout << json.str() << "\n";
    } else if (ctx.options.format == Format::kJunit) {
      std::map<std::string, report::JUnitCase> by_table;
      for (const Table& t : run->schema.At(tag).tables) by_table[t.name] = {t.name, "strata.drift", {}, {}};
      for (const DriftItem& d : drift) {
        auto& c = by_table[d.table];
        c.name = d.table;
        c.classname = "strata.drift";
        c.failures.push_back(d.finding);
      }
      std::vector<report::JUnitCase> cases;
      for (auto& [name, c] : by_table) cases.push_back(std::move(c));
      std::cout << report::JUnitXml("strata drift", cases);
    } else {
      for (const DriftItem& d : drift) std::cout << fmt::format("{}: {}\n", d.table, d.finding);
      std::cout << fmt::format("{}: {} at tag \"{}\"\n", ctx.options.db,
                               drift.empty() ? std::string("no drift") : fmt::format("{} difference(s)", drift.size()),
                               tag_name);
    }
    ctx.exit_code = drift.empty() ? kOk : kFindings;
  });
}

}  // namespace strata::cli
