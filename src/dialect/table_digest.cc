#include "dialect/table_digest.h"

#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace strata {

namespace {

// Rows of `a` that `b` does not hold, counting duplicates (both sorted).
int64_t RowsMissingFrom(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  int64_t missing = 0;
  for (size_t i = 0, j = 0; i < a.size();) {
    if (j == b.size() || a[i] < b[j]) {
      ++missing;
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++i;
      ++j;
    }
  }
  return missing;
}

std::string Differences(const TableDigest& before, const TableDigest& after) {
  std::vector<std::string> parts;
  if (after.rows != before.rows) parts.push_back(fmt::format("{} row(s) instead of {}", after.rows, before.rows));
  if (const int64_t gone = RowsMissingFrom(before.row_hashes, after.row_hashes); gone > 0)
    parts.push_back(fmt::format("{} of its {} row(s) are gone or changed", gone, before.rows));
  else if (const int64_t added = RowsMissingFrom(after.row_hashes, before.row_hashes); added > 0)
    parts.push_back(fmt::format("{} row(s) were added", added));
  std::map<std::string, uint64_t> after_columns;
  for (size_t i = 0; i < after.columns.size(); ++i) after_columns[after.columns[i]] = after.column_hashes[i];
  for (size_t i = 0; i < before.columns.size(); ++i) {
    const auto it = after_columns.find(before.columns[i]);
    if (it == after_columns.end())
      parts.push_back(fmt::format("column \"{}\" is gone", before.columns[i]));
    // With rows added or gone every column's sum differs: which columns
    // changed says something only about the same number of rows.
    else if (it->second != before.column_hashes[i] && after.rows == before.rows)
      parts.push_back(fmt::format("column \"{}\" differs", before.columns[i]));
    if (it != after_columns.end()) after_columns.erase(it);
  }
  for (const auto& [name, hash] : after_columns) parts.push_back(fmt::format("extra column \"{}\"", name));
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

std::vector<DriftItem> CompareTableDigests(const std::vector<TableDigest>& before,
                                           const std::vector<TableDigest>& after) {
  std::map<std::string, const TableDigest*> remaining;
  for (const TableDigest& t : after) remaining[t.table] = &t;
  std::vector<DriftItem> out;
  for (const TableDigest& b : before) {
    const auto it = remaining.find(b.table);
    if (it == remaining.end()) {
      out.push_back({b.table, fmt::format("table is gone (it held {} row(s))", b.rows)});
      continue;
    }
    if (std::string differences = Differences(b, *it->second); !differences.empty())
      out.push_back({b.table, std::move(differences)});
    remaining.erase(it);
  }
  for (const auto& [name, digest] : remaining)
    if (digest->rows > 0) out.push_back({name, fmt::format("extra table with {} row(s)", digest->rows)});
  return out;
}

}  // namespace strata
