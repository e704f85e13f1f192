#include "sqlite/query_plan.h"

#include <algorithm>

#include "base/strings.h"
#include "sqlite/query_text.h"

namespace strata::sqlite {

std::string AfterWord(const std::string& text, std::string_view word) {
  size_t at = text.find(word);
  if (at == std::string::npos) return {};
  std::string rest = text.substr(at + word.size());
  return rest.substr(0, rest.find(' '));
}

namespace {

PlanStep ClassifyRow(int id, int parent, std::string detail, const std::map<std::string, std::string>& aliases) {
  PlanStep step;
  step.id = id;
  step.parent = parent;
  step.detail = std::move(detail);
  const std::string& d = step.detail;
  const auto resolve = [&](size_t from) {
    std::string name = d.substr(from, d.find(' ', from) - from);
    auto it = aliases.find(AsciiLower(name));
    return it == aliases.end() ? std::string() : it->second;
  };
  if (d.starts_with("USE TEMP B-TREE FOR ")) {
    step.kind = PlanStep::Kind::kTempBTree;
    step.temp_for = d.substr(20);
  } else if (d.starts_with("SCAN ")) {
    step.table = resolve(5);
    if (step.table.empty() || d.find(" VIRTUAL TABLE ") != std::string::npos) {
      step.kind = PlanStep::Kind::kOther;
    } else if (d.find(" USING COVERING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kIndexScan;
      step.index = AfterWord(d, " USING COVERING INDEX ");
    } else if (d.find(" USING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kIndexScan;
      step.index = AfterWord(d, " USING INDEX ");
    } else {
      step.kind = PlanStep::Kind::kScan;
    }
  } else if (d.starts_with("SEARCH ")) {
    step.table = resolve(7);
    if (step.table.empty()) {
      step.kind = PlanStep::Kind::kOther;
    } else if (d.find(" USING AUTOMATIC ") != std::string::npos) {
      step.kind = PlanStep::Kind::kAutomaticIndex;
    } else if (d.find(" USING COVERING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kCoveringSearch;
      step.index = AfterWord(d, " USING COVERING INDEX ");
    } else if (d.find(" USING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kSearch;
      step.index = AfterWord(d, " USING INDEX ");
    } else if (d.find(" USING INTEGER PRIMARY KEY ") != std::string::npos) {
      step.kind = PlanStep::Kind::kKeySearch;
      step.index = "INTEGER PRIMARY KEY";
    } else if (d.find(" USING PRIMARY KEY ") != std::string::npos) {
      step.kind = PlanStep::Kind::kKeySearch;
      step.index = "PRIMARY KEY";
    } else {
      step.kind = PlanStep::Kind::kOther;
    }
  }
  return step;
}

// Steps that read every row of their table: a scan, an automatic index
// (built from a scan on every run), or an index walked end to end with no
// LIMIT to stop it.
bool ReadsWholeTable(const PlanStep& s, bool limited) {
  return s.kind == PlanStep::Kind::kScan || s.kind == PlanStep::Kind::kAutomaticIndex ||
         (s.kind == PlanStep::Kind::kIndexScan && !limited);
}

}  // namespace

std::vector<std::string> TablesReadWhole(const std::vector<PlanStep>& steps, bool limited) {
  std::vector<std::string> out;
  for (const PlanStep& s : steps)
    if (!s.table.empty() && ReadsWholeTable(s, limited) && std::find(out.begin(), out.end(), s.table) == out.end())
      out.push_back(s.table);
  return out;
}

Result<std::vector<PlanStep>> ExplainQueryPlan(Database& db, const std::string& sql, const std::vector<std::string>& tables) {
  const std::string statement = TrimStatement(sql);
  const std::map<std::string, std::string> aliases = AliasMap(TokenizeSql(statement), tables);
  Result<Statement> stmt = db.Prepare("EXPLAIN QUERY PLAN " + statement);
  if (!stmt.ok()) return stmt.status();
  std::vector<PlanStep> steps;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    steps.push_back(ClassifyRow(static_cast<int>(stmt->Int(0)), static_cast<int>(stmt->Int(1)), stmt->Text(3), aliases));
  }
  return steps;
}

}  // namespace strata::sqlite
