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

// SQLite's type affinity of a declared type (datatype3.html, section 3.1):
// "INTEGER", "TEXT", "BLOB", "REAL" or "NUMERIC".
std::string_view TypeAffinity(std::string_view declared);

}  // namespace strata
