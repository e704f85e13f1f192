#include "report/drift_report.h"

#include <map>

#include <fmt/format.h>

#include "base/json.h"
#include "report/junit.h"

namespace strata::report {

std::string DriftText(const DriftReport& report) {
  std::string out;
  for (const DriftItem& d : report.items) out += fmt::format("{}: {}\n", d.table, d.finding);
  out += fmt::format("{}: {} at tag \"{}\"\n", report.database,
                     report.items.empty() ? std::string("no drift") : fmt::format("{} difference(s)", report.items.size()),
                     report.tag);
  return out;
}

std::string DriftJson(const DriftReport& report) {
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(report.items.empty()).Key("tag").String(report.tag).Key("drift").BeginArray();
  for (const DriftItem& d : report.items)
    json.BeginObject().Key("table").String(d.table).Key("finding").String(d.finding).EndObject();
  json.EndArray().EndObject();
  return json.str() + "\n";
}

std::string DriftJunit(const DriftReport& report) {
  std::map<std::string, JUnitCase> by_table;
  for (const std::string& t : report.expected_tables) by_table[t] = {t, "strata.drift", {}, {}};
  for (const DriftItem& d : report.items) {
    JUnitCase& c = by_table[d.table];
    c.name = d.table;
    c.classname = "strata.drift";
    c.failures.push_back(d.finding);
  }
  std::vector<JUnitCase> cases;
  for (auto& [name, c] : by_table) cases.push_back(std::move(c));
  return JUnitXml("strata drift", cases);
}

}  // namespace strata::report
