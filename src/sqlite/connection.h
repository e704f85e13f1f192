// The SQLite implementation of Connection: runs migration files statement
// by statement on a dedicated connection, following their structure (see
// script.h) and adding what only a runner can: the history check under the
// write lock, the checksum, duration and texts in the same transaction, errors that
// name the file and line, and a progress callback for long statements.
// Its members live by concept: opening and the forwarding ones in
// connection.cc, running files in apply.cc, the history table in history.cc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "dialect/connection.h"
#include "sqlite/backup.h"
#include "sqlite/database.h"
#include "sqlite/statement_split.h"

namespace strata::sqlite {

class SqliteConnection final : public Connection {
 public:
  // Opens the file; fails on a non-SQLite file, and (unless read-only) on
  // one whose journal could not roll a failed migration back.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, const OpenOptions& options = {});

  Result<std::vector<AppliedMigration>> ReadHistory() override;
  Result<bool> IsEmpty() override;
  Result<int64_t> CountRows(const std::string& table, const std::string& column) override;
  Result<Schema> Inspect() override;
  Result<std::map<std::string, StoredTable>> StoredTables() override;
  Result<Schema> InspectTables(const std::set<std::string>& names) override;
  // Normalised in memory (sqlite::AsInspected): SQLite keeps SQL as written.
  Result<Schema> AsInspected(const Schema& declared) override;
  Result<ApplyOutcome> Apply(const ScriptRun& run) override;
  Status ApplyAll(const std::vector<ScriptRun>& runs) override;
  Status Validate(const ScriptRun& run) override;
  Status RecordApplied(const ScriptRun& run) override;
  Status RerecordApplied(const std::vector<ScriptRun>& runs) override;
  Status Backup(const std::string& destination) override;
  Status Restore(const std::string& source) override;
  Status CreateSchema(const Schema& schema) override;
  std::vector<CheckResult> RunChecks(const Schema& schema, int max_samples) override;
  Result<ExplainReport> Explain(const Schema& schema) override;
  Result<std::vector<TableDigest>> DigestTables(const Schema& schema) override;
  void set_progress(ProgressCallback callback) override { progress_ = std::move(callback); }
  std::vector<std::string> notices() const override;

  Database& database() { return db_; }
  explicit SqliteConnection(Database db) : db_(std::move(db)) {}

 private:
  Result<bool> HasHistoryTable();
  // `table_exists`: the caller made sure of the history table.
  Result<bool> IsRecorded(int64_t version, bool table_exists = false);
  // `statements` are SplitStatements(run.sql), already checked with
  // CheckTransactionStructure.
  Status RunStatements(const ScriptRun& run, const std::vector<ScriptStatement>& statements,
                       bool inside_outer_transaction, bool* already_done);
  // Creates the history table, or adds the columns an older strata's lacks.
  Status EnsureHistoryTable();
  // The history table's columns; empty when there is none.
  Result<std::set<std::string>> HistoryColumns();
  // Writes `run`'s checksum, texts and (when given) duration into its
  // version's row; false when there is no such row. This and InsertRecord
  // need the history table made sure of (EnsureHistoryTable) in the
  // transaction.
  Result<bool> WriteRecord(const ScriptRun& run, std::optional<int64_t> duration_ms);
  // `run`'s whole history row, in one statement.
  Status InsertRecord(const ScriptRun& run, int64_t duration_ms);

  Database db_;
  ProgressCallback progress_;
};

}  // namespace strata::sqlite
