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

namespace {

int AcceptanceRank(std::string_view type) {
  // ANY keeps every value as given (STRICT tables' own type).
  if (EqualsIgnoreCase(Trim(type), "ANY")) return 5;
  switch (TypeAffinity(type)) {
    case Affinity::kInteger: return 1;
    case Affinity::kReal: return 2;
    case Affinity::kNumeric: return 3;
    case Affinity::kText: return 4;
    case Affinity::kBlob: return 5;
  }
  return 0;
}

}  // namespace

bool NarrowsAffinity(const Column& from, const Column& to) {
  return AcceptanceRank(to.type) < AcceptanceRank(from.type);
}

}  // namespace strata::sqlite
