// What the runner needs from a database, whatever its dialect: the history
// of applied migrations, running one migration file atomically, backups and
// introspection. Implementations own their handles; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table.h"

namespace strata {

struct AppliedMigration {
  int64_t version = 0;
  std::string name;
  std::string tag;
  std::string checksum;  // empty when the file was run outside strata
  std::string applied_at;
  int64_t duration_ms = 0;
};

// One migration file to run.
struct ScriptRun {
  std::string file_name;
  int64_t version = 0;
  std::string name;
  std::string tag;
  bool up = true;
  std::string sql;
  std::string checksum;
  // False for a script that is not a migration (`strata apply`): run under
  // the same lock and guards, recorded nowhere.
  bool versioned = true;
};

enum class ApplyOutcome { kApplied, kAlreadyDone };

class Connection {
 public:
  virtual ~Connection() = default;

  // Applied migrations in version order; empty when there is no history.
  virtual Result<std::vector<AppliedMigration>> ReadHistory() = 0;
  // True when the database holds no tables of its own.
  virtual Result<bool> IsEmpty() = 0;
  virtual Result<Schema> Inspect() = 0;

  // Runs one migration in its own transaction, recording it (up) or
  // removing its record (down) in that transaction. Under the write lock it
  // re-reads the history: a file another process applied meanwhile is
  // skipped (kAlreadyDone). On failure nothing is changed and the Status
  // names the file, the statement and its line.
  virtual Result<ApplyOutcome> Apply(const ScriptRun& run) = 0;

  // Runs all of them in one transaction: all or nothing. Refuses, before
  // running anything, files that cannot run inside a transaction.
  virtual Status ApplyAll(const std::vector<ScriptRun>& runs) = 0;

  // Whether `run` can be run at all (a hand-written file that manages its
  // own transaction cannot), checked for every file before any runs.
  virtual Status Validate(const ScriptRun& run) = 0;

  // Records `run` as applied without running it (adopting a database that
  // already has that schema).
  virtual Status RecordApplied(const ScriptRun& run) = 0;

  // A consistent copy of the whole database, taken online.
  virtual Status Backup(const std::string& destination) = 0;
};

}  // namespace strata
