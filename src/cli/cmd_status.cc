#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/json.h"
#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"

namespace strata::cli {

namespace {

struct PlanFlags {
  CommonOptions common;
  std::string tag;                   // --tag: stop at the end of this tag
  std::optional<int64_t> to_version;  // --to: stop at this version
};

}  // namespace


namespace {

std::string State(const StatusEntry& e) {
  if (!e.entry) return "applied, file missing";
  if (e.checksum_mismatch) return "applied, CHECKSUM MISMATCH (file edited after it was applied)";
  if (e.applied) return e.applied->checksum.empty() ? "applied (outside strata)" : "applied";
  return "pending";
}

}  // namespace

void SetupStatus(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("status", "Applied and pending migrations, and checksum mismatches");
  auto flags = std::make_shared<CommonOptions>();
  AddSchemaOption(*cmd, *flags);
  AddMigrationsOption(*cmd, *flags);
  AddDbOption(*cmd, *flags);
  AddFormatOption(*cmd, *flags);
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(*flags, false, exit_code, SchemaNeed::kProject);
    if (!run) return;
    Result<StatusReport> report = run->runner->Status();
    if (!report.ok()) {
      PrintError(report.status().message());
      exit_code = ExitCodeFor(report.status());
      return;
    }
    if (flags->format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("ok").Bool(report->ok()).Key("applied").Int(report->applied_count());
      json.Key("pending").Int(report->pending_count()).Key("migrations").BeginArray();
      for (const StatusEntry& e : report->entries) {
        json.BeginObject().Key("version").Int(e.entry ? e.entry->version : e.applied->version);
        json.Key("file").String(e.entry ? e.entry->up_file : e.applied->name);
        json.Key("tag").String(e.entry ? e.entry->tag : e.applied->tag);
        json.Key("applied").Bool(e.applied.has_value());
        json.Key("applied_at").String(e.applied ? e.applied->applied_at : "");
        json.Key("checksum_mismatch").Bool(e.checksum_mismatch);
        json.EndObject();
      }
      json.EndArray().Key("sum_problems").BeginArray();
      for (const SumMismatch& m : report->sum_problems) json.String(m.ToString());
      json.EndArray().EndObject();
      std::cout << json.str() << "\n";
    } else {
      for (const StatusEntry& e : report->entries)
        std::cout << fmt::format("{:<28} {:<10} {}{}\n", e.entry ? e.entry->up_file : e.applied->name,
                                 e.entry ? e.entry->tag : e.applied->tag, State(e),
                                 e.applied ? "  " + e.applied->applied_at : "");
      for (const SumMismatch& m : report->sum_problems) std::cout << "strata.sum: " << m.ToString() << "\n";
      std::cout << fmt::format("{}: {} applied, {} pending\n", RedactedTarget(flags->db), report->applied_count(),
                               report->pending_count());
    }
    exit_code = report->ok() ? kOk : kFindings;
  });
}

void SetupPlan(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("plan", "Print the SQL that `up` would run, without running it");
  auto flags = std::make_shared<PlanFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  cmd->add_option("--tag", flags->tag, "stop at the end of this tag");
  AddVersionOption(*cmd, "--to", flags->to_version, "stop at this version");
  cmd->callback([flags, &exit_code] {
    // A database that does not exist yet plans everything; nothing is created.
    CommonOptions o = flags->common;
    bool missing = !PathExists(o.db);
    if (missing) o.db = ":memory:";
    std::unique_ptr<RunContext> run = OpenRunContext(o, missing, exit_code, SchemaNeed::kProject);
    if (!run) return;
    UpOptions options;
    if (!flags->tag.empty() && !(options.tag = ResolveTagOrReport(run->schema, flags->tag))) {
      exit_code = kUsage;
      return;
    }
    options.to_version = flags->to_version;
    Result<std::vector<const MigrationEntry*>> pending = run->runner->Pending(options);
    if (!pending.ok()) {
      PrintError(pending.status().message());
      exit_code = ExitCodeFor(pending.status());
      return;
    }
    for (const MigrationEntry* m : *pending) {
      std::cout << fmt::format("-- ===== {} (tag \"{}\"){}\n", m->up_file, m->tag,
                               m->up_facts.destructive.empty() ? "" : " DESTRUCTIVE: needs --allow-destructive");
      std::cout << m->up_sql << "\n";
    }
    std::cerr << fmt::format("{} pending migration(s)\n", pending->size());
    exit_code = kOk;
  });
}

}  // namespace strata::cli
