#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/generator.h"

namespace strata::cli {

void AddRunOptions(CLI::App& cmd, Context& ctx) {
  AddSchemaOption(cmd, ctx.options);
  AddMigrationsOption(cmd, ctx.options);
  AddDbOption(cmd, ctx.options);
  cmd.add_option("--tag", ctx.tag, "stop at the end of this tag");
  cmd.add_option("--to", ctx.to_version, "stop at this version");
  cmd.add_flag("--allow-destructive", ctx.allow_destructive, "run migrations that drop tables or columns");
  cmd.add_flag("--no-backup", ctx.no_backup, "do not back the database up first");
  cmd.add_option("--keep-backups", ctx.keep_backups, "backups to keep in backups/ (default 5)");
}

// Where the backup before a run goes; nullopt for none. False after
// printing why no backup can be made.
bool BackupTarget(Context& ctx, std::optional<std::string>& target) {
  if (ctx.no_backup || !PathExists(ctx.options.db)) return true;
  Result<std::string> path = NextBackupPath(ctx.options.db);
  if (!path.ok()) {
    PrintError(path.status().message() + "; pass --no-backup to run without one");
    ctx.exit_code = ExitCodeFor(path.status());
    return false;
  }
  target = *path;
  return true;
}

void SetupUp(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("up", "Apply pending migrations, each in its own transaction");
  AddRunOptions(*cmd, ctx);
  cmd->add_flag("--single-transaction", ctx.single_transaction, "apply all pending migrations in one transaction");
  cmd->add_flag("--allow-stale", ctx.allow_stale,
                "apply the migration files as they are, even where schema/ now produces different ones");
  cmd->add_flag("--allow-drift", ctx.allow_drift,
                "apply even though the database differs from the tag its history records");
  cmd->callback([&ctx] {
    std::unique_ptr<RunContext> run = OpenRunContext(ctx.options, true, ctx.exit_code);
    if (!run) return;
    UpOptions options;
    if (!ctx.tag.empty()) {
      options.tag = ResolveTagOrReport(run->schema, ctx.tag);
      if (!options.tag) {
        ctx.exit_code = kUsage;
        return;
      }
    }
    options.to_version = ctx.to_version;
    options.allow_destructive = ctx.allow_destructive;
    options.single_transaction = ctx.single_transaction;
    options.refuse_drift = !ctx.allow_drift;
    Result<std::vector<const MigrationEntry*>> pending = run->runner->Pending(options);
    if (!pending.ok()) {  // an edited applied file, a broken sum file: said before anything else
      PrintError(pending.status().message());
      ctx.exit_code = ExitCodeFor(pending.status());
      return;
    }
    // An edited YAML without `strata generate` would otherwise apply the
    // old files and exit 0: the same comparison as `generate --check`.
    if (!ctx.allow_stale && !pending->empty()) {
      const std::vector<std::string> stale =
          OutOfDateFiles(GenerateMigrations(run->schema, *run->dialect, run->files).files, run->files);
      if (!stale.empty()) {
        PrintError(fmt::format("the migration files are not what {} produces now, so `up` would apply an older "
                               "schema:\n  {}\nrun `strata generate` and review the new files (or pass "
                               "--allow-stale to apply the files as they are)",
                               ctx.options.schema_dir, fmt::join(stale, "\n  ")));
        ctx.exit_code = kUsage;
        return;
      }
    }
    if (!pending->empty() && !BackupTarget(ctx, options.backup_to)) return;
    EnableProgress(*run->connection);
    Status s = run->runner->Up(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    if (options.backup_to) PruneBackups(ctx.options.db, ctx.keep_backups);
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: {} applied, {} pending\n", RedactedTarget(ctx.options.db), report->applied_count(),
                               report->pending_count());
    ctx.exit_code = kOk;
  });
}

void SetupDown(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("down", "Roll back applied migrations (default: the last one)");
  AddRunOptions(*cmd, ctx);
  cmd->add_option("--steps", ctx.steps, "how many migrations to roll back");
  cmd->add_flag("--allow-drift", ctx.allow_drift,
                "roll back even though the database differs from the tag its history records");
  cmd->callback([&ctx] {
    std::unique_ptr<RunContext> run = OpenRunContext(ctx.options, false, ctx.exit_code);
    if (!run) return;
    DownOptions options;
    if (!ctx.tag.empty()) {
      options.tag = ResolveTagOrReport(run->schema, ctx.tag);
      if (!options.tag) {
        ctx.exit_code = kUsage;
        return;
      }
    }
    options.to_version = ctx.to_version;
    options.steps = ctx.steps;
    options.allow_destructive = ctx.allow_destructive;
    options.refuse_drift = !ctx.allow_drift;
    if (!BackupTarget(ctx, options.backup_to)) return;
    EnableProgress(*run->connection);
    Status s = run->runner->Down(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    if (options.backup_to) PruneBackups(ctx.options.db, ctx.keep_backups);
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: {} applied, {} pending\n", RedactedTarget(ctx.options.db), report->applied_count(),
                               report->pending_count());
    ctx.exit_code = kOk;
  });
}

void SetupBaseline(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "baseline", "Start managing an existing database: record the migrations through a tag as applied");
  AddSchemaOption(*cmd, ctx.options);
  AddMigrationsOption(*cmd, ctx.options);
  AddDbOption(*cmd, ctx.options);
  cmd->add_option("--tag", ctx.tag, "the tag the database is at")->required();
  cmd->callback([&ctx] {
    std::unique_ptr<RunContext> run = OpenRunContext(ctx.options, false, ctx.exit_code);
    if (!run) return;
    std::optional<int> tag = ResolveTagOrReport(run->schema, ctx.tag);
    if (!tag) {
      ctx.exit_code = kUsage;
      return;
    }
    BaselineOptions options{.tag = *tag};
    Status s = run->runner->Baseline(options, PrintEvent);
    if (!s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    Result<StatusReport> report = run->runner->Status();
    if (report.ok())
      std::cout << fmt::format("{}: baselined at tag \"{}\"; {} applied, {} pending\n", RedactedTarget(ctx.options.db),
                               run->schema.project.tags[*tag], report->applied_count(), report->pending_count());
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
