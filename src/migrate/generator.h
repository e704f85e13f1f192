// The generator: the migrations a versioned schema implies. For each tag in
// order, one up/down pair from the previous tag's state to this one's,
// versioned 0010, 0020, ... so that hand-written migrations (data
// migrations) can take the numbers between. Output is deterministic: the
// same schema gives byte-identical files.
#pragma once

#include <string>
#include <vector>

#include "dialect/dialect.h"
#include "migrate/migration_dir.h"
#include "schema/versioned.h"

namespace strata {

// One generated pair, with what the lint reports about it.
struct GeneratedMigration {
  std::string up_file;
  std::string down_file;
  std::string tag;
  std::vector<std::string> changes;      // Describe() of each change, up direction
  std::vector<std::string> destructive;  // up changes that can lose data
  std::vector<std::string> irreversible; // what the down migration cannot bring back
};

struct GenerateResult {
  std::vector<GeneratedMigration> migrations;
  // Every file the folder should hold: the generated ones, the hand-written
  // ones found in `existing`, and the sum file over all of them.
  MigrationFiles files;
};

// The `checks/` folder: one file per tag, `<tag>.sql`, holding the checks
// the schema at that tag implies.
MigrationFiles GenerateChecks(const VersionedSchema& schema, const Dialect& dialect);

// The version the migration into tag `tag_index` gets.
int64_t VersionForTag(int tag_index);

GenerateResult GenerateMigrations(const VersionedSchema& schema, const Dialect& dialect,
                                  const MigrationFiles& existing);

// What differs between a folder and what the schema implies: files to
// create or update ("0020_phase1.up.sql: out of date") and, when `extra_is_stale`,
// files the schema does not produce. Empty when current.
std::vector<std::string> OutOfDateFiles(const MigrationFiles& expected, const MigrationFiles& actual,
                                        bool extra_is_stale = false);

}  // namespace strata
