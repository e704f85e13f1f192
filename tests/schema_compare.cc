#include "schema_compare.h"

#include <algorithm>
#include <tuple>

namespace strata::testing {

Table AsPragmasSeeIt(Table t) {
  t.description.clear();
  t.pos = {};
  t.checks.clear();
  t.data_checks.clear();
  t.data_fixes.clear();
  t.rows.clear();
  t.row_key.clear();
  t.renamed_from.clear();
  for (Column& c : t.columns) {
    c.description.clear();
    c.check.clear();
    c.collation.clear();
    c.renamed_from.clear();
    c.pos = {};
  }
  std::erase_if(t.uniques, [&](const UniqueConstraint& u) {
    if (u.columns.size() != 1) return false;
    for (Column& c : t.columns)
      if (c.name == u.columns[0]) c.unique = true;
    return true;
  });
  for (UniqueConstraint& u : t.uniques) u.pos = {};
  for (ForeignKey& fk : t.foreign_keys) fk.pos = {};
  // pragma_foreign_key_list has no stable order across rebuilds; compare as a set.
  std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), [](const ForeignKey& a, const ForeignKey& b) {
    return std::tie(a.ref_table, a.columns) < std::tie(b.ref_table, b.columns);
  });
  for (Index& i : t.indexes) {
    i.description.clear();
    i.renamed_from.clear();
    i.pos = {};
  }
  std::sort(t.indexes.begin(), t.indexes.end(), [](const Index& a, const Index& b) { return a.name < b.name; });
  return t;
}

Schema AsPragmasSeeIt(const Schema& s) {
  Schema out;
  for (const Table& t : s.tables) out.tables.push_back(AsPragmasSeeIt(t));
  std::sort(out.tables.begin(), out.tables.end(), [](const Table& a, const Table& b) { return a.name < b.name; });
  return out;
}

}  // namespace strata::testing
