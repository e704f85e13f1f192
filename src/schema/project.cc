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

bool Project::GeneratesFor(std::string_view dialect_name) const {
  return std::find(dialects.begin(), dialects.end(), dialect_name) != dialects.end();
}

std::string Project::DialectFolder(std::string_view dialect_name) const {
  return dialect_name == dialect ? "" : std::string(dialect_name);
}

}  // namespace strata
