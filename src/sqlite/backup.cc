#include "sqlite/backup.h"

#include <sqlite3.h>

#include <filesystem>

#include <fmt/format.h>

#include "base/file_io.h"
#include "sqlite/database.h"

namespace strata::sqlite {

Status CopyDatabase(const std::string& source, const std::string& destination) {
  Result<Database> from = Database::Open(source, Database::Mode::kReadOnly);
  if (!from.ok()) return from.status();
  Result<Database> to = Database::Open(destination, Database::Mode::kReadWriteCreate);
  if (!to.ok()) return to.status();
  sqlite3_backup* backup = sqlite3_backup_init(to->handle(), "main", from->handle(), "main");
  if (!backup) return to->LastError("backup");
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return to->LastError("backup");
  return Status::Ok();
}

Status BackupToNewFile(const std::string& source, const std::string& destination) {
  // Copied under a name no prune or restore would take for a backup, made
  // durable, and only then renamed: a failure leaves no partial backup.
  const std::string partial = destination + ".partial";
  const auto discard = [&] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    std::filesystem::remove(partial + "-journal", ignored);
  };
  discard();
  if (Status s = CopyDatabase(source, partial); !s.ok()) {
    discard();
    return s;
  }
  if (Status s = SyncPath(partial); !s.ok()) {
    discard();
    return s;
  }
  std::error_code error;
  if (std::filesystem::exists(destination, error)) {
    discard();
    return Status::IOError(fmt::format("backup \"{}\" already exists", destination));
  }
  std::filesystem::rename(partial, destination, error);
  if (error) {
    discard();
    return Status::IOError(fmt::format("cannot rename {}: {}", partial, error.message()));
  }
  return SyncPath(std::filesystem::path(destination).parent_path().string());
}

}  // namespace strata::sqlite
