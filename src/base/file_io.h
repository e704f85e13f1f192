// Reading files, and writing them atomically (a temporary file renamed into
// place), so an interrupted `strata generate` never leaves half a file.
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"

namespace strata {

Result<std::string> ReadFile(const std::filesystem::path& path);
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content);

}  // namespace strata
