#include "dialect/index_plan.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace strata {

std::string_view PlanStepKindName(PlanStep::Kind kind) {
  switch (kind) {
    case PlanStep::Kind::kScan: return "full scan";
    case PlanStep::Kind::kIndexScan: return "index scan";
    case PlanStep::Kind::kSearch: return "search";
    case PlanStep::Kind::kCoveringSearch: return "covering index";
    case PlanStep::Kind::kKeySearch: return "key search";
    case PlanStep::Kind::kAutomaticIndex: return "automatic index";
    case PlanStep::Kind::kTempBTree: return "temp b-tree";
    case PlanStep::Kind::kOther: return "other";
  }
  return "other";
}

std::string QueryPlan::Classification() const {
  if (!error.empty()) return "error";
  // Table accesses first, then temp b-trees, whichever order the engine
  // lists them in (SQLite after the loops they sort, PostgreSQL above).
  std::vector<std::string> parts, temp;
  for (const PlanStep& s : steps) {
    if (s.kind == PlanStep::Kind::kTempBTree) {
      temp.push_back("temp b-tree for " + s.temp_for);
    } else if (!s.table.empty() && s.kind != PlanStep::Kind::kOther) {
      std::string text = fmt::format("{} {}", PlanStepKindName(s.kind), s.table);
      if (!s.index.empty()) text += " via " + s.index;
      parts.push_back(std::move(text));
    }
  }
  parts.insert(parts.end(), temp.begin(), temp.end());
  if (parts.empty()) return "no table read";
  return fmt::format("{}", fmt::join(parts, "; "));
}

namespace {

std::string OriginName(const IndexShape& i) {
  switch (i.origin) {
    case IndexShape::Origin::kPrimaryKey: return "PRIMARY KEY";
    case IndexShape::Origin::kUnique: return "UNIQUE constraint";
    case IndexShape::Origin::kIndex: break;
  }
  return i.unique ? "UNIQUE index" : "index";
}

bool Droppable(const IndexShape& i) { return i.origin == IndexShape::Origin::kIndex && !i.backs_constraint; }

bool CoveredBy(const IndexShape& a, const IndexShape& b) {
  if (a.has_expression || b.has_expression) return false;
  if (a.where != b.where || a.method != b.method) return false;
  if (a.keys.size() > b.keys.size()) return false;
  for (size_t i = 0; i < a.keys.size(); ++i) {
    const IndexShape::Key &x = a.keys[i], &y = b.keys[i];
    if (x.column != y.column || x.descending != y.descending || x.collation != y.collation || x.opclass != y.opclass)
      return false;
  }
  if (a.unique && !(b.unique && a.keys.size() == b.keys.size())) return false;
  // Two identical CREATE INDEXes: the later one is the redundant one.
  if (a.keys.size() == b.keys.size() && a.unique == b.unique && b.origin == IndexShape::Origin::kIndex &&
      b.created > a.created)
    return false;
  return true;
}

std::string DisplayColumns(const IndexShape& i) { return fmt::format("({})", fmt::join(i.display_columns, ", ")); }

}  // namespace

std::vector<RedundantIndex> FindRedundantIndexes(const std::string& table, const std::vector<IndexShape>& indexes,
                                                 const std::function<std::string(const IndexShape&)>& drop_sql) {
  std::set<std::string> redundant;
  for (const IndexShape& a : indexes) {
    if (!Droppable(a)) continue;
    for (const IndexShape& b : indexes)
      if (&a != &b && CoveredBy(a, b)) redundant.insert(a.name);
  }
  std::vector<RedundantIndex> out;
  for (const IndexShape& a : indexes) {
    if (!Droppable(a) || !redundant.count(a.name)) continue;
    // The best cover: one that stays, the same columns before a longer
    // index, a constraint's index before a CREATE INDEX, then the oldest.
    const IndexShape* best = nullptr;
    const auto rank = [&](const IndexShape& b) {
      return std::make_tuple(redundant.count(b.name) ? 1 : 0, b.keys.size() == a.keys.size() ? 0 : 1,
                             b.origin == IndexShape::Origin::kIndex ? 1 : 0, b.created);
    };
    for (const IndexShape& b : indexes)
      if (&a != &b && CoveredBy(a, b) && (!best || rank(b) < rank(*best))) best = &b;
    out.push_back({table, a.name, DisplayColumns(a), best->name, DisplayColumns(*best), OriginName(*best),
                   best->keys.size() == a.keys.size(), drop_sql(a)});
  }
  return out;
}

bool ExplainReport::failed() const {
  return std::any_of(queries.begin(), queries.end(), [](const QueryPlan& q) { return !q.ok(); });
}

}  // namespace strata
