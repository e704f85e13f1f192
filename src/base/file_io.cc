#include "base/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace strata {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  // A FIFO or a device would block or never end; a symlink loop would throw.
  std::error_code error;
  const bool regular = std::filesystem::is_regular_file(path, error);
  if (error) return Status::IOError(fmt::format("cannot read {}: {}", path.string(), error.message()));
  if (!regular) return Status::InvalidInput(fmt::format("{} is not a regular file", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path temp = path;
  temp += ".strata-tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return Status::IOError("cannot write " + temp.string());
  }
  // Synced before the rename and the folder after it: a power loss leaves
  // the old file or the new one, never an empty one.
  if (Status s = SyncPath(temp.string()); !s.ok()) return s;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Status::IOError("cannot rename " + temp.string() + ": " + ec.message());
  return SyncPath(path.has_parent_path() ? path.parent_path().string() : ".");
}

bool PathExists(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

Status SyncPath(const std::string& path) {
  const int fd = ::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(fmt::format("cannot open {} to sync it: {}", path, std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError(fmt::format("cannot sync {}: {}", path, std::strerror(saved)));
  return Status::Ok();
}

}  // namespace strata
