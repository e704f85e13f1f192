#include "sqlite/ddl_parser.h"

#include <cctype>

#include "base/strings.h"

namespace strata::sqlite {

namespace {

struct Token {
  enum Kind { kWord, kQuotedIdentifier, kString, kNumber, kPunct };
  Kind kind;
  std::string_view text;
  size_t begin = 0;  // offsets into the SQL text
  size_t end = 0;
};

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

std::vector<Token> Tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    size_t end = i + 1;
    Token::Kind kind = Token::kPunct;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    } else if (c == '-' && next == '-') {
      size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol + 1;
      continue;
    } else if (c == '/' && next == '*') {
      size_t close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
      continue;
    } else if (c == '\'') {
      kind = Token::kString;
      end = QuotedEnd(sql, i, '\'');
    } else if (c == '"' || c == '`' || c == '[') {
      kind = Token::kQuotedIdentifier;
      end = QuotedEnd(sql, i, c == '[' ? ']' : c);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      kind = Token::kNumber;
      while (end < sql.size() && (IsWordChar(sql[end]) || sql[end] == '.' ||
                                  ((sql[end] == '+' || sql[end] == '-') && (sql[end - 1] == 'e' || sql[end - 1] == 'E'))))
        ++end;
    } else if (IsWordStart(c)) {
      kind = Token::kWord;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
    } else {
      static constexpr std::string_view kTwoCharOperators[] = {"||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"};
      for (std::string_view op : kTwoCharOperators)
        if (sql.substr(i, 2) == op) end = i + 2;
    }
    tokens.push_back({kind, sql.substr(i, end - i), i, end});
    i = end;
  }
  return tokens;
}

std::string Unquote(const Token& t) {
  if (t.kind != Token::kQuotedIdentifier && t.kind != Token::kString) return std::string(t.text);
  const char close = t.text.front() == '[' ? ']' : t.text.front();
  const bool terminated = t.text.size() >= 2 && t.text.back() == close;
  std::string_view inner = t.text.substr(1, t.text.size() - (terminated ? 2 : 1));
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == close && close != ']' && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return out;
}

bool IsWord(const Token& t, std::string_view word) { return t.kind == Token::kWord && EqualsIgnoreCase(t.text, word); }
bool IsPunct(const Token& t, char c) { return t.kind == Token::kPunct && t.text.size() == 1 && t.text[0] == c; }

// The index of the ')' closing the '(' at `open`, or tokens.size().
size_t MatchingParen(const std::vector<Token>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (IsPunct(tokens[i], '(')) ++depth;
    if (IsPunct(tokens[i], ')') && --depth == 0) return i;
  }
  return tokens.size();
}

// The source text between the parentheses opening at token `open`.
std::string Parenthesized(std::string_view sql, const std::vector<Token>& tokens, size_t open, size_t& close) {
  close = MatchingParen(tokens, open);
  if (close >= tokens.size()) return {};
  return std::string(Trim(sql.substr(tokens[open].end, tokens[close].begin - tokens[open].end)));
}

void ParseTableConstraint(std::string_view sql, const std::vector<Token>& tokens, size_t begin, size_t end,
                          ParsedCreateTable& out) {
  std::string name;
  for (size_t i = begin; i < end; ++i) {
    if (IsWord(tokens[i], "CONSTRAINT") && i + 1 < end) {
      name = Unquote(tokens[++i]);
    } else if (IsPunct(tokens[i], '(')) {
      i = MatchingParen(tokens, i);
    } else if (IsWord(tokens[i], "CHECK") && i + 1 < end && IsPunct(tokens[i + 1], '(')) {
      size_t close = 0;
      out.checks.push_back({name, Parenthesized(sql, tokens, i + 1, close)});
      i = close;
      name.clear();
    }
  }
}

void ParseColumn(std::string_view sql, const std::vector<Token>& tokens, size_t begin, size_t end,
                 ParsedCreateTable& out) {
  ParsedColumn column{Unquote(tokens[begin]), {}, {}};
  for (size_t i = begin + 1; i < end; ++i) {
    if (IsWord(tokens[i], "COLLATE") && i + 1 < end) {
      column.collation = AsciiUpper(Unquote(tokens[++i]));
      if (column.collation == "BINARY") column.collation.clear();
    } else if (IsWord(tokens[i], "CHECK") && i + 1 < end && IsPunct(tokens[i + 1], '(')) {
      size_t close = 0;
      std::string expr = Parenthesized(sql, tokens, i + 1, close);
      // Several CHECKs on one column hold together; the model keeps one.
      column.check = column.check.empty() ? expr : "(" + column.check + ") AND (" + expr + ")";
      i = close;
    } else if (IsPunct(tokens[i], '(')) {
      i = MatchingParen(tokens, i);  // a type's size, a DEFAULT expression, REFERENCES columns
    }
  }
  out.columns.push_back(std::move(column));
}

}  // namespace

ParsedCreateTable ParseCreateTable(std::string_view sql) {
  ParsedCreateTable out;
  const std::vector<Token> tokens = Tokenize(sql);
  size_t open = 0;
  while (open < tokens.size() && !IsPunct(tokens[open], '(')) {
    if (IsWord(tokens[open], "AS")) return out;
    ++open;
  }
  const size_t close = MatchingParen(tokens, open);
  if (close >= tokens.size()) return out;
  size_t begin = open + 1;
  int depth = 0;
  for (size_t i = open + 1; i <= close; ++i) {
    if (IsPunct(tokens[i], '(')) ++depth;
    if (IsPunct(tokens[i], ')') && i != close) --depth;
    if (depth != 0 || (!IsPunct(tokens[i], ',') && i != close)) continue;
    if (begin < i) {
      const Token& first = tokens[begin];
      const bool constraint = IsWord(first, "CONSTRAINT") || IsWord(first, "PRIMARY") || IsWord(first, "UNIQUE") ||
                              IsWord(first, "CHECK") || IsWord(first, "FOREIGN");
      if (constraint)
        ParseTableConstraint(sql, tokens, begin, i, out);
      else
        ParseColumn(sql, tokens, begin, i, out);
    }
    begin = i + 1;
  }
  return out;
}

std::string CanonicalSql(std::string_view sql) {
  std::string out;
  for (const Token& t : Tokenize(sql)) {
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case Token::kWord: out += AsciiLower(t.text); break;
      case Token::kQuotedIdentifier: {
        std::string name = Unquote(t);
        bool plain = !name.empty() && IsWordStart(name[0]);
        for (char c : name) plain = plain && IsWordChar(c) && c != '$';
        out += plain ? AsciiLower(name) : std::string(t.text);
        break;
      }
      default: out += t.text;
    }
  }
  return out;
}

}  // namespace strata::sqlite
