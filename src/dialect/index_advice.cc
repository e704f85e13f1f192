#include "dialect/index_advice.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"

namespace strata {

std::vector<IndexAdvice> AdviceOf(const ExplainReport& report, bool include_unverified) {
  std::vector<IndexAdvice> advice;
  for (const MissingIndex& m : report.missing) {
    IndexAdvice a{IndexAdvice::Kind::kAdd, m.name, m.table, m.columns, "", fmt::format("{}", fmt::join(m.reasons, "; ")), ""};
    if (m.columns.empty() || m.create_sql.empty())
      a.skipped = "no single index on the table removes the scan";
    else if (!m.verified && !include_unverified)
      a.skipped = "not verified: explain could not check that it serves (pass --include-unverified to write it)";
    advice.push_back(std::move(a));
  }
  for (const RedundantIndex& r : report.redundant)
    advice.push_back({IndexAdvice::Kind::kDrop, r.index, r.table, {},
                      r.covered_by_origin == "index" ? r.covered_by : "",
                      fmt::format("{} {} {} {}", r.same ? "the same as" : "a left prefix of", r.covered_by_origin,
                                  r.covered_by, r.covered_by_columns),
                      ""});
  return advice;
}

Result<std::vector<IndexAdvice>> OnlyAdviceFor(std::vector<IndexAdvice> advice, const std::vector<std::string>& names,
                                               const std::string& tag) {
  std::set<std::string> known;
  for (const IndexAdvice& a : advice)
    for (const std::string& name : {a.name, a.table})
      if (!name.empty()) known.insert(name);
  for (const std::string& name : names)
    if (!known.contains(name))
      return Status::InvalidInput(fmt::format(
          "\"{}\" names no suggestion of tag \"{}\"; the suggested indexes and their tables are {}",
          EscapedForMessage(name), tag, known.empty() ? "none" : JoinQuoted({known.begin(), known.end()})));
  const auto named = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
  std::erase_if(advice, [&](const IndexAdvice& a) { return !named(a.name) && !named(a.table); });
  return advice;
}

}  // namespace strata
