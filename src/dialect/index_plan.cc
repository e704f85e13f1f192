#include "dialect/index_plan.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"

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

// How much of a table an access reads: a key or covering lookup, a lookup
// and the row, an index walked whole, or every row.
int AccessCost(PlanStep::Kind kind) {
  switch (kind) {
    case PlanStep::Kind::kKeySearch:
    case PlanStep::Kind::kCoveringSearch: return 0;
    case PlanStep::Kind::kSearch: return 1;
    case PlanStep::Kind::kIndexScan: return 2;
    case PlanStep::Kind::kAutomaticIndex: return 3;
    default: return 4;
  }
}

bool IsTableAccess(const PlanStep& s) {
  return !s.table.empty() && s.kind != PlanStep::Kind::kTempBTree && s.kind != PlanStep::Kind::kOther;
}

std::string Access(const PlanStep& s) {
  std::string text(PlanStepKindName(s.kind));
  if (!s.index.empty()) text += " via " + s.index;
  return text;
}

}  // namespace

std::vector<PlanChange> ComparePlans(const ExplainReport& before, const ExplainReport& after, const Schema& schema) {
  std::vector<PlanChange> out;
  for (const QueryPlan& now : after.queries) {
    PlanChange c{.query = now.name, .after = now.Classification()};
    const auto old = std::find_if(before.queries.begin(), before.queries.end(),
                                  [&](const QueryPlan& q) { return q.name == now.name && q.error.empty(); });
    for (const PlanStep& s : now.steps)
      if (const Table* t = IsTableAccess(s) ? schema.FindTable(s.table) : nullptr; t && t->large) c.large = true;
    if (old == before.queries.end()) {
      if (!now.error.empty()) c.worse.push_back("does not run: " + now.error);
      out.push_back(std::move(c));
      continue;
    }
    c.before = old->Classification();
    if (!now.error.empty()) {
      c.worse.push_back("no longer runs: " + now.error);
      c.large = true;  // whatever it reads, it is gone
      out.push_back(std::move(c));
      continue;
    }
    // Each table's first access, before and after.
    for (const PlanStep& s : now.steps) {
      if (!IsTableAccess(s)) continue;
      const auto was = std::find_if(old->steps.begin(), old->steps.end(),
                                    [&](const PlanStep& o) { return IsTableAccess(o) && o.table == s.table; });
      if (was == old->steps.end()) continue;
      const int from = AccessCost(was->kind), to = AccessCost(s.kind);
      const std::string change = fmt::format("{}: {} became {}", s.table, Access(*was), Access(s));
      if (to > from) c.worse.push_back(change);
      if (to < from) c.better.push_back(change);
    }
    // Sorts: one the plan did not need before is new work on every run.
    std::multiset<std::string> sorts_before, sorts_after;
    for (const PlanStep& s : old->steps)
      if (s.kind == PlanStep::Kind::kTempBTree) sorts_before.insert(s.temp_for);
    for (const PlanStep& s : now.steps)
      if (s.kind == PlanStep::Kind::kTempBTree) sorts_after.insert(s.temp_for);
    // A new sort where an access got better is the price of it: a search
    // that sorts what it finds, instead of walking a whole index in order.
    const bool access_improved = !c.better.empty();
    for (auto f = sorts_after.begin(); f != sorts_after.end(); f = sorts_after.upper_bound(*f))
      if (!sorts_before.contains(*f))
        (access_improved ? c.better : c.worse)
            .push_back(access_improved ? "temp b-tree for " + *f + " sorts what the search finds" : "new temp b-tree for " + *f);
    for (auto f = sorts_before.begin(); f != sorts_before.end(); f = sorts_before.upper_bound(*f))
      if (!sorts_after.contains(*f)) c.better.push_back("no temp b-tree for " + *f + " any more");
    out.push_back(std::move(c));
  }
  return out;
}

namespace {

constexpr size_t kMaxIdentifierBytes = 63;

// The first `bytes` bytes of `name`, never cutting a UTF-8 character.
std::string Clipped(std::string name, size_t bytes) {
  if (name.size() <= bytes) return name;
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

}  // namespace

std::string SuggestedIndexName(const std::string& table, const std::vector<std::string>& columns,
                               const std::set<std::string>& taken) {
  std::string base = "idx_" + table;
  for (const std::string& c : columns) base += "_" + c;
  std::string name = Clipped(base, kMaxIdentifierBytes);
  for (int n = 2; taken.contains(AsciiLower(name)); ++n) {
    const std::string suffix = "_" + std::to_string(n);
    name = Clipped(base, kMaxIdentifierBytes - suffix.size()) + suffix;
  }
  return name;
}

std::vector<std::vector<std::string>> CandidateIndexKeys(const QueryTerms& t) {
  std::vector<std::vector<std::string>> out;
  const auto add = [&](std::vector<std::string> cols) {
    if (!cols.empty() && std::find(out.begin(), out.end(), cols) == out.end()) out.push_back(std::move(cols));
  };
  const auto plus = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    for (const std::string& c : b)
      if (std::find(a.begin(), a.end(), c) == a.end()) a.push_back(c);
    return a;
  };
  const std::vector<std::string> tail = !t.range.empty() ? std::vector<std::string>{t.range[0]} : t.order_by;
  add(plus(t.equality, tail));
  add(plus(plus(t.equality, t.join), tail));
  add(t.equality);
  add(plus(t.equality, t.join));
  add(t.join);
  for (const std::string& c : t.equality) add({c});
  for (const std::string& c : t.join) add({c});
  for (const std::string& c : t.range) add({c});
  add(t.order_by);
  return out;
}

bool AnyLargeRegression(const std::vector<PlanChange>& changes) {
  return std::any_of(changes.begin(), changes.end(), [](const PlanChange& c) { return c.regressed() && c.large; });
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
