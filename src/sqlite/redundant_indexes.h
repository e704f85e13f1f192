// Redundant indexes of a live SQLite table: the dialect-neutral rule
// (FindRedundantIndexes), plus the index that repeats the rowid.
#pragma once

#include <vector>

#include "dialect/index_plan.h"
#include "sqlite/live_indexes.h"

namespace strata::sqlite {

// The indexes of `t` that another index, or the rowid, already serves.
std::vector<RedundantIndex> FindRedundant(const TableInfo& t);

}  // namespace strata::sqlite
