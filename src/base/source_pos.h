// SourcePos: where a piece of user input came from. Lines and columns are
// 1-based, as editors and compilers print them; an empty file means the
// element did not come from a file (inspected from a database, built in code).
#pragma once

#include <string>

namespace strata {

struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty(); }
  // "file:line:col", or "file" when the line is unknown, or "" when nothing is.
  std::string ToString() const;

  friend bool operator==(const SourcePos&, const SourcePos&) = default;
  friend auto operator<=>(const SourcePos&, const SourcePos&) = default;
};

}  // namespace strata
