// SqliteConnection applying migration files: statement by statement on its
// own connection, with the history check under the write lock, the
// checksum, duration and texts in the same transaction, and errors that name the
// file and line.
#include <sqlite3.h>

#include <chrono>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"
#include "sqlite/connection.h"
#include "sqlite/progress.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"
#include "sqlite/transaction.h"
#include "sqlite/transaction_structure.h"

namespace strata::sqlite {

// The first row whose foreign key matches no parent, as "table rowid N".
constexpr const char* kFirstViolation =
    "SELECT \"table\" || ' rowid ' || rowid FROM pragma_foreign_key_check LIMIT 1";

namespace {

using Clock = std::chrono::steady_clock;

std::string Excerpt(const std::string& sql) {
  std::string one_line;
  for (char c : Trim(sql)) one_line += (c == '\n' ? ' ' : c);
  return one_line.size() > 160 ? one_line.substr(0, 157) + "..." : one_line;
}

// Restores PRAGMA foreign_keys = ON and legacy_alter_table = OFF when a
// run ends, however it ends.
class ForeignKeysGuard {
 public:
  explicit ForeignKeysGuard(Database& db) : db_(db) {}
  ~ForeignKeysGuard() {
    if (!db_.autocommit()) (void)db_.Exec("ROLLBACK");
    (void)db_.Exec("PRAGMA foreign_keys = ON");
    // A rebuild turns it on around DROP and RENAME; a failure between the
    // two must not leave later renames unable to rewrite foreign keys.
    (void)db_.Exec("PRAGMA legacy_alter_table = OFF");
  }
  ForeignKeysGuard(const ForeignKeysGuard&) = delete;
  ForeignKeysGuard& operator=(const ForeignKeysGuard&) = delete;

