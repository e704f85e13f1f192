#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "cli/dialects.h"

namespace strata::cli {

namespace {

struct BackupFlags {
  CommonOptions common;
  int keep_backups = 5;
};

struct RestoreFlags {
  CommonOptions common;
  std::string backup_file;  // --from
};

}  // namespace

void SetupBackup(CLI::App& app, int& exit_code) {
  CLI::App* backup = app.add_subcommand("backup", "Copy the database into backups/ with SQLite's online backup API");
  auto flags = std::make_shared<BackupFlags>();
  AddDbOption(*backup, flags->common);
  backup->add_option("--keep-backups", flags->keep_backups, "backups to keep (default 5)");
  backup->callback([flags, &exit_code] {
    if (!PathExists(flags->common.db)) {
      PrintError(fmt::format("database \"{}\" not found", RedactedTarget(flags->common.db)));
      exit_code = kUsage;
      return;
    }
    Result<std::unique_ptr<Connection>> db = OpenTarget(flags->common.db, {});
    Result<std::string> target = NextBackupPath(flags->common.db);
    Status s = !db.ok() ? db.status() : target.ok() ? (*db)->Backup(*target) : target.status();
    if (!s.ok()) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
      return;
    }
    PruneBackups(flags->common.db, flags->keep_backups);
    std::cout << *target << "\n";
    exit_code = kOk;
  });

  CLI::App* restore = app.add_subcommand("restore", "Replace the database with a backup (online, page by page)");
  auto restore_flags = std::make_shared<RestoreFlags>();
  AddDbOption(*restore, restore_flags->common);
  restore->add_option("--from", restore_flags->backup_file, "backup file to restore")->required()->check(CLI::ExistingFile);
  restore->callback([restore_flags, &exit_code] {
    Result<std::unique_ptr<Connection>> db = OpenTarget(restore_flags->common.db, {.create = true});
    Status s = db.ok() ? (*db)->Restore(restore_flags->backup_file) : db.status();
    if (!s.ok()) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
      return;
    }
    std::cout << fmt::format("{}: restored from {}\n", RedactedTarget(restore_flags->common.db), restore_flags->backup_file);
    exit_code = kOk;
  });
}

}  // namespace strata::cli
