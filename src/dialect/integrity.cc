#include "dialect/integrity.h"

#include "base/strings.h"

namespace strata {

bool ChildColumnsLeadAnIndex(const Table& t, const std::vector<std::string>& columns) {
  const auto leads = [&](const std::vector<std::string>& index_columns) {
    if (index_columns.size() < columns.size()) return false;
    for (size_t i = 0; i < columns.size(); ++i)
      if (!EqualsIgnoreCase(index_columns[i], columns[i])) return false;
    return true;
  };
  if (leads(t.PrimaryKeyColumns())) return true;
  for (const UniqueConstraint& u : t.uniques)
    if (leads(u.columns)) return true;
  for (const Index& i : t.indexes) {
    std::vector<std::string> cols;
    for (const IndexPart& p : i.parts) cols.push_back(p.column);
    if (i.where.empty() && leads(cols)) return true;
  }
  if (columns.size() == 1)
    if (const Column* c = t.FindColumn(columns[0]); c && (c->unique || c->primary_key)) return true;
  return false;
}

}  // namespace strata
