#include "sqlite/explain.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "sqlite/explain_sandbox.h"
#include "sqlite/index_candidates.h"
#include "sqlite/inspect.h"
#include "sqlite/live_indexes.h"
#include "sqlite/query_plan.h"
#include "sqlite/query_text.h"
#include "sqlite/redundant_indexes.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

using Token = SqlToken;

Result<std::vector<std::string>> Column0(Database& db, const std::string& sql, const std::string& bind = {}) {
  Result<Statement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!bind.empty())
    if (Status s = stmt->Bind(1, bind); !s.ok()) return s;
  std::vector<std::string> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(stmt->Text(0));
  }
  return out;
}

std::string ColumnsText(const std::vector<std::string>& columns) {
  return "(" + fmt::format("{}", fmt::join(columns, ", ")) + ")";
}

}  // namespace

Result<ExplainReport> Explain(Database& db, const Schema& schema) {
  ExplainReport report;
  report.verification = "checked with SQLite on a copy of the schema";
  // Live tables the schema declares; strata's history and ignored tables
  // are not the schema's business.
  Result<std::vector<std::string>> live = Column0(
      db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
  if (!live.ok()) return live.status();
  const std::vector<std::string>& tables = *live;
  Result<std::map<std::string, IndexText>> index_texts = ReadIndexTexts(db);
  if (!index_texts.ok()) return index_texts.status();
  std::map<std::string, TableInfo> infos;
  std::set<std::string> taken_names;
  for (const std::string& name : tables) {
    Result<TableInfo> info = ReadTable(db, name, *index_texts);
    if (!info.ok()) return info.status();
    for (const IndexInfo& i : info->indexes) taken_names.insert(AsciiLower(i.name));
    infos.emplace(name, std::move(info.value()));
  }
  const auto is_large = [&](const std::string& table) {
    const Table* t = schema.FindTable(table);
    return t && t->large;
  };

  std::optional<Sandbox> sandbox;
  std::string sandbox_error;
  const auto get_sandbox = [&]() -> Sandbox* {
    if (!sandbox && sandbox_error.empty()) {
      Result<Sandbox> s = Sandbox::Create(db);
      if (s.ok()) {
        sandbox.emplace(std::move(s.value()));
      } else {
        sandbox_error = s.status().message();
      }
    }
    return sandbox ? &*sandbox : nullptr;
  };

  // An index already suggested for the table may serve this case too:
  // SQLite decides, and then one index is suggested for both.
  const auto merge_into_earlier = [&](const std::string& table, const std::string& sql,
                                      const std::function<bool(const std::vector<PlanStep>&)>& fixed,
                                      const std::string& reason, bool query_scan) {
    Sandbox* box = get_sandbox();
    if (!box) return false;
    for (MissingIndex& earlier : report.missing) {
      if (earlier.table != table || earlier.create_sql.empty() || !earlier.verified) continue;
      Result<std::vector<PlanStep>> after = box->PlanWith(earlier.create_sql, sql, tables);
      if (!after.ok() || !fixed(*after)) continue;
      earlier.reasons.push_back(reason);
      earlier.query_scan = earlier.query_scan || query_scan;
      return true;
    }
    return false;
  };
  const auto add_missing = [&](MissingIndex m) {
    if (!m.name.empty()) taken_names.insert(AsciiLower(m.name));
    report.missing.push_back(std::move(m));
  };

  for (const Query& q : schema.queries) {
    QueryPlan plan{q.name, TrimStatement(q.sql), {}, {}, {}};
    Result<std::vector<PlanStep>> steps = ExplainQueryPlan(db, plan.sql, tables);
    if (!steps.ok()) {
      plan.error = steps.status().message();
      report.queries.push_back(std::move(plan));
      continue;
    }
    plan.steps = std::move(steps.value());
    const std::vector<Token> tokens = TokenizeSql(plan.sql);
    const bool limited = HasTopLevelLimit(tokens);
    for (const std::string& t : TablesReadWhole(plan.steps, limited))
      if (is_large(t)) plan.large_tables_scanned.push_back(t);

    for (const std::string& t : plan.large_tables_scanned) {
      const std::string reason = fmt::format("query {} reads every row", q.name);
      const auto fixed = [&](const std::vector<PlanStep>& after) {
        const std::vector<std::string> still = TablesReadWhole(after, limited);
        return std::find(still.begin(), still.end(), t) == still.end();
      };
      if (merge_into_earlier(t, plan.sql, fixed, reason, true)) continue;
      MissingIndex m{t, true, {reason}, true, {}, {}, false};
      const TableInfo& info = infos.at(t);
      const QueryTerms terms = TermsFor(tokens, info, AliasMap(tokens, tables), infos);
      if (Sandbox* box = get_sandbox()) {
        for (const std::vector<std::string>& columns : CandidateIndexKeys(terms)) {
          const std::string index = SuggestedIndexName(info.name, columns, taken_names);
          const std::string create = CreateIndexStatement(index, t, columns);
          Result<std::vector<PlanStep>> after = box->PlanWith(create, plan.sql, tables);
          if (!after.ok() || !fixed(*after)) continue;
          m.columns = columns;
          m.name = index;
          m.create_sql = create;
          m.verified = true;
          break;
        }
      }
      add_missing(std::move(m));
    }
    report.queries.push_back(std::move(plan));
  }

  // Foreign keys: deleting or re-keying a parent row looks the child rows up
  // by the child columns. Ask SQLite how it would do that lookup.
  for (const std::string& name : tables) {
    if (!schema.FindTable(name)) continue;
    const TableInfo& info = infos.at(name);
    for (const ForeignKey& fk : info.foreign_keys) {
      std::string where;
      for (const std::string& c : fk.columns) where += (where.empty() ? "" : " AND ") + QuoteIdentifier(c) + " = ?";
      const std::string lookup = fmt::format("SELECT 1 FROM {} WHERE {}", QuoteIdentifier(name), where);
      const auto searched = [&](const std::vector<PlanStep>& steps) {
        return std::any_of(steps.begin(), steps.end(), [&](const PlanStep& s) {
          return s.table == name && (s.kind == PlanStep::Kind::kSearch || s.kind == PlanStep::Kind::kCoveringSearch ||
                                     s.kind == PlanStep::Kind::kKeySearch);
        });
      };
      Result<std::vector<PlanStep>> steps = ExplainQueryPlan(db, lookup, tables);
      if (!steps.ok()) return steps.status();
      if (searched(*steps)) continue;
      const std::string reason = fmt::format("foreign key {} -> {}{} has no index", ColumnsText(fk.columns), fk.ref_table,
                                             fk.ref_columns.empty() ? "" : ColumnsText(fk.ref_columns));
      if (merge_into_earlier(name, lookup, searched, reason, false)) continue;
      MissingIndex m{name, is_large(name), {reason}, false, fk.columns, {}, false};
      m.name = SuggestedIndexName(info.name, fk.columns, taken_names);
      m.create_sql = CreateIndexStatement(m.name, name, fk.columns);
      if (Sandbox* box = get_sandbox()) {
        Result<std::vector<PlanStep>> after = box->PlanWith(m.create_sql, lookup, tables);
        m.verified = after.ok() && searched(*after);
      }
      add_missing(std::move(m));
    }
  }

  for (const std::string& name : tables)
    if (schema.FindTable(name))
      for (RedundantIndex& r : FindRedundant(infos.at(name))) report.redundant.push_back(std::move(r));
  return report;
}

}  // namespace strata::sqlite
