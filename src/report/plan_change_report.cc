#include "report/plan_change_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/json.h"
#include "report/junit.h"

namespace strata::report {

namespace {

std::string_view Verdict(const PlanChange& c) {
  if (c.regressed()) return c.large ? "REGRESSED" : "worse";
  if (c.before.empty()) return "new";
  if (!c.better.empty()) return "better";
  return "same";
}

}  // namespace

std::string PlanChangeText(const PlanChangeReport& report) {
  std::string out = fmt::format("index plans from {} to tag \"{}\" (both created empty, so neither has statistics):\n",
                                report.base, report.tag);
  int regressed = 0, worse = 0;
  for (const PlanChange& c : report.changes) {
    out += fmt::format("  {:<9} {}: {}\n", Verdict(c), c.query, c.after);
    if (!c.before.empty() && c.before != c.after) out += fmt::format("            was: {}\n", c.before);
    for (const std::string& w : c.worse) out += fmt::format("            - {}\n", w);
    for (const std::string& b : c.better) out += fmt::format("            + {}\n", b);
    if (c.regressed()) ++(c.large ? regressed : worse);
  }
  out += fmt::format("{} query plan(s) compared: {} regressed on a large table, {} worse elsewhere\n",
                     report.changes.size(), regressed, worse);
  return out;
}

std::string PlanChangeJson(const PlanChangeReport& report) {
  JsonWriter w;
  w.BeginObject().Key("ok").Bool(!AnyLargeRegression(report.changes)).Key("base").String(report.base);
  w.Key("tag").String(report.tag).Key("queries").BeginArray();
  for (const PlanChange& c : report.changes) {
    w.BeginObject().Key("name").String(c.query).Key("verdict").String(Verdict(c));
    w.Key("before").String(c.before).Key("after").String(c.after).Key("large").Bool(c.large);
    w.Key("worse").BeginArray();
    for (const std::string& s : c.worse) w.String(s);
    w.EndArray().Key("better").BeginArray();
    for (const std::string& s : c.better) w.String(s);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

std::string PlanChangeJunit(const PlanChangeReport& report) {
  std::vector<JUnitCase> cases;
  for (const PlanChange& c : report.changes) {
    JUnitCase j{c.query, "strata.explain", {}, {}};
    // Only a regression that fails the command fails the case.
    if (c.regressed() && c.large)
      j.failures.push_back(fmt::format("{} (was: {})", fmt::join(c.worse, "; "), c.before));
    cases.push_back(std::move(j));
  }
  return JUnitXml("strata explain --base", cases);
}

}  // namespace strata::report
