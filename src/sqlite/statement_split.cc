#include "sqlite/statement_split.h"

#include <sqlite3.h>

#include <cctype>

#include "base/strings.h"

namespace strata::sqlite {

std::vector<ScriptStatement> SplitStatements(const std::string& script) {
  std::vector<ScriptStatement> out;
  std::string current;
  int line = 1, start_line = 1;
  bool started = false;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (!started && !std::isspace(static_cast<unsigned char>(c))) {
      // Skip whole-line comments before a statement.
      if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
        while (i < script.size() && script[i] != '\n') ++i;
        ++line;
        continue;
      }
      started = true;
      start_line = line;
    }
    if (started) current += c;
    if (c == '\n') ++line;
    if (c == ';' && sqlite3_complete(current.c_str())) {
      out.push_back({current, start_line});
      current.clear();
      started = false;
    }
  }
  if (!std::string(Trim(current)).empty()) out.push_back({current, start_line});
  return out;
}

}  // namespace strata::sqlite
