#include "sqlite/index_candidates.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "sqlite/query_text.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

QueryTerms TermsFor(const std::vector<SqlToken>& tokens, const TableInfo& table, const std::map<std::string, std::string>& aliases,
               const std::map<std::string, TableInfo>& infos) {
  QueryTerms terms;
  const std::vector<std::string> clauses = Clauses(tokens);
  std::set<std::string> own_names;  // aliases of this table
  std::set<std::string> tables_in_query;
  for (const auto& [alias, name] : aliases) {
    tables_in_query.insert(name);
    if (name == table.name) own_names.insert(alias);
  }
  const auto column_of = [&](const TableInfo& t, const std::string& name) -> std::string {
    for (const std::string& c : t.columns)
      if (EqualsIgnoreCase(c, name)) return c;
    return {};
  };
  // The table's column a token names, or "" (another table's, ambiguous, or none).
  const auto column_at = [&](size_t i) -> std::string {
    if (i >= tokens.size() || tokens[i].type != SqlToken::kIdent || IsKeyword(tokens[i])) return {};
    if (i + 1 < tokens.size() && tokens[i + 1].text == ".") return {};
    if (i >= 2 && tokens[i - 1].text == ".")
      return own_names.count(AsciiLower(tokens[i - 2].text)) ? column_of(table, tokens[i].text) : std::string();
    std::string own = column_of(table, tokens[i].text);
    if (own.empty()) return {};
    for (const std::string& other : tables_in_query) {
      if (other == table.name) continue;
      auto it = infos.find(other);
      if (it != infos.end() && !column_of(it->second, tokens[i].text).empty()) return {};  // ambiguous
    }
    return own;
  };
  const auto add = [](std::vector<std::string>& v, const std::string& c) {
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  };
  bool order_ok = true;
  bool in_order = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& clause = clauses[i];
    if (clause == "ORDER" && tokens[i].depth == 0) {
      if (Is(tokens, i, "ORDER") || Is(tokens, i, "BY") || Is(tokens, i, "ASC") || Is(tokens, i, "DESC") ||
          tokens[i].text == "," || tokens[i].text == ".")
        continue;
      in_order = true;
      std::string c = column_at(i);
      if (c.empty()) {
        if (tokens[i].type == SqlToken::kIdent && i + 1 < tokens.size() && tokens[i + 1].text == ".") continue;
        order_ok = false;
      } else {
        add(terms.order_by, c);
      }
      continue;
    }
    if (clause != "WHERE" && clause != "ON") continue;
    std::string c = column_at(i);
    if (c.empty()) continue;
    const auto op_after = [&](size_t j) { return j < tokens.size() ? tokens[j].upper : std::string(); };
    std::string next = op_after(i + 1);
    std::string prev = i >= 1 ? tokens[i - 1].upper : "";
    if (i >= 2 && tokens[i - 1].text == ".") prev = i >= 3 ? tokens[i - 3].upper : "";
    const bool negated = i >= 1 && Is(tokens, i + 1, "NOT");
    if (negated) continue;
    // The other side of `=`: a column (a join term) or a value.
    const auto is_column = [&](size_t j) {
      return j < tokens.size() && tokens[j].type == SqlToken::kIdent && !IsKeyword(tokens[j]) &&
             !Is(tokens, j, "TRUE") && !Is(tokens, j, "FALSE") && !Is(tokens, j, "CURRENT_TIMESTAMP");
    };
    const size_t first = i >= 2 && tokens[i - 1].text == "." ? i - 2 : i;
    if (next == "=" || next == "==") {
      add(is_column(i + 2) ? terms.join : terms.equality, c);
    } else if (prev == "=" || prev == "==") {
      add(first >= 2 && is_column(first - 2) ? terms.join : terms.equality, c);
    } else if (next == "IN" || (next == "IS" && !Is(tokens, i + 2, "NOT"))) {
      add(terms.equality, c);
    } else if (next == "<" || next == ">" || next == "<=" || next == ">=" || next == "BETWEEN" || prev == "<" ||
               prev == ">" || prev == "<=" || prev == ">=") {
      add(terms.range, c);
    }
  }
  if (!in_order || !order_ok) terms.order_by.clear();
  return terms;
}

std::string CreateIndexStatement(const std::string& name, const std::string& table, const std::vector<std::string>& columns) {
  return fmt::format("CREATE INDEX {} ON {} {};", QuoteIdentifier(name), QuoteIdentifier(table), RenderColumnList(columns));
}

}  // namespace strata::sqlite
