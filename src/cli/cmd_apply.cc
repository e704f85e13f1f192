#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/declarative.h"

namespace strata::cli {

// Declarative mode: the database is brought to the wanted schema directly,
// under the same guards as a migration file, without migration history.
void SetupApply(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "apply", "Bring a database to the schema of a folder (or of another database) in one transaction");
  AddDbOption(*cmd, ctx.options);
  ctx.to = ctx.options.schema_dir;
  cmd->add_option("--to", ctx.to, "schema folder (its last tag) or database file to match (default: schema)");
  cmd->add_option("--tag", ctx.tag, "the tag of the schema folder to match (default: its last)");
  cmd->add_flag("--dry-run", ctx.dry_run, "print the script instead of running it");
  cmd->add_flag("--allow-destructive", ctx.allow_destructive,
                "let the change discard data (dropped tables and columns, narrowed types)");
  cmd->add_flag("--ignore-history", ctx.ignore_history,
                "apply even though the database has strata's migration history");
  cmd->add_flag("--no-backup", ctx.no_backup, "do not back the database up first");
  cmd->add_option("--keep-backups", ctx.keep_backups, "backups to keep in backups/ (default 5)");
  cmd->callback([&ctx] {
    std::optional<SchemaSide> target = LoadSchemaSide(ctx.to, ctx.options.format, ctx.tag);
    if (!target) {
      ctx.exit_code = kUsage;
      return;
    }
    const bool existed = PathExists(ctx.options.db);
    Result<std::unique_ptr<Connection>> connection = OpenTarget(ctx.options.db, {.create = true});
    if (!connection.ok()) {
      PrintError(connection.status().message());
      ctx.exit_code = ExitCodeFor(connection.status());
      return;
    }
    Connection& db = **connection;
    Result<std::vector<AppliedMigration>> history = db.ReadHistory();
    if (!history.ok()) {
      PrintError(history.status().message());
      ctx.exit_code = ExitCodeFor(history.status());
      return;
    }
    if (!history->empty() && !ctx.ignore_history) {
      PrintError(fmt::format("{} is managed by migrations (version {} is applied); apply would change it behind its "
                             "history, so the next `strata up` or `down` would start from a state its files do not "
                             "expect. Use `strata up`, or pass --ignore-history",
                             RedactedTarget(ctx.options.db), history->back().version));
      ctx.exit_code = kUsage;
      return;
    }
    Result<Schema> live = db.Inspect();
    if (!live.ok()) {
      PrintError(live.status().message());
      ctx.exit_code = ExitCodeFor(live.status());
      return;
    }
    // Tables the project leaves alone are not the target's to drop.
    std::erase_if(live->tables, [&](const Table& t) { return target->project.IgnoresTable(t.name); });
    if (!target->is_database) {
      Result<Schema> seen = AsInspectedBy(db, target->schema);
      if (!seen.ok()) {
        PrintError(seen.status().message());
        ctx.exit_code = ExitCodeFor(seen.status());
        return;
      }
      target->schema = std::move(seen.value());
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(DialectOfTarget(ctx.options.db));
    DeclarativeScript script = PlanDeclarative(
        *dialect, *live, target->schema, {.label = "apply", .allow_destructive = ctx.allow_destructive});
    for (const UnmodelledObject& o : live->unmodelled)
      std::cerr << fmt::format("strata: left alone: \"{}\" is a {}, which strata does not model\n", o.name, o.what);
    if (script.changes.empty()) {
      std::cout << fmt::format("{}: already matches {}; nothing to do\n", RedactedTarget(ctx.options.db), ctx.to);
      ctx.exit_code = kOk;
      return;
    }
    if (ctx.dry_run) {
      std::cout << script.sql;
      ctx.exit_code = script.refused ? kFindings : kOk;
      return;
    }
    if (script.refused) {
      PrintError(fmt::format("{}: the change discards data ({}); nothing was changed. Review it with --dry-run and "
                             "pass --allow-destructive to allow it",
                             RedactedTarget(ctx.options.db), fmt::join(script.plan.destructive_changes, "; ")));
      ctx.exit_code = kFindings;
      return;
    }
    if (existed && !ctx.no_backup) {
      Result<std::string> backup = NextBackupPath(ctx.options.db);
      Status s = backup.ok() ? db.Backup(*backup) : backup.status();
      if (!s.ok()) {
        PrintError(s.WithContext("backup").message() + "; pass --no-backup to run without one");
        ctx.exit_code = ExitCodeFor(s);
        return;
      }
      PrintEvent({RunEvent::kBackup, *backup, "", 0});
    }
    EnableProgress(db);
    Result<ApplyOutcome> outcome =
        db.Apply({.file_name = "apply", .name = "apply", .up = true, .sql = script.sql, .versioned = false,
                  .own_transaction = ReadMigrationFacts(script.sql).own_transaction});
    if (!outcome.ok()) {
      PrintError(outcome.status().message());
      ctx.exit_code = ExitCodeFor(outcome.status());
      return;
    }
    if (existed && !ctx.no_backup) PruneBackups(ctx.options.db, ctx.keep_backups);
    std::cout << fmt::format("{}: applied {} change{} to match {}\n", RedactedTarget(ctx.options.db), script.changes.size(),
                             script.changes.size() == 1 ? "" : "s", ctx.to);
    for (const Change& c : script.changes) std::cout << "  " << Describe(c) << "\n";
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
