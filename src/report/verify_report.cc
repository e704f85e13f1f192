#include "report/verify_report.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/json.h"
#include "report/junit.h"

namespace strata::report {

namespace {

int Count(const VerifyReport& report, VerifyStep::State state) {
  return static_cast<int>(std::count_if(report.steps.begin(), report.steps.end(),
                                        [&](const VerifyStep& s) { return s.state == state; }));
}

std::string Migrations(const VerifyReport& report) {
  if (report.pending.empty()) return "nothing pending";
  return fmt::format("{} pending migration(s) from tag \"{}\" to \"{}\"", report.pending.size(),
                     report.from_tag.empty() ? "(none)" : report.from_tag, report.to_tag);
}

}  // namespace

std::string VerifyText(const std::string& database, const VerifyReport& report) {
  std::string out = fmt::format("{}: {}\n", database, Migrations(report));
  for (const VerifyStep& s : report.steps) {
    const std::string state = s.state == VerifyStep::State::kPassed   ? "ok"
                              : s.state == VerifyStep::State::kFailed ? "FAILED"
                                                                      : "skipped";
    out += fmt::format("{:<16} {:<70} {}\n", s.name, s.summary, state);
    for (const std::string& f : s.findings) out += fmt::format("  {}\n", f);
    for (const std::string& n : s.notes) out += fmt::format("  {}\n", n);
  }
  const int failed = Count(report, VerifyStep::State::kFailed);
  const int skipped = Count(report, VerifyStep::State::kSkipped);
  if (failed)
    out += fmt::format("{}: verify FAILED: {} of {} step(s) failed, {} skipped\n", database, failed,
                       report.steps.size(), skipped);
  else
    out += fmt::format("{}: {} step(s) passed, {} skipped: ok\n", database, report.steps.size() - skipped, skipped);
  return out;
}

std::string VerifyJson(const std::string& database, const VerifyReport& report) {
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(report.passed()).Key("database").String(database);
  json.Key("from_tag").String(report.from_tag).Key("to_tag").String(report.to_tag);
  json.Key("pending").BeginArray();
  for (const std::string& p : report.pending) json.String(p);
  json.EndArray().Key("steps").BeginArray();
  for (const VerifyStep& s : report.steps) {
    json.BeginObject().Key("name").String(s.name).Key("state").String(StateName(s.state));
    json.Key("summary").String(s.summary).Key("findings").BeginArray();
    for (const std::string& f : s.findings) json.String(f);
    json.EndArray().Key("notes").BeginArray();
    for (const std::string& n : s.notes) json.String(n);
    json.EndArray().EndObject();
  }
  json.EndArray().EndObject();
  return json.str() + "\n";
}

std::string VerifyJunit(const VerifyReport& report) {
  std::vector<JUnitCase> cases;
  for (const VerifyStep& s : report.steps) {
    JUnitCase c{s.name, "strata.verify", {}, {}, {}};
    if (s.state == VerifyStep::State::kFailed) {
      c.failures.push_back(s.summary);
      c.failures.insert(c.failures.end(), s.findings.begin(), s.findings.end());
    }
    if (s.state == VerifyStep::State::kSkipped) c.skipped = s.summary;
    cases.push_back(std::move(c));
  }
  return JUnitXml("strata verify", cases);
}

}  // namespace strata::report
