#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/declarative.h"

namespace strata::cli {

namespace {

struct ApplyFlags {
  CommonOptions common;
  std::string to;   // schema folder or database file to match (default: the schema folder)
  std::string tag;  // of the schema folder `to`
  bool dry_run = false;
  bool allow_destructive = false;
  bool ignore_history = false;
  bool no_backup = false;
  int keep_backups = 5;
};

}  // namespace


// Declarative mode: the database is brought to the wanted schema directly,
// under the same guards as a migration file, without migration history.
void SetupApply(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "apply", "Bring a database to the schema of a folder (or of another database) in one transaction");
  auto flags = std::make_shared<ApplyFlags>();
  AddDbOption(*cmd, flags->common);
  flags->to = flags->common.schema_dir;
  cmd->add_option("--to", flags->to, "schema folder (its last tag) or database file to match (default: schema)");
  cmd->add_option("--tag", flags->tag, "the tag of the schema folder to match (default: its last)");
  cmd->add_flag("--dry-run", flags->dry_run, "print the script instead of running it");
  cmd->add_flag("--allow-destructive", flags->allow_destructive,
                "let the change discard data (dropped tables and columns, narrowed types)");
  cmd->add_flag("--ignore-history", flags->ignore_history,
                "apply even though the database has strata's migration history");
  cmd->add_flag("--no-backup", flags->no_backup, "do not back the database up first");
  cmd->add_option("--keep-backups", flags->keep_backups, "backups to keep in backups/ (default 5)");
  cmd->callback([flags, &exit_code] {
    std::optional<SchemaSide> target = LoadSchemaSide(flags->to, flags->common.format, flags->tag);
    if (!target) {
      exit_code = kUsage;
      return;
    }
    const bool existed = PathExists(flags->common.db);
    Result<std::unique_ptr<Connection>> connection = OpenTarget(flags->common.db, {.create = true});
    if (!connection.ok()) {
      PrintError(connection.status().message());
      exit_code = ExitCodeFor(connection.status());
      return;
    }
    Connection& db = **connection;
    Result<std::vector<AppliedMigration>> history = db.ReadHistory();
    if (!history.ok()) {
      PrintError(history.status().message());
      exit_code = ExitCodeFor(history.status());
      return;
    }
    if (!history->empty() && !flags->ignore_history) {
      PrintError(fmt::format("{} is managed by migrations (version {} is applied); apply would change it behind its "
                             "history, so the next `strata up` or `down` would start from a state its files do not "
                             "expect. Use `strata up`, or pass --ignore-history",
                             RedactedTarget(flags->common.db), history->back().version));
      exit_code = kUsage;
      return;
    }
    Result<Schema> live = db.Inspect();
    if (!live.ok()) {
      PrintError(live.status().message());
      exit_code = ExitCodeFor(live.status());
      return;
    }
    // Tables the project leaves alone are not the target's to drop.
    std::erase_if(live->tables, [&](const Table& t) { return target->project.IgnoresTable(t.name); });
    if (!target->is_database) {
      Result<Schema> seen = AsInspectedBy(db, target->schema);
      if (!seen.ok()) {
        PrintError(seen.status().message());
        exit_code = ExitCodeFor(seen.status());
        return;
      }
      target->schema = std::move(seen.value());
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(DialectOfTarget(flags->common.db));
    DeclarativeScript script = PlanDeclarative(
        *dialect, *live, target->schema, {.label = "apply", .allow_destructive = flags->allow_destructive});
    for (const UnmodelledObject& o : live->unmodelled)
      std::cerr << fmt::format("strata: left alone: \"{}\" is a {}, which strata does not model\n", o.name, o.what);
    if (script.changes.empty()) {
      std::cout << fmt::format("{}: already matches {}; nothing to do\n", RedactedTarget(flags->common.db), flags->to);
      exit_code = kOk;
      return;
    }
    if (flags->dry_run) {
      std::cout << script.sql;
      exit_code = script.refused ? kFindings : kOk;
      return;
    }
    if (script.refused) {
      PrintError(fmt::format("{}: the change discards data ({}); nothing was changed. Review it with --dry-run and "
                             "pass --allow-destructive to allow it",
                             RedactedTarget(flags->common.db), fmt::join(script.plan.destructive_changes, "; ")));
      exit_code = kFindings;
      return;
    }
    if (existed && !flags->no_backup) {
      Result<std::string> backup = NextBackupPath(flags->common.db);
      Status s = backup.ok() ? db.Backup(*backup) : backup.status();
      if (!s.ok()) {
        PrintError(s.WithContext("backup").message() + "; pass --no-backup to run without one");
        exit_code = ExitCodeFor(s);
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
      exit_code = ExitCodeFor(outcome.status());
      return;
    }
    if (existed && !flags->no_backup) PruneBackups(flags->common.db, flags->keep_backups);
    std::cout << fmt::format("{}: applied {} change{} to match {}\n", RedactedTarget(flags->common.db), script.changes.size(),
                             script.changes.size() == 1 ? "" : "s", flags->to);
    for (const Change& c : script.changes) std::cout << "  " << Describe(c) << "\n";
    exit_code = kOk;
  });
}

}  // namespace strata::cli
