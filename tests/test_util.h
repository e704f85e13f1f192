// Helpers shared by the tests: a temporary folder removed at the end of the
// test, file writing, and running the strata binary.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `text` to `relative` (creating folders), returns the full path.
  std::filesystem::path Write(const std::string& relative, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the strata binary with `args` in `cwd`, capturing both streams.
CommandResult RunStrata(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

std::string Trimmed(const std::string& s);

// The repository's own schema folder.
std::filesystem::path SourceDir();

}  // namespace strata::testing
