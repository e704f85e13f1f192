// The PostgreSQL implementation of Connection, over one libpq session.
//
// Files whose head says they manage their own transaction (every generated
// file; see plan/migration_header.h) are self-contained: they hold their own BEGIN/COMMIT, version guards and
// history row, and may end with steps that must run outside a transaction
// (CREATE INDEX CONCURRENTLY) after COMMIT. The connection writes their
// history row with its checksum and texts in place of the file's own INSERT. Hand-written
// files (no header) run inside a transaction the connection opens, and the
// connection writes their history row. Files with steps outside the
// transaction cannot join ApplyAll's single transaction and are refused by
// name.
//
// Every file runs under a session advisory lock (kLockKey), so concurrent
// runners apply each migration once; the history is read once when the
// lock is taken. A file's transaction part goes to the server as one
// simple-query message (up to kMessageBytes; a larger file in several),
// so a small file costs one round trip; the statement that failed is known
// from how many completed before it.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "dialect/connection.h"
#include "postgres/pg.h"
#include "postgres/splitter.h"

namespace strata::postgres {

class PostgresConnection final : public Connection {
 public:
  // `target` is a libpq URL or conninfo string, passed to libpq unchanged.
  // With `options.read_only`, every transaction of the session is read-only.
  // The database itself must exist (`options.create` cannot create one).
  static Result<std::unique_ptr<PostgresConnection>> Open(const std::string& target, const OpenOptions& options = {});

  Result<std::vector<AppliedMigration>> ReadHistory() override;
  Result<bool> IsEmpty() override;
  Result<int64_t> CountRows(const std::string& table, const std::string& column) override;
  // The current schema (search_path), from pg_catalog; see inspect.h.
  Result<Schema> Inspect() override;
  // Created in a scratch schema inside a transaction that is rolled back,
  // and inspected there: the server spells the expressions.
  Result<Schema> AsInspected(const Schema& declared) override;
  Result<ApplyOutcome> Apply(const ScriptRun& run) override;
  Status ApplyAll(const std::vector<ScriptRun>& runs) override;
  // The session advisory lock (kLockKey) until the returned lock goes.
  Result<std::unique_ptr<RunLock>> LockRun() override;
  Status Validate(const ScriptRun& run) override;
  Status RecordApplied(const ScriptRun& run) override;
  // Under the run lock, in one transaction.
  Status RerecordApplied(const std::vector<ScriptRun>& runs) override;
  // pg_dump --format=custom of the whole database into `destination`.
  Status Backup(const std::string& destination) override;
  // pg_restore --clean --if-exists --single-transaction of such a dump.
  Status Restore(const std::string& source) override;
  Status CreateSchema(const Schema& schema) override;
  // The database's health (INVALID indexes, NOT VALID constraints), then
  // the schema's orphan and data checks, in one read-only transaction (see
  // postgres/checks.h).
  std::vector<CheckResult> RunChecks(const Schema& schema, int max_samples) override;
  // Each declared query's generic plan, missing and redundant indexes (see
  // postgres/explain.h). Commits nothing; a suggested index is built in a
  // transaction that is rolled back, which blocks writes to its table
  // meanwhile.
  Result<ExplainReport> Explain(const Schema& schema) override;
  // Progress is not reported on PostgreSQL yet; the callback is kept.
  void set_progress(ProgressCallback callback) override { progress_ = std::move(callback); }

  PgSession& session() { return session_; }

 private:
  class SessionLock;
  PostgresConnection(PgSession session, std::string target) : session_(std::move(session)), target_(std::move(target)) {}
  // Fills applied_ from the history table (none: empty).
  Status ReadApplied();
  // The run lock, and a transaction begun with the history table there and
  // up to date (one round trip); on failure nothing is left open.
  Result<std::unique_ptr<RunLock>> LockAndBeginWithHistory();
  // applied_ after `run` changed the history, while the lock is held.
  void Recorded(const ScriptRun& run);
  Status Validate(const ScriptRun& run, const std::vector<SqlStatement>& statements);
  Status Run(const ScriptRun& run, const std::vector<SqlStatement>& statements, bool inside_outer_transaction);
  Status Lock();
  // UpgradeHistoryTableSql() and "; " before a write, unless the table is
  // known to have the columns.
  std::string UpgradeBeforeWrite() const;
  void Unlock();

  PgSession session_;
  std::string target_;
  ProgressCallback progress_;
  bool run_locked_ = false;      // a SessionLock is held
  bool history_exists_ = false;  // seen once, the history table stays
  bool history_has_texts_ = false;  // its up_sql and down_sql columns, likewise
  // The applied versions while the lock is held: no runner that honours
  // it changes them behind this one's back.
  std::set<int64_t> applied_;
  // A file may have set lock_timeout or statement_timeout since the last
  // RESET: the next file, or the lock's release, resets them.
  bool settings_set_ = false;
};

}  // namespace strata::postgres
