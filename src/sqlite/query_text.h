// Reading a declared query (`strata explain`): enough to find table
// aliases, column terms, ORDER BY and LIMIT. SQLite itself does the real
// parsing; this only maps its plan rows back to names and guesses candidate
// indexes, and every guess is checked by SQLite before it is suggested.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite/sql_lexer.h"

namespace strata::sqlite {

// An unquoted SQL keyword a query's structure turns on (FROM, WHERE, AS...).
bool IsKeyword(const SqlToken& t);

// Whether token `i` exists and is the unquoted word `upper` (or punctuation).
bool Is(const std::vector<SqlToken>& tokens, size_t i, std::string_view upper);

// The clause each token belongs to: the last clause keyword before it at
// the same depth ("FROM", "WHERE", "ON", "ORDER", "GROUP", ...).
std::vector<std::string> Clauses(const std::vector<SqlToken>& tokens);

// Lower-case name or alias -> table name, for the tables of `known` that
// `tokens` reads.
std::map<std::string, std::string> AliasMap(const std::vector<SqlToken>& tokens, const std::vector<std::string>& known);

// Whether the statement (not a subquery) ends in a LIMIT.
bool HasTopLevelLimit(const std::vector<SqlToken>& tokens);

// The statement without surrounding space and trailing semicolons.
std::string TrimStatement(std::string_view sql);

}  // namespace strata::sqlite
