#include "schema/types.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace strata {

namespace {

struct KnownType {
  const char* name;
  TypeFamily family;
};

constexpr KnownType kKnownTypes[] = {
    {"INTEGER", TypeFamily::kInteger},   {"INT", TypeFamily::kInteger},       {"BIGINT", TypeFamily::kInteger},
    {"SMALLINT", TypeFamily::kInteger},  {"TINYINT", TypeFamily::kInteger},   {"MEDIUMINT", TypeFamily::kInteger},
    {"TEXT", TypeFamily::kText},         {"VARCHAR", TypeFamily::kText},      {"CHAR", TypeFamily::kText},
    {"NCHAR", TypeFamily::kText},        {"NVARCHAR", TypeFamily::kText},     {"CLOB", TypeFamily::kText},
    {"REAL", TypeFamily::kReal},         {"DOUBLE", TypeFamily::kReal},       {"FLOAT", TypeFamily::kReal},
    {"NUMERIC", TypeFamily::kNumeric},   {"DECIMAL", TypeFamily::kNumeric},   {"BOOLEAN", TypeFamily::kBoolean},
    {"DATE", TypeFamily::kTemporal},     {"DATETIME", TypeFamily::kTemporal}, {"TIMESTAMP", TypeFamily::kTemporal},
    {"TIME", TypeFamily::kTemporal},     {"BLOB", TypeFamily::kBlob},         {"JSON", TypeFamily::kOther},
    {"UUID", TypeFamily::kOther},        {"ANY", TypeFamily::kOther}};

}  // namespace

const std::vector<std::string>& KnownTypeNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const KnownType& t : kKnownTypes) out.emplace_back(t.name);
    return out;
  }();
  return names;
}

TypeFamily FamilyOfKnownType(std::string_view known_name) {
  for (const KnownType& t : kKnownTypes)
    if (known_name == t.name) return t.family;
  return TypeFamily::kOther;
}

std::optional<TypeFamily> FamilyNamedIn(std::string_view type_name) {
  const std::string type = AsciiUpper(type_name);
  auto has = [&](std::string_view word) { return type.find(word) != std::string::npos; };
  // INT first: "POINT" and "INTERVAL" are rare, "BIGINT" and "INT8" are not.
  if (has("INT")) return TypeFamily::kInteger;
  if (has("CHAR") || has("CLOB") || has("TEXT")) return TypeFamily::kText;
  if (has("BLOB")) return TypeFamily::kBlob;
  if (has("REAL") || has("FLOA") || has("DOUB")) return TypeFamily::kReal;
  return std::nullopt;
}

std::string CanonicalTypeName(std::string_view declared) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(declared)) {
    if (c == ' ' || c == '\t') {
      pending_space = true;
      continue;
    }
    if (pending_space && c != '(' && c != ')' && c != ',' && !out.empty() && out.back() != '(' &&
        out.back() != ',')
      out += ' ';
    pending_space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsKnownType(std::string_view declared) {
  std::string type = CanonicalTypeName(declared);
  std::string base = type.substr(0, type.find('('));
  if (std::find(KnownTypeNames().begin(), KnownTypeNames().end(), base) == KnownTypeNames().end())
    return false;
  if (base.size() == type.size()) return true;
  // Parameters: "(n)" or "(n,m)" with unsigned numbers.
  std::string params = type.substr(base.size());
  if (params.size() < 3 || params.back() != ')') return false;
  int numbers = 0;
  bool in_number = false;
  for (size_t i = 1; i + 1 < params.size(); ++i) {
    char c = params[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!in_number) ++numbers;
      in_number = true;
    } else if (c == ',' && in_number) {
      in_number = false;
    } else {
      return false;
    }
  }
  return in_number && numbers <= 2;
}

}  // namespace strata
