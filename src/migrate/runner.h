// The runner: which migrations are applied, which are pending, and applying
// or rolling them back through a Connection. It decides and reports; the
// Connection executes. Never prints: callers pass a listener.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dialect/connection.h"
#include "dialect/dialect.h"
#include "diff/drift.h"
#include "migrate/migration_dir.h"
#include "plan/migration_header.h"
#include "schema/project.h"
#include "schema/versioned.h"

namespace strata {

// One version: its up and down files (down may be absent for a hand-written
// migration), the tag it belongs to, and what its header declares.
struct MigrationEntry {
  int64_t version = 0;
  std::string name;
  std::string tag;
  std::string up_file, down_file;
  std::string up_sql, down_sql;
  MigrationFacts up_facts, down_facts;  // what each file's head states
  bool generated() const { return up_facts.generated; }
};

// Builds the ordered list from a migrations folder. A generated file names
// its tag in its header; a hand-written one belongs to the tag of the next
// generated version (it prepares that phase), or to the last tag.
Result<std::vector<MigrationEntry>> LoadMigrations(const MigrationFiles& files, const Project& project);

std::string Checksum(const std::string& sql);

// The run of one of `m`'s files, with what its head states; its checksum
// is `checksum` when given (a hash already computed), else computed here.
ScriptRun RunOf(const MigrationEntry& m, bool up, std::optional<std::string> checksum = std::nullopt);

struct StatusEntry {
  const MigrationEntry* entry = nullptr;  // null for a recorded version with no file
  std::optional<AppliedMigration> applied;
  bool checksum_mismatch = false;  // applied, and the file changed since
};

struct StatusReport {
  std::vector<StatusEntry> entries;
  std::vector<SumMismatch> sum_problems;
  bool ok() const;  // no mismatch, no sum problem, no unknown version
  int applied_count() const;
  int pending_count() const;
};

struct RunEvent {
  // kRemoved: what an applied destructive down file took away (detail).
  // kNoBackup: why the run needs no backup (detail).
  enum Kind { kAdopted, kBackup, kNoBackup, kApplying, kApplied, kSkipped, kRemoved } kind;
  std::string file;
  std::string detail;
  int64_t duration_ms = 0;
};
using RunListener = std::function<void(const RunEvent&)>;

// How `live`, inspected through `connection`, differs from the schema of
// `tag`, one finding per object, as `dialect` compares them (the declared
// side as the connection would read it back); tables the project ignores
// are left out. Empty when the database is at that tag.
Result<std::vector<DriftItem>> DriftAtTag(Connection& connection, const Dialect& dialect,
                                          const VersionedSchema& schema, const Schema& live, int tag);

// What the runner compares a live database with: adopting one strata did
// not create, baselining, and explaining a failed migration.
struct ExpectedSchema {
  const VersionedSchema& schema;  // with its tables
  const Dialect& dialect;
};

struct UpOptions {
  std::optional<int> tag;              // apply through this tag index
  std::optional<int64_t> to_version;   // apply through this version
  bool allow_destructive = false;
  bool single_transaction = false;
  // A backup file to write first, when a pending file can lose data even
  // when it succeeds (see Runner::Up), or always with `backup_always`.
  std::optional<std::string> backup_to;
  bool backup_always = false;
  // Before anything runs, a database whose schema differs from the tag its
  // history records (changed by hand) is refused with the differences.
  // Needs the expected schema; off for a database without history.
  bool refuse_drift = true;
};

struct DownOptions {
  std::optional<int> steps;            // default 1
  std::optional<int> tag;              // roll back to the end of this tag
  std::optional<int64_t> to_version;   // roll back until this version is the last applied
  bool allow_destructive = false;
  std::optional<std::string> backup_to;
  // As UpOptions::refuse_drift: a database changed by hand is refused.
  bool refuse_drift = true;
};

// Adopting a database whose schema is already that of a tag: its
// migrations are recorded as applied, none is run.
struct BaselineOptions {
  int tag = 0;
};

class Runner {
 public:
  // With `expected`, a database with tables but no history is adopted when
  // its schema is the first tag's (the first migration is recorded, not
  // run), and a failed migration's error says how the database differs from
  // where its history says it is. Without it, adoption is refused.
  Runner(Connection& connection, const std::vector<MigrationEntry>& migrations, const Project& project,
         const MigrationFiles& files, std::optional<ExpectedSchema> expected = std::nullopt)
      : connection_(connection), migrations_(migrations), project_(project), files_(files), expected_(expected) {}

  Result<StatusReport> Status();
  // The files `Up` would run, in order, without running them.
  Result<std::vector<const MigrationEntry*>> Pending(const UpOptions& options);
  strata::Status Up(const UpOptions& options, const RunListener& listener);
  strata::Status Down(const DownOptions& options, const RunListener& listener);
  strata::Status Baseline(const BaselineOptions& options, const RunListener& listener);

 private:
  // Each *.sql file's SHA-256, computed once: the sum file's check and the
  // checksums of applied and pending files share them.
  const FileHashes& Hashes();
  // RunOf with the checksum from Hashes().
  ScriptRun Run(const MigrationEntry& m, bool up);
  StatusReport StatusOf(const std::vector<AppliedMigration>& history);
  std::vector<const MigrationEntry*> PendingOf(const StatusReport& report, const UpOptions& options) const;
  strata::Status Verify(const StatusReport& report);
  strata::Status WithDrift(const strata::Status& failure);
  // Refuses (kRefused, the differences listed, `consequence` saying what
  // could go wrong) a database whose schema is not the tag its `history`
  // records. Ok without an expected schema or a history.
  strata::Status RefuseDrift(const std::vector<AppliedMigration>& history, std::string_view consequence);
  bool AppliedFilesAreStale(int tag) const;
  // DriftAtTag as sentences; one that says it cannot compare without `expected`.
  Result<std::vector<std::string>> Differences(const Schema& live, int tag);
  Connection& connection_;
  const std::vector<MigrationEntry>& migrations_;
  const Project& project_;
  const MigrationFiles& files_;
  std::optional<ExpectedSchema> expected_;
  std::optional<FileHashes> hashes_;
};

}  // namespace strata
