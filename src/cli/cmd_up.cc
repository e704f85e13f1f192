#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/generator.h"

namespace strata::cli {

namespace {

// The flags up and down share.
struct RunFlags {
  CommonOptions common;
  std::string tag;                   // stop at the end of this tag
  std::optional<int64_t> to_version;  // stop at this version
  bool allow_destructive = false;
  bool allow_drift = false;  // run on a database changed by hand
  bool no_backup = false;
  int keep_backups = 5;
};

struct UpFlags : RunFlags {
  bool single_transaction = false;
  bool allow_stale = false;  // apply files that schema/ no longer produces
  bool backup_always = false;
};

struct DownFlags : RunFlags {
  std::optional<int> steps;
};

struct BaselineFlags {
  CommonOptions common;
  std::string tag;  // the tag the database is at
};

void AddRunOptions(CLI::App& cmd, RunFlags& flags) {
  AddSchemaOption(cmd, flags.common);
  AddMigrationsOption(cmd, flags.common);
  AddDbOption(cmd, flags.common);
  cmd.add_option("--tag", flags.tag, "stop at the end of this tag");
  AddVersionOption(cmd, "--to", flags.to_version, "stop at this version");
  cmd.add_flag("--allow-destructive", flags.allow_destructive, "run migrations that drop tables or columns");
  cmd.add_flag("--no-backup", flags.no_backup, "do not back the database up first");
  cmd.add_option("--keep-backups", flags.keep_backups, "backups to keep in backups/ (default 5)");
}

// Where the backup before a run goes; nullopt for none. False after
// printing why no backup can be made (and setting `exit_code`).
bool BackupTarget(const RunFlags& flags, int& exit_code, std::optional<std::string>& target) {
  if (flags.no_backup || !PathExists(flags.common.db)) return true;
  Result<std::string> path = NextBackupPath(flags.common.db);
  if (!path.ok()) {
    PrintError(path.status().message() + "; pass --no-backup to run without one");
    exit_code = ExitCodeFor(path.status());
    return false;
  }
  target = *path;
  return true;
}

}  // namespace

void SetupUp(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("up", "Apply pending migrations, each in its own transaction");
  auto flags = std::make_shared<UpFlags>();
  AddRunOptions(*cmd, *flags);
  cmd->add_flag("--single-transaction", flags->single_transaction, "apply all pending migrations in one transaction");
  cmd->add_flag("--allow-stale", flags->allow_stale,
                "apply the migration files as they are, even where schema/ now produces different ones");
  cmd->add_flag("--allow-drift", flags->allow_drift,
                "apply even though the database differs from the tag its history records");
  cmd->add_flag("--backup", flags->backup_always,
                "back the database up first even when every pending migration keeps every row");
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, true, exit_code);
    if (!run) return;
    UpOptions options;
    if (!ResolveTagLimitOrReport(run->schema, flags->tag, options.tag)) {
      exit_code = kUsage;
      return;
    }
    options.to_version = flags->to_version;
    options.allow_destructive = flags->allow_destructive;
    options.single_transaction = flags->single_transaction;
    options.refuse_drift = !flags->allow_drift;
    options.backup_always = flags->backup_always;
    Result<std::vector<const MigrationEntry*>> pending = run->runner->Pending(options);
    if (!pending.ok()) {  // an edited applied file, a broken sum file: said before anything else
      PrintError(pending.status().message());
      exit_code = ExitCodeFor(pending.status());
      return;
    }
    // An edited YAML without `strata generate` would otherwise apply the
    // old files and exit 0: the same comparison as `generate --check`.
    if (!flags->allow_stale && !pending->empty()) {
      const std::vector<std::string> stale =
          OutOfDateFiles(GenerateMigrations(run->schema, *run->dialect, run->files).files, run->files);
      if (!stale.empty()) {
        PrintError(fmt::format("the migration files are not what {} produces now, so `up` would apply an older "
                               "schema:\n  {}\nrun `strata generate` and review the new files (or pass "
                               "--allow-stale to apply the files as they are)",
                               flags->common.schema_dir, fmt::join(stale, "\n  ")));
        exit_code = kUsage;
        return;
      }
    }
    if (!pending->empty() && !BackupTarget(*flags, exit_code, options.backup_to)) return;
    EnableProgress(*run->connection);
    Status s = run->runner->Up(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
      return;
    }
    if (options.backup_to) PruneBackups(flags->common.db, flags->keep_backups);
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: {} applied, {} pending\n", RedactedTarget(flags->common.db), report->applied_count(),
                               report->pending_count());
    exit_code = kOk;
  });
}

void SetupDown(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("down", "Roll back applied migrations (default: the last one)");
  auto flags = std::make_shared<DownFlags>();
  AddRunOptions(*cmd, *flags);
  cmd->add_option("--steps", flags->steps, "how many migrations to roll back");
  cmd->add_flag("--allow-drift", flags->allow_drift,
                "roll back even though the database differs from the tag its history records");
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, false, exit_code);
    if (!run) return;
    DownOptions options;
    if (!ResolveTagLimitOrReport(run->schema, flags->tag, options.tag)) {
      exit_code = kUsage;
      return;
    }
    options.to_version = flags->to_version;
    options.steps = flags->steps;
    options.allow_destructive = flags->allow_destructive;
    options.refuse_drift = !flags->allow_drift;
    if (!BackupTarget(*flags, exit_code, options.backup_to)) return;
    EnableProgress(*run->connection);
    Status s = run->runner->Down(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
      return;
    }
    if (options.backup_to) PruneBackups(flags->common.db, flags->keep_backups);
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: {} applied, {} pending\n", RedactedTarget(flags->common.db), report->applied_count(),
                               report->pending_count());
    exit_code = kOk;
  });
}

void SetupBaseline(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "baseline", "Start managing an existing database: record the migrations through a tag as applied");
  auto flags = std::make_shared<BaselineFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  cmd->add_option("--tag", flags->tag, "the tag the database is at")->required();
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, false, exit_code);
    if (!run) return;
    std::optional<int> tag = ResolveTagOrReport(run->schema, flags->tag);
    if (!tag) {
      exit_code = kUsage;
      return;
    }
    BaselineOptions options{.tag = *tag};
    Status s = run->runner->Baseline(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
      return;
    }
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: baselined at tag \"{}\"; {} applied, {} pending\n", RedactedTarget(flags->common.db),
                               run->schema.project.tags[*tag], report->applied_count(), report->pending_count());
    exit_code = kOk;
  });
}

}  // namespace strata::cli
