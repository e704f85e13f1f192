#include "base/file_io.h"

#include <fstream>
#include <sstream>

namespace strata {

Result<std::string> ReadFile(const std::filesystem::path& path) {
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
  std::filesystem::rename(temp, path, ec);
  if (ec) return Status::IOError("cannot rename " + temp.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace strata
