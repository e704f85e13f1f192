// Project: the settings in `schema/project.yaml` that apply to the whole
// schema: the dialect, the ordered migration tags, and what is not ours.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/source_pos.h"

namespace strata {

struct Project {
  std::string name;
  std::string dialect = "sqlite";  // the first of `dialects`: its files are at the top of migrations/
  // Every dialect migrations are generated for (`dialect:` or `dialects:`),
  // never empty once loaded.
  std::vector<std::string> dialects = {"sqlite"};
  SourcePos dialects_pos;
  std::vector<std::string> tags;  // in migration order; at least one
  // First tag from which foreign keys are enforced: migrating into it
  // refuses orphaned rows. Absent means from the first tag.
  std::optional<int> foreign_keys_enforced_from;
  std::vector<std::string> ignore_tables;  // live tables that are not drift
  std::string database;  // the database file commands use when --db and STRATA_DB are absent
  SourcePos pos;

  std::optional<int> TagIndex(std::string_view tag) const;
  // Whether `table` is listed under ignore_tables (case-insensitive, as SQL).
  bool IgnoresTable(std::string_view table) const;
  int last_tag() const { return static_cast<int>(tags.size()) - 1; }
  bool GeneratesFor(std::string_view dialect_name) const;
  // Where a dialect's files go under migrations/ and checks/: "" for the
  // first dialect (the top of the folder), else a folder named after it.
  std::string DialectFolder(std::string_view dialect_name) const;
};

}  // namespace strata
