// Candidate indexes for a table a declared query scans, guessed from the
// columns its WHERE, ON and ORDER BY name; SQLite then tries each one in
// the sandbox (explain_sandbox.h) before any is suggested.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sqlite/live_indexes.h"
#include "sqlite/sql_lexer.h"

namespace strata::sqlite {

struct Terms {
  std::vector<std::string> equality;  // compared with a value, in order of appearance
  std::vector<std::string> join;      // compared with another table's column
  std::vector<std::string> range;
  std::vector<std::string> order_by;  // empty unless every ORDER BY term is a column of the table
};

// The columns of `table` the query `tokens` compares or sorts by;
// `aliases` (AliasMap) and `infos` (every table the query may read) tell
// whose column an unqualified name is.
Terms TermsFor(const std::vector<SqlToken>& tokens, const TableInfo& table,
               const std::map<std::string, std::string>& aliases, const std::map<std::string, TableInfo>& infos);

// Column lists to try, the most selective first.
std::vector<std::vector<std::string>> Candidates(const Terms& t);

// "idx_<table>_<columns>", numbered past the names in `taken` (lower case).
std::string IndexName(const TableInfo& table, const std::vector<std::string>& columns, const std::set<std::string>& taken);

std::string CreateIndexStatement(const std::string& name, const std::string& table, const std::vector<std::string>& columns);

}  // namespace strata::sqlite
