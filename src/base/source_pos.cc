#include "base/source_pos.h"

#include <fmt/format.h>

namespace strata {

std::string SourcePos::ToString() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

}  // namespace strata
