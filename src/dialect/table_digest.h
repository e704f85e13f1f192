// What a table holds, reduced to numbers that tell whether two copies of it
// hold the same rows without keeping either: its row count, one hash per
// row and one per column. The hashes are sums and sorted lists, so they do
// not depend on the order rows are read in (a table rebuilt by a migration
// may number its rows anew), and a comparison can still say how many rows
// and which columns differ.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff/drift.h"

namespace strata {

struct TableDigest {
  std::string table;
  int64_t rows = 0;
  std::vector<std::string> columns;     // by name, sorted
  std::vector<uint64_t> column_hashes;  // per column: the sum of its values' hashes
  std::vector<uint64_t> row_hashes;     // one per row (of its values and the column names), sorted
};

// How the tables of `after` differ from those of `before`, one finding per
// table that differs ("users": "2 of its 3 row(s) are gone or changed;
// column \"bio\" differs"). Empty when every table holds what it held.
std::vector<DriftItem> CompareTableDigests(const std::vector<TableDigest>& before,
                                           const std::vector<TableDigest>& after);

}  // namespace strata
