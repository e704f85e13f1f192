// Backups with SQLite's online backup API.
#pragma once

#include <string>

#include "base/status.h"

namespace strata::sqlite {

// Copies `source` into the file `destination` with SQLite's online backup
// API (also used to restore a backup over a live database).
Status CopyDatabase(const std::string& source, const std::string& destination);
// Copies `source` into the new file `destination` atomically: through a
// temporary name, synced, then renamed; never leaves a partial backup.
Status BackupToNewFile(const std::string& source, const std::string& destination);

}  // namespace strata::sqlite
