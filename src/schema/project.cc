#include "schema/project.h"

#include <algorithm>

#include "base/strings.h"

namespace strata {

bool Project::IgnoresTable(std::string_view table) const {
  return std::any_of(ignore_tables.begin(), ignore_tables.end(),
                     [&](const std::string& ignored) { return EqualsIgnoreCase(ignored, table); });
}

std::optional<int> Project::TagIndex(std::string_view tag) const {
  for (size_t i = 0; i < tags.size(); ++i)
    if (tags[i] == tag) return static_cast<int>(i);
  return std::nullopt;
}

}  // namespace strata
