// Splits a PostgreSQL script into statements by PostgreSQL's lexical rules:
// a ';' ends a statement only outside single-quoted strings (including
// E'' strings with backslash escapes), dollar-quoted bodies ($$...$$,
// $tag$...$tag$), double-quoted identifiers, -- line comments and nested
// /* */ comments. Each statement keeps the line it starts on (its first
// non-blank, non-comment character) for error messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dialect/statement_kind.h"  // LeadingWords, for the splitter's users

namespace strata::postgres {

struct SqlStatement {
  std::string sql;  // without the trailing ';', comments before it dropped
  int line = 1;
};

std::vector<SqlStatement> SplitStatements(std::string_view script);

}  // namespace strata::postgres
