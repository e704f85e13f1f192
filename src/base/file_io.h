// Reading files, and writing them atomically (a temporary file renamed into
// place), so an interrupted `strata generate` never leaves half a file.
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"

namespace strata {

Result<std::string> ReadFile(const std::filesystem::path& path);
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content);

// Whether something is at `path`; never throws (a path too long or in a
// symlink loop reads as absent, and opening it then fails with a message).
bool PathExists(const std::filesystem::path& path);

// fsync of a file or a folder (after a rename in it), so that what was
// written survives a power loss.
Status SyncPath(const std::string& path);

}  // namespace strata
