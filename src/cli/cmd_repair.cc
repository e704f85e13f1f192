#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/json.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"

namespace strata::cli {

namespace {

struct RepairFlags {
  CommonOptions common;
  std::vector<std::string> files;
  bool dry_run = false;
};

}  // namespace

void SetupRepair(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "repair", "Re-record the checksum and text of applied migrations whose files were edited (after a review)");
  auto flags = std::make_shared<RepairFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  AddFormatOption(*cmd, flags->common);
  cmd->add_option("FILE", flags->files, "the migration files to re-record (default: every applied one that changed)");
  cmd->add_flag("--dry-run", flags->dry_run, "list what would be re-recorded; change nothing");
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, false, exit_code, SchemaNeed::kProject);
    if (!run) return;
    Result<RepairReport> report = run->runner->Repair({.files = flags->files, .dry_run = flags->dry_run});
    if (!report.ok()) {
      PrintError(report.status().message());
      exit_code = ExitCodeFor(report.status());
      return;
    }
    const bool changes = report->changes();
    if (flags->common.format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("dry_run").Bool(flags->dry_run).Key("repaired").BeginArray();
      for (const RepairItem& item : report->items) {
        json.BeginObject().Key("version").Int(item.version).Key("file").String(item.file).Key("changes").BeginArray();
        for (const std::string& change : item.changes) json.String(change);
        json.EndArray().EndObject();
      }
      json.EndArray().Key("sum_problems").BeginArray();
      for (const SumMismatch& m : report->sum_problems) json.String(m.ToString());
      json.EndArray().EndObject();
      std::cout << json.str() << "\n";
    } else {
      const char* verb = flags->dry_run ? "would re-record" : "re-recorded";
      for (const RepairItem& item : report->items)
        std::cout << (item.changes.empty() ? fmt::format("{}: unchanged since it was applied; nothing to re-record\n",
                                                         item.file)
                                           : fmt::format("{}: {} {}\n", item.file, verb, fmt::join(item.changes, "; ")));
      for (const SumMismatch& m : report->sum_problems)
        std::cout << "strata.sum: " << m.ToString() << " (repair changes the history only, never the files)\n";
      std::cout << fmt::format("{}: {}\n", RedactedTarget(flags->common.db),
                               !changes         ? "nothing to repair"
                               : flags->dry_run ? "dry run, nothing was changed; run without --dry-run to re-record"
                                                : "the history now records the files as they are");
    }
    // A dry run that finds something to re-record is a finding, as
    // `generate --check` finding stale files.
    exit_code = flags->dry_run && changes ? kFindings : kOk;
  });
}

}  // namespace strata::cli
