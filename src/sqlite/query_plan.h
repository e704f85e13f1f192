// EXPLAIN QUERY PLAN, read into classified steps (dialect/index_plan.h):
// which table each row reads, and how (a scan, a search, an index walk).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dialect/index_plan.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// EXPLAIN QUERY PLAN of one statement, classified. `tables` are the names
// a plan row may refer to; aliases in `sql` are resolved to them.
Result<std::vector<PlanStep>> ExplainQueryPlan(Database& db, const std::string& sql,
                                               const std::vector<std::string>& tables);

// The tables `steps` read in full: a scan, an automatic index (built from
// a scan on every run), or an index walked end to end when the query has
// no LIMIT (`limited`) to stop it.
std::vector<std::string> TablesReadWhole(const std::vector<PlanStep>& steps, bool limited);

// The word after `word` in `text` ("" when `word` is absent).
std::string AfterWord(const std::string& text, std::string_view word);

}  // namespace strata::sqlite
