#include "sqlite/redundant_indexes.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

IndexShape ShapeOf(const IndexInfo& i) {
  IndexShape shape;
  shape.name = i.name;
  shape.origin = i.origin == "pk"  ? IndexShape::Origin::kPrimaryKey
                 : i.origin == "u" ? IndexShape::Origin::kUnique
                                   : IndexShape::Origin::kIndex;
  shape.unique = i.unique;
  shape.where = i.where;
  for (const IndexPartInfo& p : i.parts) shape.keys.push_back({p.column, p.descending, p.collation, ""});
  shape.has_expression = i.has_expression;
  shape.created = i.created;
  shape.display_columns = i.display_columns;
  return shape;
}

}  // namespace

std::vector<RedundantIndex> FindRedundant(const TableInfo& t) {
  std::vector<IndexShape> shapes;
  for (const IndexInfo& i : t.indexes) shapes.push_back(ShapeOf(i));
  std::vector<RedundantIndex> covered = FindRedundantIndexes(
      t.name, shapes, [](const IndexShape& i) { return fmt::format("DROP INDEX {};", QuoteIdentifier(i.name)); });
  std::vector<RedundantIndex> out;
  for (const IndexInfo& a : t.indexes) {
    if (a.origin != "c") continue;
    // An index on the INTEGER PRIMARY KEY alone duplicates the rowid, which
    // is the table's own key.
    if (!t.rowid_alias.empty() && !a.unique && a.where.empty() && a.parts.size() == 1 && a.parts[0].column == t.rowid_alias &&
        a.parts[0].collation == "BINARY") {
      const std::string columns = "(" + fmt::format("{}", fmt::join(a.display_columns, ", ")) + ")";
      out.push_back({t.name, a.name, columns, "rowid", "(" + t.rowid_alias + ")", "INTEGER PRIMARY KEY (rowid)", true,
                     fmt::format("DROP INDEX {};", QuoteIdentifier(a.name))});
      continue;
    }
    auto found = std::find_if(covered.begin(), covered.end(), [&](const RedundantIndex& r) { return r.index == a.name; });
    if (found != covered.end()) out.push_back(std::move(*found));
  }
  return out;
}

}  // namespace strata::sqlite
