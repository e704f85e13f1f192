#include "sqlite/sql_lexer.h"

#include <cctype>

#include "base/strings.h"

namespace strata::sqlite {

namespace {

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool IsWordChar(char c) { return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

// The end of a quoted token starting at `i`, where a doubled closing quote
// stands for itself (or the end of the text, for an unterminated one).
size_t QuotedEnd(std::string_view sql, size_t i, char close) {
  for (size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != close) continue;
    if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
      ++j;
      continue;
    }
    return j + 1;
  }
  return sql.size();
}

std::string Unquoted(std::string_view quoted) {
  const char close = quoted.front() == '[' ? ']' : quoted.front();
  const bool terminated = quoted.size() >= 2 && quoted.back() == close;
  std::string_view inner = quoted.substr(1, quoted.size() - (terminated ? 2 : 1));
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == close && close != ']' && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return out;
}

}  // namespace

std::vector<SqlToken> TokenizeSql(std::string_view sql) {
  std::vector<SqlToken> tokens;
  int depth = 0;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && next == '-') {
      size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol + 1;
      continue;
    }
    if (c == '/' && next == '*') {
      size_t close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
      continue;
    }
    SqlToken t;
    size_t end = i + 1;
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      end = QuotedEnd(sql, i, c == '[' ? ']' : c);
      t.type = c == '\'' ? SqlToken::kString : SqlToken::kIdent;
      t.quoted = true;
      t.text = Unquoted(sql.substr(i, end - i));
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      t.type = SqlToken::kNumber;
      while (end < sql.size() && (IsWordChar(sql[end]) || sql[end] == '.' ||
                                  ((sql[end] == '+' || sql[end] == '-') && (sql[end - 1] == 'e' || sql[end - 1] == 'E'))))
        ++end;
    } else if (IsWordStart(c)) {
      t.type = SqlToken::kIdent;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
    } else if (c == '?' || c == ':' || c == '@' || c == '$') {
      t.type = SqlToken::kParam;
      while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) ++end;
    } else {
      static constexpr std::string_view kTwoCharOperators[] = {"||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"};
      for (std::string_view op : kTwoCharOperators)
        if (sql.substr(i, 2) == op) end = i + 2;
    }
    if (!t.quoted) t.text = std::string(sql.substr(i, end - i));
    t.upper = AsciiUpper(t.text);
    t.begin = i;
    t.end = end;
    if (t.IsPunct(')')) --depth;
    t.depth = depth;
    if (t.IsPunct('(')) ++depth;
    tokens.push_back(std::move(t));
    i = end;
  }
  return tokens;
}

}  // namespace strata::sqlite
