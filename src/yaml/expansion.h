// How large a YAML text becomes once its aliases are expanded. yaml-cpp
// shares an aliased node, but every reader of the tree walks it once per
// alias, so a small file of nested aliases ("billion laughs") costs time
// cubic or worse. The loader refuses a text beyond a budget before reading it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <yaml-cpp/mark.h>

namespace strata::yaml {

// Where the expanded node count first passes `limit` (an alias, as a
// 0-based yaml-cpp mark), or nullopt when the whole text stays within it.
// Syntax errors are left to the real parse.
std::optional<YAML::Mark> ExpansionBeyond(const std::string& text, size_t limit);

}  // namespace strata::yaml
