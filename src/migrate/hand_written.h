// A hand-written migration pair (`strata new`): a data migration or any SQL
// the schema cannot say, numbered between the generated versions, with the
// head every migration file has, and covered by the sum file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "migrate/migration_dir.h"
#include "schema/project.h"

namespace strata {

struct HandWrittenPair {
  int64_t version = 0;
  std::string tag;  // the tag the runner files it under
  std::string up_file, down_file;
  // The two new files, and the sum file over the folder with them.
  MigrationFiles files;
};

// Ok when `name` can be part of a migration's file name (IsSafeName).
Status CheckMigrationName(std::string_view name);

// The pair `name` at `version` for the folder that holds `existing`: each
// file only its head, marked hand-written, for its author to fill in. Its
// tag is the one the runner gives that version (the next generated
// migration's, else the project's last). InvalidInput for a name that
// CheckMigrationName refuses, a version in use or kept for
// a generated migration, a folder without migrations (nothing to file it
// between), and a folder that differs from its sum file, whose new sum
// would hide the difference.
Result<HandWrittenPair> NewHandWrittenPair(const MigrationFiles& existing, const Project& project, int64_t version,
                                           std::string_view name);

}  // namespace strata
