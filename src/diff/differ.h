// The differ: two schema states in, the list of typed changes out. It
// works on models only, so the same code compares YAML with YAML, YAML with
// a live database, or two databases.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "diff/change.h"
#include "schema/table.h"

namespace strata {

// Explicit renames: strata never guesses one from similar names.
struct RenameHints {
  std::map<std::string, std::string> tables;  // lower-case new name -> old name
  // lower-case "table.new_column" (table under its new name) -> old column name
  std::map<std::string, std::string> columns;

  // The renames the `renamed_from` fields of `to` declare.
  static RenameHints From(const Schema& to);
  // The same renames the other way round, for down migrations.
  RenameHints Inverted() const;
};

struct DiffOptions {
  // Compare reference rows (off when one side is a live database, whose
  // rows are data rather than schema).
  bool compare_rows = true;
  // Whether two SQL texts (view and trigger statements, expressions) say
  // the same thing; the dialect knows its lexical rules. Unset: equal after
  // trimming. The texts themselves are never rewritten.
  bool (*same_sql)(std::string_view, std::string_view) = nullptr;
  // Whether changing a column's type from `from`'s to `to`'s can lose or
  // reject values already stored; the dialect knows how its engine
  // converts them. Unset: every type change can.
  bool (*narrows)(const Column& from, const Column& to) = nullptr;
};

// Changes that turn `from` into `to`: table additions in `to`'s order,
// modifications, then drops. Empty when they are equivalent.
std::vector<Change> Diff(const Schema& from, const Schema& to, const RenameHints& hints = {},
                         const DiffOptions& options = {});

// Aspects in which two columns differ (see ColumnAspect); names excluded.
unsigned ColumnDifference(const Column& a, const Column& b, const DiffOptions& options = {});

}  // namespace strata
