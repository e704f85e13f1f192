// Candidate indexes for a table a declared query scans, guessed from the
// columns its WHERE, ON and ORDER BY name; SQLite then tries each one in
// the sandbox (explain_sandbox.h) before any is suggested.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dialect/index_plan.h"
#include "sqlite/live_indexes.h"
#include "sqlite/sql_lexer.h"

namespace strata::sqlite {

// The columns of `table` the query `tokens` compares or sorts by;
// `aliases` (AliasMap) and `infos` (every table the query may read) tell
// whose column an unqualified name is.
QueryTerms TermsFor(const std::vector<SqlToken>& tokens, const TableInfo& table,
                    const std::map<std::string, std::string>& aliases, const std::map<std::string, TableInfo>& infos);


std::string CreateIndexStatement(const std::string& name, const std::string& table, const std::vector<std::string>& columns);

}  // namespace strata::sqlite
