#include "sqlite/ddl_parser.h"

#include <cctype>

#include "base/strings.h"
#include "sqlite/sql_lexer.h"

namespace strata::sqlite {

namespace {

using Token = SqlToken;

bool IsPlainIdentifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}


// The index of the ')' closing the '(' at `open`, or tokens.size().
size_t MatchingParen(const std::vector<Token>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].IsPunct('(')) ++depth;
    if (tokens[i].IsPunct(')') && --depth == 0) return i;
  }
  return tokens.size();
}

// The source text between the parentheses opening at token `open`.
std::string Parenthesized(std::string_view sql, const std::vector<Token>& tokens, size_t open, size_t& close) {
  close = MatchingParen(tokens, open);
  if (close >= tokens.size()) return {};
  return std::string(Trim(sql.substr(tokens[open].end, tokens[close].begin - tokens[open].end)));
}

// Calls `item(begin, end)` for each item of the parenthesised list opening
// at token `open`: the items are separated by the commas directly inside it.
template <typename Item>
void ForEachListItem(const std::vector<Token>& tokens, size_t open, Item item) {
  const size_t close = MatchingParen(tokens, open);
  if (close >= tokens.size()) return;
  const int list_depth = tokens[open].depth + 1;
  size_t begin = open + 1;
  for (size_t i = open + 1; i <= close; ++i) {
    if (i != close && !(tokens[i].IsPunct(',') && tokens[i].depth == list_depth)) continue;
    item(begin, i);
    begin = i + 1;
  }
}

// DEFERRABLE INITIALLY DEFERRED among tokens [begin, end) after REFERENCES.
bool IsDeferred(const std::vector<Token>& tokens, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i)
    if (tokens[i].IsWord("DEFERRABLE"))
      return !(i > begin && tokens[i - 1].IsWord("NOT")) && i + 2 < end && tokens[i + 1].IsWord("INITIALLY") &&
             tokens[i + 2].IsWord("DEFERRED");
  return false;
}

// The resolution of an ON CONFLICT clause starting at token `i`, or nothing
// when no clause starts there.
std::optional<ConflictResolution> ConflictClauseAt(const std::vector<Token>& tokens, size_t i, size_t end) {
  if (i + 2 >= end || !tokens[i].IsWord("ON") || !tokens[i + 1].IsWord("CONFLICT")) return std::nullopt;
  const Token& word = tokens[i + 2];
  if (word.IsWord("ROLLBACK")) return ConflictResolution::kRollback;
  if (word.IsWord("FAIL")) return ConflictResolution::kFail;
  if (word.IsWord("IGNORE")) return ConflictResolution::kIgnore;
  if (word.IsWord("REPLACE")) return ConflictResolution::kReplace;
  return ConflictResolution::kAbort;
}

// A table-level PRIMARY KEY or UNIQUE whose column list opens at `open`:
// each key's first token is its column name (COLLATE and ASC/DESC follow
// it). `close` is set to the token after the clause.
ParsedKey ParseKey(const std::vector<Token>& tokens, size_t open, size_t end, size_t& close) {
  ParsedKey key;
  ForEachListItem(tokens, open, [&](size_t begin, size_t item_end) {
    if (begin < item_end) key.columns.push_back(tokens[begin].text);
  });
  close = MatchingParen(tokens, open);
  if (std::optional<ConflictResolution> r = ConflictClauseAt(tokens, close + 1, end)) {
    key.on_conflict = *r;
    close += 3;
  }
  return key;
}

// The names in the parenthesised list opening at `open`.
std::vector<std::string> NameList(const std::vector<Token>& tokens, size_t open, size_t& close) {
  close = MatchingParen(tokens, open);
  std::vector<std::string> names;
  for (size_t i = open + 1; i < close && i < tokens.size(); ++i)
    if (tokens[i].type == Token::kIdent) names.push_back(tokens[i].text);
  return names;
}

void ParseTableConstraint(std::string_view sql, const std::vector<Token>& tokens, size_t begin, size_t end,
                          ParsedCreateTable& out) {
  std::string name;
  for (size_t i = begin; i < end; ++i) {
    if (tokens[i].IsWord("CONSTRAINT") && i + 1 < end) {
      name = tokens[++i].text;
    } else if (tokens[i].IsWord("FOREIGN") && i + 2 < end && tokens[i + 2].IsPunct('(')) {
      size_t close = 0;
      ParsedForeignKey fk;
      fk.columns = NameList(tokens, i + 2, close);
      if (close + 2 < end && tokens[close + 1].IsWord("REFERENCES")) fk.ref_table = tokens[close + 2].text;
      fk.deferred = IsDeferred(tokens, close, end);
      out.foreign_keys.push_back(std::move(fk));
      i = close;
    } else if (tokens[i].IsWord("PRIMARY") && i + 2 < end && tokens[i + 1].IsWord("KEY") &&
               tokens[i + 2].IsPunct('(')) {
      size_t close = 0;
      out.primary_key = ParseKey(tokens, i + 2, end, close);
      i = close;
    } else if (tokens[i].IsWord("UNIQUE") && i + 1 < end && tokens[i + 1].IsPunct('(')) {
      size_t close = 0;
      out.uniques.push_back(ParseKey(tokens, i + 1, end, close));
      i = close;
    } else if (tokens[i].IsPunct('(')) {
      i = MatchingParen(tokens, i);
    } else if (tokens[i].IsWord("CHECK") && i + 1 < end && tokens[i + 1].IsPunct('(')) {
      size_t close = 0;
      out.checks.push_back({name, Parenthesized(sql, tokens, i + 1, close)});
      i = close;
      name.clear();
      // SQLite accepts ON CONFLICT after a table CHECK and ignores it: a
      // failed CHECK always aborts. The clause is dropped here.
      if (ConflictClauseAt(tokens, i + 1, end)) i += 3;
    }
  }
}

