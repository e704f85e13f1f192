#include "schema/types.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace strata {

const std::vector<std::string>& KnownTypeNames() {
  static const std::vector<std::string> names = {
      "INTEGER", "INT",     "BIGINT",   "SMALLINT", "TINYINT",  "MEDIUMINT", "TEXT",
      "VARCHAR", "CHAR",    "NCHAR",    "NVARCHAR", "CLOB",     "REAL",      "DOUBLE",
      "FLOAT",   "NUMERIC", "DECIMAL",  "BOOLEAN",  "DATE",     "DATETIME",  "TIMESTAMP",
      "TIME",    "BLOB",    "JSON",     "UUID",     "ANY"};
  return names;
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

std::string_view TypeAffinity(std::string_view declared) {
  const std::string type = AsciiUpper(declared);
  if (type.find("INT") != std::string::npos) return "INTEGER";
  if (type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos ||
      type.find("TEXT") != std::string::npos)
    return "TEXT";
  if (type.find("BLOB") != std::string::npos || Trim(type).empty()) return "BLOB";
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos)
    return "REAL";
  return "NUMERIC";
}

}  // namespace strata
