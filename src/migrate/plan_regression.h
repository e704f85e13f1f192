// Plan regressions between two schema states: the declared queries of the
// newer state planned on two empty scratch databases of the dialect, one
// holding each schema, so that the comparison sees only what the schemas
// change (the indexes), never data or statistics.
#pragma once

#include <vector>

#include "base/status.h"
#include "dialect/dialect.h"
#include "dialect/index_plan.h"
#include "schema/table.h"

namespace strata {

// `target`'s queries (and large tables) on `base` and on `target`.
Result<std::vector<PlanChange>> ComparePlansBetween(const Dialect& dialect, const Schema& base, const Schema& target);

}  // namespace strata
