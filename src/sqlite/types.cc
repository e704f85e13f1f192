#include "sqlite/types.h"

#include <string>

#include "base/strings.h"

namespace strata::sqlite {

Affinity TypeAffinity(std::string_view declared) {
  const std::string type = AsciiUpper(declared);
  auto has = [&](std::string_view word) { return type.find(word) != std::string::npos; };
  if (has("INT")) return Affinity::kInteger;
  if (has("CHAR") || has("CLOB") || has("TEXT")) return Affinity::kText;
  if (has("BLOB") || Trim(type).empty()) return Affinity::kBlob;
  if (has("REAL") || has("FLOA") || has("DOUB")) return Affinity::kReal;
  return Affinity::kNumeric;
}

}  // namespace strata::sqlite
