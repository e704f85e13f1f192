#include "dialect/index_plan.h"

#include <algorithm>

#include <fmt/format.h>

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
  std::vector<std::string> parts;
  for (const PlanStep& s : steps) {
    if (s.kind == PlanStep::Kind::kTempBTree) {
      parts.push_back("temp b-tree for " + s.temp_for);
    } else if (!s.table.empty() && s.kind != PlanStep::Kind::kOther) {
      std::string text = fmt::format("{} {}", PlanStepKindName(s.kind), s.table);
      if (!s.index.empty()) text += " via " + s.index;
      parts.push_back(std::move(text));
    }
  }
  if (parts.empty()) return "no table read";
  return fmt::format("{}", fmt::join(parts, "; "));
}

bool ExplainReport::failed() const {
  return std::any_of(queries.begin(), queries.end(), [](const QueryPlan& q) { return !q.ok(); });
}

}  // namespace strata
