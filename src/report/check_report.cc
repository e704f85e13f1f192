#include "report/check_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/json.h"
#include "report/junit.h"

namespace strata::report {

int CheckReport::failed() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const CheckResult& r) { return !r.passed(); }));
}

std::string CheckText(const CheckReport& report) {
  std::string out;
  for (const CheckResult& r : report.results) {
    const std::string state = !r.error.empty() ? "ERROR " + r.error
                              : r.passed()     ? "ok"
                                               : fmt::format("FAILED {} row(s); sample keys: {}", r.offending_rows,
                                                             fmt::join(r.samples, ", "));
    out += fmt::format("{:<60} {}\n", r.check.name, state);
    if (!r.check.child_indexed)
      out += fmt::format("  note: no index leads with the child columns of {}; every check and every parent delete "
                         "scans \"{}\"\n", r.check.name, r.check.table);
  }
  out += fmt::format("{}: {} check(s) at tag \"{}\", {} failed\n", report.database, report.results.size(), report.tag,
                     report.failed());
  return out;
}

std::string CheckJson(const CheckReport& report) {
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(report.failed() == 0).Key("tag").String(report.tag).Key("failed").Int(report.failed());
  json.Key("checks").BeginArray();
  for (const CheckResult& r : report.results) {
    json.BeginObject().Key("name").String(r.check.name).Key("table").String(r.check.table);
    json.Key("kind").String(KindName(r.check.kind));
    json.Key("passed").Bool(r.passed()).Key("offending_rows").Int(r.offending_rows);
    json.Key("samples").BeginArray();
    for (const std::string& s : r.samples) json.String(s);
    json.EndArray().Key("error").String(r.error);
    json.Key("child_indexed").Bool(r.check.child_indexed).EndObject();
  }
  json.EndArray().EndObject();
  return json.str() + "\n";
}

std::string CheckJunit(const CheckReport& report) {
  std::vector<JUnitCase> cases;
  for (const CheckResult& r : report.results) {
    JUnitCase c{r.check.name, "strata.check." + r.check.table, {}, r.error};
    if (r.offending_rows > 0)
      c.failures.push_back(fmt::format("{} offending row(s): {}; sample keys: {}", r.offending_rows,
                                       r.check.description, fmt::join(r.samples, ", ")));
    cases.push_back(std::move(c));
  }
  return JUnitXml("strata check", cases);
}

}  // namespace strata::report
