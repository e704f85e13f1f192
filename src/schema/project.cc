#include "schema/project.h"

namespace strata {

std::optional<int> Project::TagIndex(std::string_view tag) const {
  for (size_t i = 0; i < tags.size(); ++i)
    if (tags[i] == tag) return static_cast<int>(i);
  return std::nullopt;
}

}  // namespace strata
