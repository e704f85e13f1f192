// The runner: which migrations are applied, which are pending, and applying
// or rolling them back through a Connection. It decides and reports; the
// Connection executes. Never prints: callers pass a listener.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
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
  const AppliedMigration* applied = nullptr;  // its row in StatusReport::history, null when pending
  bool checksum_mismatch = false;  // applied, and the file changed since
  int64_t version() const;
  // Why `down` runs the down text the history recorded rather than the
  // file (it was edited since, or is gone); nullopt when the file serves,
  // or when the history holds no text (an older strata's row).
  std::optional<std::string> RecordedDownReason() const;
};

struct StatusReport {
  StatusReport() = default;
  // The entries point into `history`: a copy would point into the original.
  StatusReport(const StatusReport&) = delete;
  StatusReport& operator=(const StatusReport&) = delete;
  StatusReport(StatusReport&&) = default;
  StatusReport& operator=(StatusReport&&) = default;

  std::vector<AppliedMigration> history;  // as read, in version order
  std::vector<StatusEntry> entries;
  std::vector<SumMismatch> sum_problems;
  bool ok() const;  // no mismatch, no sum problem, no unknown version
  int applied_count() const;
  int pending_count() const;
};

// The ways out of `e`'s checksum mismatch (or of its missing file), one
// sentence each with the command: restore the file, re-record it after a
// review (`strata repair`), or roll it back with the recorded down text.
// Empty when `e` has neither problem. `migrations_dir` is the folder as the
// user named it, for the paths shown.
std::vector<std::string> WaysOut(const StatusReport& report, const StatusEntry& e, const std::string& migrations_dir);

struct RunEvent {
  // kRemoved: what an applied destructive down file took away (detail).
  // kNoBackup: why the run needs no backup (detail).
  // kRecordedText: a down ran the text recorded at apply; detail says why.
  enum Kind { kAdopted, kBackup, kNoBackup, kApplying, kApplied, kSkipped, kRemoved, kRecordedText } kind;
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

// `strata repair`: which applied migrations to re-record.
struct RepairOptions {
  // Up or down file names (a path counts by its last part); empty: every
  // applied migration whose files changed since.
  std::vector<std::string> files;
  bool dry_run = false;  // say what would change, change nothing
};

// What repair re-records (or would) for one applied migration.
struct RepairItem {
  std::string file;  // its up file
  int64_t version = 0;
  std::vector<std::string> changes;  // one phrase each; empty: nothing changed
};

struct RepairReport {
  std::vector<RepairItem> items;
  // What the sum file still says about the files: repair leaves files alone.
  std::vector<SumMismatch> sum_problems;
  bool changes() const;
};

// A database with tables and no history, against the project's tags.
struct Adoption {
  std::optional<int> tag;  // the tag whose schema the database has
  bool by_up = false;      // that tag is the first migration's: `strata up` adopts it
  // Otherwise: the tag it differs least from, and how.
  int nearest_tag = 0;
  std::vector<std::string> differences;
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
  // Re-records the checksum and texts of applied migrations whose files
  // were edited after a review (Flyway's repair); the database's schema is
  // not touched. kInvalidInput for a file that is not an applied migration.
  Result<RepairReport> Repair(const RepairOptions& options);
  // For a database with tables and no history: whether `up` or `baseline`
  // can adopt it as it is. nullopt when the database is empty or has a
  // history. Needs the expected schema.
  Result<std::optional<Adoption>> AssessAdoption();

 private:
  // Each *.sql file's SHA-256, computed once: the sum file's check and the
  // checksums of applied and pending files share them.
  const FileHashes& Hashes();
  // RunOf with the checksum from Hashes().
  ScriptRun Run(const MigrationEntry& m, bool up);
  StatusReport StatusOf(std::vector<AppliedMigration> history);
  std::vector<const MigrationEntry*> PendingOf(const StatusReport& report, const UpOptions& options) const;
  // Refuses edited, missing or unsummed files, except those of the
  // versions in `around` (which `down` rolls back from recorded text).
  strata::Status Verify(const StatusReport& report, const std::set<int64_t>& around = {});
  strata::Status WithDrift(const strata::Status& failure);
  // Refuses (kRefused, the differences listed, `consequence` saying what
  // could go wrong) a database whose schema is not the tag its `history`
  // records. Ok without an expected schema or a history.
  // `report` is the status the run read: its applied rows are the history.
  strata::Status RefuseDrift(const StatusReport& report, std::string_view consequence);
  bool AppliedFilesAreStale(int tag) const;
  // The tag whose schema the database has by its history: that of the last
  // applied migration when strata generated it; nothing after a
  // hand-written one, whose changes the YAML does not describe (it carries
  // the tag of the generated file after it).
  std::optional<int> RecordedTag(const AppliedMigration& last) const;
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