void ParseColumn(std::string_view sql, const std::vector<Token>& tokens, size_t begin, size_t end,
                 ParsedCreateTable& out) {
  ParsedColumn column{.name = tokens[begin].text};
  // An ON CONFLICT clause belongs to the constraint just before it. SQLite
  // also accepts one after NULL (the constraint that allows NULLs) and
  // ignores it; so does the model (`ignored`).
  ConflictResolution ignored = ConflictResolution::kAbort;
  ConflictResolution* last = &ignored;
  for (size_t i = begin + 1; i < end; ++i) {
    if (std::optional<ConflictResolution> r = ConflictClauseAt(tokens, i, end)) {
      *last = *r;
      i += 2;
    } else if (tokens[i].IsWord("PRIMARY") && i + 1 < end && tokens[i + 1].IsWord("KEY")) {
      last = &column.primary_key_on_conflict;
      ++i;
    } else if (tokens[i].IsWord("NOT") && i + 1 < end && tokens[i + 1].IsWord("NULL")) {
      last = &column.not_null_on_conflict;
      ++i;
    } else if (tokens[i].IsWord("UNIQUE")) {
      last = &column.unique_on_conflict;
    } else if (tokens[i].IsWord("NULL")) {
      last = &ignored;
    } else if (tokens[i].IsWord("CONSTRAINT") && i + 1 < end) {
      last = &ignored;
      ++i;  // the constraint's name
    } else if (tokens[i].IsWord("COLLATE") && i + 1 < end) {
      column.collation = AsciiUpper(tokens[++i].text);
      if (column.collation == "BINARY") column.collation.clear();
    } else if (tokens[i].IsWord("CHECK") && i + 1 < end && tokens[i + 1].IsPunct('(')) {
      size_t close = 0;
      std::string expr = Parenthesized(sql, tokens, i + 1, close);
      // Several CHECKs on one column hold together; the model keeps one.
      column.check = column.check.empty() ? expr : "(" + column.check + ") AND (" + expr + ")";
      i = close;
    } else if (tokens[i].IsWord("AS") && i + 1 < end && tokens[i + 1].IsPunct('(')) {
      size_t close = 0;
      column.generated = Parenthesized(sql, tokens, i + 1, close);
      i = close;
    } else if (tokens[i].IsWord("REFERENCES") && i + 1 < end) {
      out.foreign_keys.push_back({{column.name}, tokens[i + 1].text, IsDeferred(tokens, i, end)});
      ++i;
    } else if (tokens[i].IsPunct('(')) {
      i = MatchingParen(tokens, i);  // a type's size, a DEFAULT expression, REFERENCES columns
    }
  }
  out.columns.push_back(std::move(column));
}

}  // namespace

ParsedCreateTable ParseCreateTable(std::string_view sql) {
  ParsedCreateTable out;
  const std::vector<Token> tokens = TokenizeSql(sql);
  size_t open = 0;
  while (open < tokens.size() && !tokens[open].IsPunct('(')) {
    if (tokens[open].IsWord("AS")) return out;
    ++open;
  }
  ForEachListItem(tokens, open, [&](size_t begin, size_t end) {
    if (begin == end) return;
    const Token& first = tokens[begin];
    const bool constraint = first.IsWord("CONSTRAINT") || first.IsWord("PRIMARY") || first.IsWord("UNIQUE") ||
                            first.IsWord("CHECK") || first.IsWord("FOREIGN");
    if (constraint)
      ParseTableConstraint(sql, tokens, begin, end, out);
    else
      ParseColumn(sql, tokens, begin, end, out);
  });
  return out;
}

std::vector<ParsedIndexTerm> ParseIndexTerms(std::string_view sql) {
  std::vector<ParsedIndexTerm> out;
  const std::vector<Token> tokens = TokenizeSql(sql);
  size_t open = 0;
  while (open < tokens.size() && !tokens[open].IsWord("ON")) ++open;
  while (open < tokens.size() && !tokens[open].IsPunct('(')) ++open;
  ForEachListItem(tokens, open, [&](size_t begin, size_t end) {
    ParsedIndexTerm term;
    if (end > begin && (tokens[end - 1].IsWord("ASC") || tokens[end - 1].IsWord("DESC"))) {
      term.descending = tokens[end - 1].IsWord("DESC");
      --end;
    }
    if (end >= begin + 2 && tokens[end - 2].IsWord("COLLATE")) {
      term.collation = AsciiUpper(tokens[end - 1].text);
      end -= 2;
    }
    if (end == begin + 1 && tokens[begin].type == Token::kIdent) {
      term.column = tokens[begin].text;
    } else if (end > begin) {
      std::string_view text = Trim(sql.substr(tokens[begin].begin, tokens[end - 1].end - tokens[begin].begin));
      // "(a + b)" and "a + b" are the same key.
      if (tokens[begin].IsPunct('(') && MatchingParen(tokens, begin) == end - 1)
        text = Trim(text.substr(1, text.size() - 2));
      term.expression = std::string(text);
    }
    out.push_back(std::move(term));
  });
  return out;
}

std::string CanonicalSql(std::string_view sql) {
  std::string out;
  for (const Token& t : TokenizeSql(sql)) {
    if (!out.empty()) out += ' ';
    if (t.type == Token::kIdent && (!t.quoted || IsPlainIdentifier(t.text)))
      out += AsciiLower(t.text);
    else
      out += sql.substr(t.begin, t.end - t.begin);
  }
  return out;
}

}  // namespace strata::sqlite
