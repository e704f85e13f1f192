// Integrity checks, whatever the dialect: one orphan-record check per
// foreign key and the declared data checks, with what running them found.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema/table.h"

namespace strata {

struct IntegrityCheck {
  enum class Kind { kOrphans, kData };
  Kind kind = Kind::kOrphans;
  std::string name;         // "orphans:conversations.user_id->users" or the data check's name
  std::string table;
  std::string description;
  // Returns one row per offending key: (key text, number of rows with it).
  std::string sql;
  bool child_indexed = true;  // orphans: the child columns lead some index
};

inline std::string_view KindName(IntegrityCheck::Kind kind) {
  return kind == IntegrityCheck::Kind::kOrphans ? "orphans" : "data";
}

struct CheckResult {
  IntegrityCheck check;
  int64_t offending_rows = 0;
  std::vector<std::string> samples;  // up to the requested number of keys
  std::string error;                 // the check could not run (e.g. table missing)
  bool passed() const { return offending_rows == 0 && error.empty(); }
};

// Whether some index of `t` (its primary key, a UNIQUE constraint or a
// full index) leads with `columns`, so that an orphan check, and every
// delete of a parent row, searches the child rather than scanning it.
// Neither SQLite nor PostgreSQL indexes the child side of a foreign key
// by itself.
bool ChildColumnsLeadAnIndex(const Table& t, const std::vector<std::string>& columns);

}  // namespace strata
