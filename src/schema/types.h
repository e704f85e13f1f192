// Column types strata accepts in YAML. SQLite itself takes any word as a
// type, so a typo ("TXET") silently becomes NUMERIC affinity; strata insists
// on a known SQL type name, optionally with a length or precision.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// What kind of value a type holds, whatever a database calls it. The loader
// uses it to keep a "did you mean" suggestion within the kind the user wrote.
enum class TypeFamily { kInteger, kReal, kNumeric, kBoolean, kTemporal, kText, kBlob, kOther };

// Upper-cases and normalises spacing: "decimal( 5, 2 )" -> "DECIMAL(5,2)".
std::string CanonicalTypeName(std::string_view declared);

// True when the type's base name is known and its parameters are numbers.
bool IsKnownType(std::string_view declared);

const std::vector<std::string>& KnownTypeNames();

// The family of a known type's base name ("VARCHAR" -> kText).
// REQUIRES: `known_name` is one of KnownTypeNames().
TypeFamily FamilyOfKnownType(std::string_view known_name);

// The family an unknown type name announces by a word most SQL dialects use
// in their type names ("MEDIUMTEXT", "LONGBLOB", "UNSIGNED BIGINT"), or
// nullopt when it names none (a typo such as "TXET").
std::optional<TypeFamily> FamilyNamedIn(std::string_view type_name);

}  // namespace strata
