// SQLite's lexical rules, for the few places strata reads SQL text it did
// not write: the stored CREATE TABLE text (CHECKs, collations) and the
// declared queries (`strata explain`). Four quoting styles, both comment
// styles, parameters; SQLite itself does the real parsing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::sqlite {

struct SqlToken {
  enum Type { kIdent, kString, kNumber, kParam, kPunct };
  Type type = kPunct;
  std::string text;   // identifiers and strings without their quotes
  std::string upper;  // `text` in upper case, for keywords and names
  bool quoted = false;
  int depth = 0;      // parentheses around the token ('(' and ')' count as outside)
  size_t begin = 0;   // offsets of the token in the SQL text
  size_t end = 0;

  bool IsWord(std::string_view upper_word) const { return type == kIdent && !quoted && upper == upper_word; }
  bool IsPunct(char c) const { return type == kPunct && text.size() == 1 && text[0] == c; }
};

std::vector<SqlToken> TokenizeSql(std::string_view sql);

}  // namespace strata::sqlite
