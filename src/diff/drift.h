// Drift: how a live database differs from the schema it should have. It is
// the differ run from the expected state to the live one, with each change
// phrased as a finding ("column missing", "extra index"); no drift is an
// empty list.
#pragma once

#include <string>
#include <vector>

#include "diff/change.h"

namespace strata {

struct DriftItem {
  std::string table;
  std::string finding;  // "column \"email\" is missing"
};

// REQUIRES: `changes` == Diff(expected, live).
std::vector<DriftItem> DescribeDrift(const std::vector<Change>& changes);

}  // namespace strata
