// What up, down, status and plan share: the schema (for tags), the
// migrations folder, and a connection to the database.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.h"
#include "diff/drift.h"
#include "migrate/runner.h"
#include "dialect/connection.h"

namespace strata::cli {

struct RunContext {
  VersionedSchema schema;
  std::string migrations_dir;  // as the user named it, with the dialect's folder
  MigrationFiles files;
  std::vector<MigrationEntry> migrations;
  std::unique_ptr<Dialect> dialect;  // the database's
  std::unique_ptr<Connection> connection;
  std::unique_ptr<Runner> runner;
  // The database does not exist (yet): opened with `absent_is_empty`, the
  // connection is an empty scratch database of its dialect instead.
  bool absent = false;
};

// Loads everything; prints the problem and sets `exit_code` on failure.
// `create` allows creating a new database file. Heap-allocated because the
// runner refers to the other members.
// kProject loads only the project file (tags), leaving `schema` without
// tables: enough for status, plan and down.
enum class SchemaNeed { kTables, kProject };
// How the command uses the database: it may write it; it reads it, and a
// database that does not exist reads as an empty one, creating nothing
// (plan, status); it only reads it (verify's snapshot).
// kSnapshot: read-only, and refused rather than recovered when opening
// would change the file.
enum class DatabaseUse { kWrite, kReadAbsentAsEmpty, kReadOnly, kSnapshot };
std::unique_ptr<RunContext> OpenRunContext(const CommonOptions& o, bool create, int& exit_code,
                                           SchemaNeed need = SchemaNeed::kTables,
                                           DatabaseUse use = DatabaseUse::kWrite);

// Loads the tables of a context opened with SchemaNeed::kProject and gives
// its runner the expected schema. False after printing the problem.
bool LoadTables(RunContext& run, const CommonOptions& o);

// Where a new backup of `db` goes: `backups/<name>-<UTC time>-<pid>.db`
// beside the database (the folder is created).
Result<std::string> NextBackupPath(const std::string& db);
// Removes the oldest backups of `db` beyond `keep`: only files named as
// NextBackupPath names them for this exact database. Called after a run
// succeeded, so that a failed or refused run deletes nothing.
void PruneBackups(const std::string& db, int keep);

// Prints runner events on stderr (text) as they happen.
void PrintEvent(const RunEvent& e);

// A progress line on a terminal for statements that run long.
void EnableProgress(Connection& connection);

// The tag a database should be at: `--tag` when given; otherwise the tag
// of the last migration its history records; otherwise the last tag (a
// database strata did not create). Prints and returns nullopt on a bad tag.
std::optional<int> TagOfDatabase(const RunContext& run, const std::string& tag_option);

// What check, drift and explain share: a database looked at against the
// schema of one tag. Null after printing the problem and setting
// `exit_code`.
struct RunAtTag {
  std::unique_ptr<RunContext> run;
  int tag = 0;
  const std::string& tag_name() const { return run->schema.project.tags[tag]; }
};
std::optional<RunAtTag> OpenAtTag(const CommonOptions& o, const std::string& tag_option, int& exit_code);

}  // namespace strata::cli
