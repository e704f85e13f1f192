#include "sqlite/query_text.h"

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace strata::sqlite {

bool IsKeyword(const SqlToken& t) {
  static const std::set<std::string> kWords = {
      "ALL",     "AND",   "AS",     "ASC",     "BETWEEN", "BY",      "CROSS",  "DESC",   "DISTINCT", "EXCEPT",
      "FROM",    "FULL",  "GROUP",  "HAVING",  "IN",      "INDEXED", "INNER",  "INTERSECT", "IS",   "JOIN",
      "LEFT",    "LIKE",  "LIMIT",  "NATURAL", "NOT",     "NULL",    "OFFSET", "ON",     "OR",       "ORDER",
      "OUTER",   "RIGHT", "SELECT", "SET",     "UNION",   "USING",   "VALUES", "WHERE",  "WINDOW",   "RETURNING",
      "GLOB",    "REGEXP", "MATCH", "ESCAPE",  "COLLATE", "CASE",    "WHEN",   "THEN",   "ELSE",     "END",
      "EXISTS",  "WITH",  "FILTER", "OVER"};
  return t.type == SqlToken::kIdent && !t.quoted && kWords.count(t.upper) > 0;
}

bool Is(const std::vector<SqlToken>& tokens, size_t i, std::string_view upper) {
  return i < tokens.size() && tokens[i].upper == upper && (tokens[i].type != SqlToken::kIdent || !tokens[i].quoted);
}

std::vector<std::string> Clauses(const std::vector<SqlToken>& tokens) {
  static const std::set<std::string> kClauses = {"SELECT", "FROM",  "JOIN",   "ON",    "USING", "WHERE",  "GROUP",
                                                 "HAVING", "ORDER", "LIMIT",  "SET",   "VALUES", "UPDATE", "INTO",
                                                 "WINDOW", "RETURNING"};
  std::vector<std::string> out(tokens.size());
  std::vector<std::string> stack(1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const SqlToken& t = tokens[i];
    const size_t d = static_cast<size_t>(std::max(0, t.depth));
    if (stack.size() <= d) stack.resize(d + 1);
    if (t.type == SqlToken::kIdent && !t.quoted && kClauses.count(t.upper)) stack[d] = t.upper;
    out[i] = stack[d];
    if (t.text == "(") {
      if (stack.size() <= d + 1) stack.resize(d + 2);
      stack[d + 1].clear();
    }
  }
  return out;
}

std::map<std::string, std::string> AliasMap(const std::vector<SqlToken>& tokens, const std::vector<std::string>& known) {
  std::map<std::string, std::string> out;
  const std::vector<std::string> clauses = Clauses(tokens);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].type != SqlToken::kIdent) continue;
    auto table = std::find_if(known.begin(), known.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, tokens[i].text); });
    if (table == known.end()) continue;
    if (i + 1 < tokens.size() && tokens[i + 1].text == ".") continue;  // a qualifier, not a table reference
    size_t before = i;
    if (before >= 2 && tokens[before - 1].text == ".") before -= 2;  // main.users
    if (before == 0) continue;
    const SqlToken& prev = tokens[before - 1];
    const bool reference = Is(tokens, before - 1, "FROM") || Is(tokens, before - 1, "JOIN") ||
                           Is(tokens, before - 1, "UPDATE") || Is(tokens, before - 1, "INTO") ||
                           (prev.text == "," && (clauses[before - 1] == "FROM" || clauses[before - 1] == "JOIN"));
    if (!reference) continue;
    out[AsciiLower(*table)] = *table;
    size_t a = i + 1;
    if (Is(tokens, a, "AS")) ++a;
    if (a < tokens.size() && tokens[a].type == SqlToken::kIdent && !IsKeyword(tokens[a]))
      out[AsciiLower(tokens[a].text)] = *table;
  }
  return out;
}

bool HasTopLevelLimit(const std::vector<SqlToken>& tokens) {
  for (const SqlToken& t : tokens)
    if (t.depth == 0 && t.type == SqlToken::kIdent && !t.quoted && t.upper == "LIMIT") return true;
  return false;
}

std::string TrimStatement(std::string_view sql) {
  std::string_view t = Trim(sql);
  while (!t.empty() && t.back() == ';') t = Trim(t.substr(0, t.size() - 1));
  return std::string(t);
}

}  // namespace strata::sqlite
