#include "postgres/splitter.h"

#include <cctype>

#include "base/strings.h"

namespace strata::postgres {

namespace {

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

// At `i` a '$' opens a dollar quote when followed by an optional tag
// (identifier not starting with a digit) and a second '$'; returns the
// whole delimiter or "".
std::string_view DollarTag(std::string_view s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return {};
  while (j < s.size() && IsIdentChar(s[j]) && s[j] != '$') ++j;
  if (j < s.size() && s[j] == '$') return s.substr(i, j - i + 1);
  return {};
}

}  // namespace

std::vector<SqlStatement> SplitStatements(std::string_view s) {
  std::vector<SqlStatement> out;
  std::string current;
  int line = 1;
  int start_line = 0;  // 0: no statement text yet
  const auto flush = [&] {
    if (start_line != 0 && !Trim(current).empty()) out.push_back({std::string(Trim(current)), start_line});
    current.clear();
    start_line = 0;
  };
  const auto take = [&](size_t from, size_t to) {  // copies s[from, to), counting lines
    for (size_t k = from; k < to; ++k)
      if (s[k] == '\n') ++line;
    if (start_line != 0) current.append(s.substr(from, to - from));
  };
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '-' && next == '-') {  // line comment: dropped before a statement, kept inside
      size_t end = s.find('\n', i);
      if (end == std::string_view::npos) end = s.size();
      take(i, end);
      i = end;
      continue;
    }
    if (c == '/' && next == '*') {  // nested block comment
      size_t j = i + 2;
      for (int depth = 1; j < s.size() && depth > 0;) {
        if (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (s[j] == '*' && j + 1 < s.size() && s[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      take(i, j);
      i = j;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      take(i, i + 1);
      ++i;
      continue;
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    if (start_line == 0) start_line = line;
    size_t j = i + 1;
    if (c == '\'') {
      // E'...' allows backslash escapes; a plain string only doubles quotes.
      const bool escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                           (i < 2 || !IsIdentChar(s[i - 2]));
      while (j < s.size()) {
        if (escapes && s[j] == '\\') {
          j += 2;
        } else if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
    } else if (c == '"') {
      while (j < s.size()) {
        if (s[j] == '"') {
          if (j + 1 < s.size() && s[j + 1] == '"') {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
    } else if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1]))) {
      std::string_view tag = DollarTag(s, i);
      if (!tag.empty()) {
        size_t close = s.find(tag, i + tag.size());
        j = close == std::string_view::npos ? s.size() : close + tag.size();
      }
    } else if (IsIdentChar(c)) {
      while (j < s.size() && IsIdentChar(s[j]) && s[j] != '$') ++j;
      // identifiers may contain '$' after the first character
      while (j < s.size() && (IsIdentChar(s[j]) || s[j] == '$')) ++j;
    }
    take(i, std::min(j, s.size()));
    i = std::min(j, s.size());
  }
  flush();
  return out;
}

}  // namespace strata::postgres
