#include "base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
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
  // One open, a read sized by fstat and one more to see the end: a
  // migrations folder is read file by file on every status and up.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  struct stat info {};
  std::string text;
  if (::fstat(fd, &info) == 0 && info.st_size > 0) text.reserve(static_cast<size_t>(info.st_size));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      return Status::IOError(fmt::format("cannot read {}: {}", path.string(), std::strerror(saved)));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
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
