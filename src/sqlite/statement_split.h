// Splitting a migration file into its statements, each with the line it
// starts on (for errors that name the file and line).
#pragma once

#include <string>
#include <vector>

namespace strata::sqlite {

// Splits a script into complete statements (sqlite3_complete decides where
// one ends, so trigger bodies stay whole), each with its first line.
struct ScriptStatement {
  std::string sql;
  int line = 1;
};
std::vector<ScriptStatement> SplitStatements(const std::string& script);

}  // namespace strata::sqlite