 private:
  Database& db_;
};

}  // namespace

Status SqliteConnection::RunStatements(const ScriptRun& run, const std::vector<ScriptStatement>& statements,
                                       bool inside_outer_transaction, bool* already_done) {
  const bool managed = run.own_transaction;
  const auto started = Clock::now();
  const auto fail = [&](const ScriptStatement& s, const Status& status) {
    // A generated file stops a failed check with RAISE(ABORT), which leaves
    // the transaction open and every failure readable until the rollback:
    // all of them are reported, each with what it found.
    if (!db_.autocommit()) {
      Result<std::string> failures = db_.QueryString(
          "SELECT count(*) || (CASE count(*) WHEN 1 THEN ' check' ELSE ' checks' END) || ' failed' || "
          "group_concat(char(10) || '  check ' || check_id || ' failed: ' || what || char(10) || '    found: ' || "
          "detail, '') FROM (SELECT * FROM temp.strata_failure JOIN temp.strata_check USING (check_id) ORDER BY check_id) "
          "HAVING count(*) > 0");
      if (failures.ok() && !failures->empty())
        return Status::Error(status.code(), fmt::format("{}:{}: {}\nnothing was applied", run.file_name, s.line,
                                                        *failures));
    }
    return Status::Error(status.code(), fmt::format("{}:{}: {}\n  statement: {}", run.file_name, s.line,
                                                    status.message().substr(0, status.message().find(" in: ")),
                                                    Excerpt(s.sql)));
  };
  const auto record = [&]() -> Status {
    if (!run.versioned) return Status::Ok();
    const std::string table = QuoteIdentifier(kHistoryTable);
    const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (!run.up) return managed ? Status::Ok() : db_.Exec(fmt::format("DELETE FROM {} WHERE version = {}", table, run.version));
    // The history table is made sure of before a hand-written file's
    // statements and before all files of one transaction; a generated
    // file creates it itself, as an older strata may have (without the
    // text columns).
    if (!managed) return InsertRecord(run, ms);
    if (!inside_outer_transaction)
      if (Status s = EnsureHistoryTable(); !s.ok()) return s;
    Result<bool> written = WriteRecord(run, ms);
    return written.ok() ? Status::Ok() : written.status();
  };
  // Under the write lock: is there still something to do?
  const auto check_done = [&](bool table_exists) -> Status {
    if (!run.versioned) return Status::Ok();
    Result<bool> recorded = IsRecorded(run.version, table_exists);
    if (!recorded.ok()) return recorded.status();
    *already_done = run.up ? *recorded : !*recorded;
    return Status::Ok();
  };

  // strata's own transaction around a hand-written file; a generated file
  // holds its BEGIN and COMMIT in its text, to run the same under sqlite3.
  std::optional<Transaction> around;
  if (!managed && !inside_outer_transaction) {
    Result<Transaction> begun = Transaction::Begin(db_);
    if (!begun.ok()) return begun.status().WithContext(run.file_name);
    around.emplace(std::move(begun.value()));
    if (run.versioned)
      if (Status s = EnsureHistoryTable(); !s.ok()) return s;
    if (Status s = check_done(run.versioned); !s.ok() || *already_done) return s;
  }
  ProgressState progress{&progress_, &run.file_name, nullptr, Clock::now(), {}, 0};
  for (const ScriptStatement& s : statements) {
    if (inside_outer_transaction && managed && (IsBegin(s.sql) || IsCommit(s.sql) || IsForeignKeysPragma(s.sql))) continue;
    if (IsCommit(s.sql) && managed)
      if (Status st = record(); !st.ok()) return fail(s, st);
    std::string excerpt = Excerpt(s.sql);
    progress.statement = &excerpt;
    if (progress_) {
      progress.copy = EstimateCopy(db_, s.sql);
      progress.calls = 0;
      progress.start = Clock::now();
      sqlite3_progress_handler(db_.handle(), kProgressSteps, OnProgress, &progress);
    }
    Status st = db_.Exec(s.sql);
    sqlite3_progress_handler(db_.handle(), 0, nullptr, nullptr);
    if (!st.ok()) return fail(s, st);
    if (IsBegin(s.sql) && managed) {
      if (Status c = check_done(false); !c.ok() || *already_done) return c;
    }
  }
  if (!managed || inside_outer_transaction)
    if (Status s = record(); !s.ok()) return s.WithContext(run.file_name);
  if (around) {
    // A hand-written migration runs with foreign keys on: a row it orphans
    // fails its statement or, under a deferred key, its COMMIT, which
    // leaves the transaction open. Only then is the row looked for, to be
    // named: the check reads every child table, which before every COMMIT
    // cost each file a scan of the database. (Inside one transaction for
    // all files, foreign keys are off and ApplyAll checks once at the end.)
    if (Status s = around->Commit(); !s.ok()) {
      if (!db_.autocommit()) {
        Result<std::string> violation = db_.QueryString(kFirstViolation);
        if (violation.ok() && !violation->empty())
          return Status::Database(fmt::format("{}: leaves a foreign key violation: {}", run.file_name, *violation));
      }
      return s.WithContext(run.file_name);
    }
  }
  return Status::Ok();
}

Result<ApplyOutcome> SqliteConnection::Apply(const ScriptRun& run) {
  if (!db_.autocommit()) return Status::Error(StatusCode::kInternal, "a transaction is already open");
  ForeignKeysGuard guard(db_);
  bool already_done = false;
  const std::vector<ScriptStatement> statements = SplitStatements(run.sql);
  if (Status s = CheckTransactionStructure(run, statements); !s.ok()) return s;
  Status s = RunStatements(run, statements, false, &already_done);
  if (!s.ok()) return s;
  if (already_done) return ApplyOutcome::kAlreadyDone;
  return ApplyOutcome::kApplied;
}

Status SqliteConnection::ApplyAll(const std::vector<ScriptRun>& runs) {
  // Every file is split and checked once, before the transaction begins;
  // inside it, each file costs its own statements and its version row.
  std::vector<std::vector<ScriptStatement>> scripts;
  scripts.reserve(runs.size());
  for (const ScriptRun& run : runs) {
    if (run.outside_transaction)
      return Status::InvalidInput(fmt::format("{}: cannot run inside a single transaction: some of its steps run "
                                              "outside any transaction", run.file_name));
    scripts.push_back(SplitStatements(run.sql));
    if (Status s = CheckTransactionStructure(run, scripts.back()); !s.ok()) return s;
    if (run.own_transaction) continue;
    for (const ScriptStatement& s : scripts.back())
      if (std::string why = TransactionObstacle(s.sql); !why.empty())
        return Status::InvalidInput(fmt::format("{}:{}: cannot run inside a single transaction: {}", run.file_name,
                                                s.line, why));
  }
  ForeignKeysGuard guard(db_);
  if (Status s = db_.Exec("PRAGMA foreign_keys = OFF"); !s.ok()) return s;
  Result<Transaction> all = Transaction::Begin(db_);
  if (!all.ok()) return all.status();
  if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  // Under the write lock, once: which versions are recorded (another process
  // may have got there first).
  std::set<int64_t> recorded;
  {
    Result<Statement> versions = db_.Prepare(fmt::format("SELECT version FROM {}", QuoteIdentifier(kHistoryTable)));
    if (!versions.ok()) return versions.status();
    for (;;) {
      Result<bool> row = versions->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      recorded.insert(versions->Int(0));
    }
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    const ScriptRun& run = runs[i];
    if (run.up == recorded.contains(run.version)) continue;  // already done
    bool already_done = false;
    if (Status s = RunStatements(run, scripts[i], true, &already_done); !s.ok()) return s;
  }
  Result<std::string> violation = db_.QueryString(kFirstViolation);
  if (!violation.ok()) return violation.status();
  if (!violation->empty()) return Status::Database("the migrations leave a foreign key violation: " + *violation);
  return all->Commit();
}

Status SqliteConnection::Validate(const ScriptRun& run) {
  return CheckTransactionStructure(run, SplitStatements(run.sql));
}

}  // namespace strata::sqlite
