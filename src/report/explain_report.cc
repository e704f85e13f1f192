#include "report/explain_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/json.h"

namespace strata::report {

namespace {

int Depth(const std::vector<PlanStep>& steps, const PlanStep& s) {
  int depth = 0;
  int parent = s.parent;
  while (parent != 0 && depth < 64) {
    auto it = std::find_if(steps.begin(), steps.end(), [&](const PlanStep& p) { return p.id == parent; });
    if (it == steps.end()) break;
    parent = it->parent;
    ++depth;
  }
  return depth;
}

std::string MissingHeadline(const MissingIndex& m) {
  return fmt::format("{}{}: {}", m.table, m.large ? " (large)" : "", fmt::join(m.reasons, "; "));
}

}  // namespace

std::string ExplainText(const ExplainReport& report) {
  std::string out;
  // Notes first: they say how far the plans below can be trusted.
  for (const std::string& note : report.notes) out += fmt::format("note: {}\n", note);
  if (!report.notes.empty()) out += "\n";
  int failing = 0;
  for (const QueryPlan& q : report.queries) {
    failing += !q.ok();
    out += fmt::format("query {}: {}\n", q.name, q.Classification());
    out += fmt::format("  sql: {}\n", q.sql);
    if (!q.error.empty()) out += fmt::format("  ERROR: {}\n", q.error);
    for (const PlanStep& s : q.steps) out += fmt::format("  {}{}\n", std::string(2 * Depth(q.steps, s), ' '), s.detail);
    for (const std::string& t : q.large_tables_scanned)
      out += fmt::format("  FAIL: reads every row of the large table {}\n", t);
    out += "\n";
  }
  out += fmt::format("missing indexes ({}):\n", report.missing.size());
  if (report.missing.empty()) out += "  none\n";
  for (const MissingIndex& m : report.missing) {
    out += "  " + MissingHeadline(m) + "\n";
    if (m.create_sql.empty()) {
      out += "    no single index on this table removes the scan\n";
    } else {
      const bool say_how = m.verified && !report.verification.empty();
      out += fmt::format("    {}{}{}\n", m.create_sql, say_how ? "  -- " : "", say_how ? report.verification : "");
    }
  }
  out += fmt::format("redundant indexes ({}):\n", report.redundant.size());
  if (report.redundant.empty()) out += "  none\n";
  for (const RedundantIndex& r : report.redundant) {
    out += fmt::format("  {} ON {} {}: {} {} {} {}\n", r.index, r.table, r.index_columns,
                       r.same ? "the same as" : "a left prefix of", r.covered_by_origin, r.covered_by,
                       r.covered_by_columns);
    out += fmt::format("    {}\n", r.drop_sql);
  }
  out += fmt::format("{} quer{}, {} reading a large table in full or failing; {} missing, {} redundant index(es)\n",
                     report.queries.size(), report.queries.size() == 1 ? "y" : "ies", failing, report.missing.size(),
                     report.redundant.size());
  return out;
}

std::string ExplainJson(const ExplainReport& report, std::string_view tag) {
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(!report.failed()).Key("tag").String(tag);
  if (!report.notes.empty()) {
    json.Key("notes").BeginArray();
    for (const std::string& note : report.notes) json.String(note);
    json.EndArray();
  }
  json.Key("queries").BeginArray();
  for (const QueryPlan& q : report.queries) {
    json.BeginObject().Key("name").String(q.name).Key("sql").String(q.sql);
    json.Key("classification").String(q.Classification()).Key("ok").Bool(q.ok()).Key("error").String(q.error);
    json.Key("large_tables_scanned").BeginArray();
    for (const std::string& t : q.large_tables_scanned) json.String(t);
    json.EndArray().Key("plan").BeginArray();
    for (const PlanStep& s : q.steps) {
      json.BeginObject().Key("id").Int(s.id).Key("parent").Int(s.parent).Key("detail").String(s.detail);
      json.Key("kind").String(PlanStepKindName(s.kind)).Key("table").String(s.table).Key("index").String(s.index);
      json.Key("temp_b_tree_for").String(s.temp_for).EndObject();
    }
    json.EndArray().EndObject();
  }
  json.EndArray().Key("missing_indexes").BeginArray();
  for (const MissingIndex& m : report.missing) {
    json.BeginObject().Key("table").String(m.table).Key("large").Bool(m.large).Key("query_scan").Bool(m.query_scan);
    json.Key("reasons").BeginArray();
    for (const std::string& r : m.reasons) json.String(r);
    json.EndArray().Key("columns").BeginArray();
    for (const std::string& c : m.columns) json.String(c);
    json.EndArray().Key("sql").String(m.create_sql).Key("verified").Bool(m.verified).EndObject();
  }
  json.EndArray().Key("redundant_indexes").BeginArray();
  for (const RedundantIndex& r : report.redundant) {
    json.BeginObject().Key("table").String(r.table).Key("index").String(r.index).Key("columns").String(r.index_columns);
    json.Key("covered_by").String(r.covered_by).Key("covered_by_columns").String(r.covered_by_columns);
    json.Key("covered_by_origin").String(r.covered_by_origin).Key("same").Bool(r.same).Key("sql").String(r.drop_sql);
    json.EndObject();
  }
  json.EndArray().EndObject();
  return json.str();
}

}  // namespace strata::report
