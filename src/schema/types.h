// Column types strata accepts in YAML. SQLite itself takes any word as a
// type, so a typo ("TXET") silently becomes NUMERIC affinity; strata insists
// on a known SQL type name, optionally with a length or precision.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata {

// Upper-cases and normalises spacing: "decimal( 5, 2 )" -> "DECIMAL(5,2)".
std::string CanonicalTypeName(std::string_view declared);

// True when the type's base name is known and its parameters are numbers.
bool IsKnownType(std::string_view declared);

const std::vector<std::string>& KnownTypeNames();

}  // namespace strata
