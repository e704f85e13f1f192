#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "cli/dialects.h"

namespace strata::cli {

void SetupBackup(CLI::App& app, Context& ctx) {
  CLI::App* backup = app.add_subcommand("backup", "Copy the database into backups/ with SQLite's online backup API");
  AddDbOption(*backup, ctx.options);
  backup->add_option("--keep-backups", ctx.keep_backups, "backups to keep (default 5)");
  backup->callback([&ctx] {
    if (!PathExists(ctx.options.db)) {
      PrintError(fmt::format("database \"{}\" not found", RedactedTarget(ctx.options.db)));
      ctx.exit_code = kUsage;
      return;
    }
    Result<std::unique_ptr<Connection>> db = OpenTarget(ctx.options.db, {});
    Result<std::string> target = NextBackupPath(ctx.options.db);
    Status s = !db.ok() ? db.status() : target.ok() ? (*db)->Backup(*target) : target.status();
    if (!s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    PruneBackups(ctx.options.db, ctx.keep_backups);
    std::cout << *target << "\n";
    ctx.exit_code = kOk;
  });

  CLI::App* restore = app.add_subcommand("restore", "Replace the database with a backup (online, page by page)");
  AddDbOption(*restore, ctx.options);
  restore->add_option("--from", ctx.backup_file, "backup file to restore")->required()->check(CLI::ExistingFile);
  restore->callback([&ctx] {
    Result<std::unique_ptr<Connection>> db = OpenTarget(ctx.options.db, {.create = true});
    Status s = db.ok() ? (*db)->Restore(ctx.backup_file) : db.status();
    if (!s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    std::cout << fmt::format("{}: restored from {}\n", RedactedTarget(ctx.options.db), ctx.backup_file);
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
