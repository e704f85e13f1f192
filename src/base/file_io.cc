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
  // A migrations folder is read file by file on every status and up, so a
  // file costs four calls: open, fstat, one read sized by it, close.
  // O_NONBLOCK keeps a FIFO's open from waiting for a writer; fstat then
  // refuses anything but a regular file (a FIFO or a device may never end).
  const auto failed = [&](int error) {
    return Status::IOError(fmt::format("cannot read {}: {}", path.string(), std::strerror(error)));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return failed(errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int saved = errno;
    ::close(fd);
    return failed(saved);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::InvalidInput(fmt::format("{} is not a regular file", path.string()));
  }
  // One byte more than fstat says: a short read is the end of a regular
  // file, and a file that grew meanwhile is read on to its end.
  std::string text(static_cast<size_t>(info.st_size) + 1, '\0');
  size_t done = 0;
  for (;;) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      return failed(saved);
    }
    done += static_cast<size_t>(n);
    if (done < text.size()) break;
    text.resize(text.size() * 2);
  }
  ::close(fd);
  text.resize(done);
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
