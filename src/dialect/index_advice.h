// explain's index advice as a list of changes a reviewer (or
// `strata explain --write`) acts on: each suggested index to add and each
// redundant one to drop, with why, and why it cannot be taken as is.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "dialect/index_plan.h"

namespace strata {

struct IndexAdvice {
  enum class Kind { kAdd, kDrop };
  Kind kind = Kind::kAdd;
  std::string name;   // the index suggested or found redundant
  std::string table;
  std::vector<std::string> columns;  // kAdd: the suggested index's
  std::string kept_index;  // kDrop: the index that covers it; empty when a key constraint does
  std::string summary;     // why, one line
  std::string skipped;     // not empty: why it cannot be taken as it is
};

// Every suggestion of `report`, in its order: missing indexes, then
// redundant ones. A suggestion explain could not verify is skipped unless
// `include_unverified`.
std::vector<IndexAdvice> AdviceOf(const ExplainReport& report, bool include_unverified);

// The advice for the index or table names in `names`; InvalidInput naming
// the known names when one matches no suggestion of tag `tag`.
Result<std::vector<IndexAdvice>> OnlyAdviceFor(std::vector<IndexAdvice> advice, const std::vector<std::string>& names,
                                               const std::string& tag);

}  // namespace strata
