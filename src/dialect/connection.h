// A database, whatever its dialect: what the runner needs (the history of
// applied migrations, running one migration file atomically, backups) and
// what the other verbs ask of it (introspection, creating a schema, the
// integrity checks, index plans). A Dialect opens one; callers hold it as a
// Connection and never name a dialect's class. Implementations own their
// handles; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "dialect/index_plan.h"
#include "dialect/integrity.h"
#include "dialect/table_digest.h"
#include "schema/table.h"

namespace strata {

struct AppliedMigration {
  int64_t version = 0;
  std::string name;
  std::string tag;
  std::string checksum;  // empty when the file was run outside strata
  std::string applied_at;
  int64_t duration_ms = 0;
  // The up text that ran and the matching down file's text at that time,
  // so that the migration can be rolled back after its files changed.
  // up_sql is nullopt in a row an older strata wrote (or a file recorded
  // outside strata); down_sql is nullopt also when there was no down file.
  std::optional<std::string> up_sql, down_sql;
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
  // Recorded with an up run: the matching down file's text (nullopt when
  // there is none), so that `down` works after the file changed.
  std::optional<std::string> down_sql;
  // False for a script that is not a migration (`strata apply`): run under
  // the same lock and guards, recorded nowhere.
  bool versioned = true;
  // What the file's head states (see plan/migration_header.h): it begins
  // and commits its own transaction and records itself; some of its steps
  // run outside any transaction.
  bool own_transaction = false;
  bool outside_transaction = false;
};

// How the engine stores one table: its definition, as text that is equal
// on two databases exactly when the table is (its indexes and triggers
// included), and the tables its foreign keys point at (lower case).
struct StoredTable {
  std::string definition;
  std::vector<std::string> references;
};

enum class ApplyOutcome { kApplied, kAlreadyDone };

struct OpenOptions {
  bool create = false;     // create the database when it does not exist
  bool read_only = false;  // inspect and diff: never write
  // With read_only: refuse a database that only a write could open (SQLite:
  // a hot journal an interrupted write left) rather than recover it, so
  // that the file stays byte for byte as it was (`strata verify`).
  bool unchanged = false;
  int busy_timeout_ms = 60000;  // how long to wait for another writer
};

// Where a long statement is. `rows_total` is known when the dialect can
// count what a statement copies (a rebuild's INSERT ... SELECT) and 0
// otherwise; `rows_done` is an estimate.
struct Progress {
  const std::string& file;
  const std::string& statement;
  double seconds = 0;
  int64_t rows_done = 0;
  int64_t rows_total = 0;
};

// Called every so often while a statement runs.
using ProgressCallback = std::function<void(const Progress&)>;

// Held while a run applies its files (see Connection::LockRun); released
// when destroyed.
class RunLock {
 public:
  virtual ~RunLock() = default;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Applied migrations in version order; empty when there is no history.
  virtual Result<std::vector<AppliedMigration>> ReadHistory() = 0;
  // True when the database holds no tables of its own.
  virtual Result<bool> IsEmpty() = 0;
  virtual Result<Schema> Inspect() = 0;
  // Every table's stored definition by lower-case name, read in one pass,
  // so that comparing two databases inspects only the tables that differ;
  // kNotSupported where the engine keeps no such text.
  virtual Result<std::map<std::string, StoredTable>> StoredTables() {
    return Status::Error(StatusCode::kNotSupported, "this database keeps no table definitions");
  }
  // Inspect() of only the tables `names` holds (lower case); every view and
  // everything the model cannot hold are read as by Inspect().
  virtual Result<Schema> InspectTables(const std::set<std::string>& names) {
    (void)names;
    return Inspect();
  }
  // How many rows of `table` hold a value in `column` (all its rows when
  // `column` is empty): what a destructive step puts at stake.
  virtual Result<int64_t> CountRows(const std::string& table, const std::string& column) = 0;
  // `declared` as Inspect() would read it back from a database that holds
  // exactly it (types, defaults and expressions in the engine's spelling),
  // so that the two compare equal when the database is what it should be.
  virtual Result<Schema> AsInspected(const Schema& declared) = 0;

  // Runs one migration in its own transaction, recording it (up) or
  // removing its record (down) in that transaction. Under the write lock it
  // re-reads the history: a file another process applied meanwhile is
  // skipped (kAlreadyDone). On failure nothing is changed and the Status
  // names the file, the statement and its line.
  virtual Result<ApplyOutcome> Apply(const ScriptRun& run) = 0;

  // The lock of a whole run: another process's run waits until this one
  // ends, so runs never interleave their files. Apply re-reads the history
  // under it, as without it. A dialect whose every file takes the engine's
  // write lock anyway (SQLite's BEGIN IMMEDIATE) holds nothing here.
  virtual Result<std::unique_ptr<RunLock>> LockRun() { return std::make_unique<RunLock>(); }

  // Runs all of them in one transaction: all or nothing. Refuses, before
  // running anything, files that cannot run inside a transaction.
  virtual Status ApplyAll(const std::vector<ScriptRun>& runs) = 0;

  // Whether `run` can be run at all (a hand-written file that manages its
  // own transaction cannot), checked for every file before any runs.
  virtual Status Validate(const ScriptRun& run) = 0;

  // Records `run` as applied without running it (adopting a database that
  // already has that schema).
  virtual Status RecordApplied(const ScriptRun& run) = 0;

  // Re-records each run's checksum, up text and down text for its version,
  // which must be applied (`strata repair`, after an edit was reviewed): all
  // in one transaction, under the run lock; on failure nothing changed.
  virtual Status RerecordApplied(const std::vector<ScriptRun>& runs) = 0;

  // A consistent copy of the whole database, taken online, written to the
  // new file `destination` atomically (never a partial backup).
  virtual Status Backup(const std::string& destination) = 0;
  // Replaces the database's content with the backup at `source`.
  virtual Status Restore(const std::string& source) = 0;

  // Creates `schema` in an empty database in one transaction; refuses
  // (kInvalidInput, changing nothing) when the database holds tables.
  virtual Status CreateSchema(const Schema& schema) = 0;

  // The integrity checks `schema` implies (the dialect's own check of the
  // database first, then an orphan check per foreign key and the declared
  // data checks), run, with up to `max_samples` offending keys each.
  virtual std::vector<CheckResult> RunChecks(const Schema& schema, int max_samples) = 0;

  // What each table of `schema` (as Inspect() read it) holds, to tell
  // whether a copy of the database holds the same rows (`strata verify`).
  // Only reads.
  virtual Result<std::vector<TableDigest>> DigestTables(const Schema&) {
    return Status::Error(StatusCode::kNotSupported, "comparing table data is not supported for this database");
  }

  // The index plans of the schema's declared queries on this database, and
  // its missing and redundant indexes. Only reads.
  virtual Result<ExplainReport> Explain(const Schema& schema) = 0;

  virtual void set_progress(ProgressCallback callback) = 0;

  // What opening found and did that the user should hear of (for example
  // an interrupted write rolled back), one sentence each.
  virtual std::vector<std::string> notices() const { return {}; }
};

}  // namespace strata
