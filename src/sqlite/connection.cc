#include "sqlite/connection.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "sqlite/checks.h"
#include "sqlite/create.h"
#include "sqlite/explain.h"
#include "sqlite/inspect.h"
#include "sqlite/script.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

using Clock = std::chrono::steady_clock;

std::string Normalized(const std::string& sql) {
  std::string out;
  bool space = false;
  for (char c : Trim(sql)) {
    if (c == ';') continue;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsBegin(const std::string& n) { return n == "BEGIN" || n.starts_with("BEGIN "); }
bool IsCommit(const std::string& n) { return n == "COMMIT" || n == "END" || n.starts_with("COMMIT ") || n.starts_with("END "); }
bool IsForeignKeysPragma(const std::string& n) { return n.starts_with("PRAGMA FOREIGN_KEYS"); }

// Statements that cannot run inside the single transaction of ApplyAll.
std::string TransactionObstacle(const std::string& n) {
  if (IsBegin(n) || IsCommit(n) || n.starts_with("ROLLBACK") || n.starts_with("SAVEPOINT") ||
      n.starts_with("RELEASE"))
    return "it manages its own transaction";
  if (n.starts_with("VACUUM")) return "VACUUM cannot run inside a transaction";
  if (IsForeignKeysPragma(n)) return "PRAGMA foreign_keys has no effect inside a transaction";
  if (n.starts_with("PRAGMA JOURNAL_MODE")) return "the journal mode cannot change inside a transaction";
  return {};
}

// A hand-written file runs inside strata's transaction: its own BEGIN or
// COMMIT would end it early (a partial commit, a file never recorded).
// A file whose head says it manages its own transaction (a generated one)
// must have the structure it claims: a BEGIN, then a COMMIT.
Status CheckTransactionStructure(const ScriptRun& run, const std::vector<ScriptStatement>& statements) {
  if (run.own_transaction) {
    bool begun = false, committed = false;
    for (const ScriptStatement& s : statements) {
      const std::string n = Normalized(s.sql);
      committed = committed || (begun && IsCommit(n));
      begun = begun || IsBegin(n);
    }
    if (begun && committed) return Status::Ok();
    return Status::InvalidInput(fmt::format("{}: its head says it manages its own transaction, but it has no "
                                            "BEGIN followed by COMMIT; restore the generated file or remove the "
                                            "`-- strata:` line", run.file_name));
  }
  for (const ScriptStatement& s : statements)
    if (TransactionObstacle(Normalized(s.sql)) == "it manages its own transaction")
      return Status::InvalidInput(fmt::format("{}:{}: a hand-written migration must not manage its own "
                                              "transaction (strata runs each file in one); remove this statement",
                                              run.file_name, s.line));
  return Status::Ok();
}

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

// For a copy (`INSERT INTO ... SELECT ... FROM source`): the rows of the
// source, and the virtual machine steps one row takes, which are the
// instructions of the loop in the statement's EXPLAIN (Rewind to its Next).
struct CopyEstimate {
  int64_t rows = 0;
  int64_t steps_per_row = 0;
};

CopyEstimate EstimateCopy(Database& db, const std::string& sql) {
  const std::vector<SqlToken> tokens = TokenizeSql(sql);
  if (tokens.size() < 4 || !tokens[0].IsWord("INSERT")) return {};
  std::string source;
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (tokens[i].depth == 0 && tokens[i].IsWord("FROM") && tokens[i + 1].type == SqlToken::kIdent)
      source = tokens[i + 1].text;
  if (source.empty()) return {};
  CopyEstimate estimate;
  Result<int64_t> rows = db.QueryInt("SELECT count(*) FROM " + QuoteIdentifier(source));
  Result<Statement> plan = db.Prepare("EXPLAIN " + sql);
  if (!rows.ok() || !plan.ok()) return {};
  int64_t loop_start = -1;
  for (;;) {
    Result<bool> row = plan->Step();
    if (!row.ok() || !*row) break;
    const std::string opcode = plan->Text(1);
    const int64_t address = plan->Int(0), jump = plan->Int(3);
    if (loop_start < 0 && (opcode == "Rewind" || opcode == "Last")) loop_start = address;
    if (loop_start >= 0 && (opcode == "Next" || opcode == "Prev") && jump > loop_start && jump <= address)
      estimate.steps_per_row = address - loop_start;
  }
  if (estimate.steps_per_row <= 0) return {};
  estimate.rows = *rows;
  return estimate;
}

// SQLite calls the handler once every kProgressSteps virtual machine steps
// (the statement's own step counter is only updated when a step returns).
constexpr int kProgressSteps = 100000;

struct ProgressState {
  const ProgressCallback* callback;
  const std::string* file;
  const std::string* statement;
  Clock::time_point start;
  CopyEstimate copy;
  int64_t calls = 0;
};

int OnProgress(void* arg) {
  auto* state = static_cast<ProgressState*>(arg);
  std::chrono::duration<double> elapsed = Clock::now() - state->start;
  Progress progress{*state->file, *state->statement, elapsed.count(), 0, state->copy.rows};
  ++state->calls;
  if (state->copy.steps_per_row > 0)
    progress.rows_done = std::min(state->copy.rows, state->calls * kProgressSteps / state->copy.steps_per_row);
  (*state->callback)(progress);
  return 0;
}

}  // namespace

std::vector<ScriptStatement> SplitStatements(const std::string& script) {
  std::vector<ScriptStatement> out;
  std::string current;
  int line = 1, start_line = 1;
  bool started = false;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (!started && !std::isspace(static_cast<unsigned char>(c))) {
      // Skip whole-line comments before a statement.
      if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
        while (i < script.size() && script[i] != '\n') ++i;
        ++line;
        continue;
      }
      started = true;
      start_line = line;
    }
    if (started) current += c;
    if (c == '\n') ++line;
    if (c == ';' && sqlite3_complete(current.c_str())) {
      out.push_back({current, start_line});
      current.clear();
      started = false;
    }
  }
  if (!std::string(Trim(current)).empty()) out.push_back({current, start_line});
  return out;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, const OpenOptions& options) {
  if (!options.create && path != ":memory:" && !PathExists(path))
    return Status::Error(StatusCode::kNotFound, fmt::format("database \"{}\" not found", path));
  Result<Database> db = Database::Open(path, options.read_only ? Database::Mode::kReadOnly
                                             : options.create  ? Database::Mode::kReadWriteCreate
                                                               : Database::Mode::kReadWrite);
  if (!db.ok()) return db.status();
  sqlite3_busy_timeout(db->handle(), options.busy_timeout_ms);
  // Reading the schema fails fast on a file that is not a database.
  if (Result<int64_t> n = db->QueryInt("SELECT count(*) FROM sqlite_schema"); !n.ok())
    return n.status().WithContext(path);
  Result<std::string> journal = db->QueryString("PRAGMA journal_mode");
  // An in-memory database (`plan` of a file that does not exist yet) is
  // journalled in memory and never migrated for real.
  if (journal.ok() && !options.read_only && path != ":memory:" && (*journal == "off" || *journal == "memory"))
    return Status::Error(StatusCode::kNotSupported,
                         fmt::format("{}: journal_mode is {}; a failed migration could not be rolled back", path,
                                     *journal));
  return std::make_unique<SqliteConnection>(std::move(db.value()));
}

Result<std::vector<AppliedMigration>> SqliteConnection::ReadHistory() {
  std::vector<AppliedMigration> out;
  Result<bool> exists = HasHistoryTable();
  if (!exists.ok()) return exists.status();
  if (!*exists) return out;
  Result<Statement> stmt = db_.Prepare(fmt::format(
      "SELECT version, name, tag, coalesce(checksum, ''), applied_at, coalesce(duration_ms, 0) FROM {} ORDER BY version",
      QuoteIdentifier(kHistoryTable)));
  if (!stmt.ok()) return stmt.status();
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Int(5)});
  }
  return out;
}

Result<bool> SqliteConnection::IsEmpty() {
  Result<int64_t> n = db_.QueryInt(fmt::format(
      "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> {}",
      QuoteString(kHistoryTable)));
  if (!n.ok()) return n.status();
  return *n == 0;
}

Result<Schema> SqliteConnection::Inspect() { return InspectSchema(db_, {std::string(kHistoryTable)}); }

Result<Schema> SqliteConnection::AsInspected(const Schema& declared) { return sqlite::AsInspected(declared); }

Status SqliteConnection::EnsureHistoryTable() { return db_.Exec(CreateHistoryTableSql()); }

Result<bool> SqliteConnection::HasHistoryTable() {
  Result<int64_t> n = db_.QueryInt(fmt::format(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = {}", QuoteString(kHistoryTable)));
  if (!n.ok()) return n.status();
  return *n > 0;
}

Result<bool> SqliteConnection::IsRecorded(int64_t version) {
  Result<bool> exists = HasHistoryTable();
  if (!exists.ok() || !*exists) return exists;
  Result<int64_t> n =
      db_.QueryInt(fmt::format("SELECT count(*) FROM {} WHERE version = {}", QuoteIdentifier(kHistoryTable), version));
  if (!n.ok()) return n.status();
  return *n > 0;
}

Status SqliteConnection::RunStatements(const ScriptRun& run, const std::vector<ScriptStatement>& statements,
                                       bool inside_outer_transaction, bool* already_done) {
  const bool managed = run.own_transaction;
  const auto started = Clock::now();
  const auto fail = [&](const ScriptStatement& s, const Status& status) {
    std::string message = fmt::format("{}:{}: {}\n  statement: {}", run.file_name, s.line,
                                      status.message().substr(0, status.message().find(" in: ")), Excerpt(s.sql));
    // A failed precheck stops with RAISE(ABORT), which leaves the
    // transaction open and the offending rows readable until the rollback.
    if (!db_.autocommit()) {
      Result<std::string> rows = db_.QueryString("SELECT detail FROM temp.strata_failure ORDER BY check_id LIMIT 1");
      if (rows.ok() && !rows->empty()) message += "\n  offending rows: " + *rows;
    }
    return Status::Error(status.code(), message);
  };
  const auto record = [&]() -> Status {
    if (!run.versioned) return Status::Ok();
    const std::string table = QuoteIdentifier(kHistoryTable);
    const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (!run.up) return managed ? Status::Ok() : db_.Exec(fmt::format("DELETE FROM {} WHERE version = {}", table, run.version));
    if (!managed)
      if (Status s = db_.Exec(fmt::format("INSERT INTO {} (version, name, tag) VALUES ({}, {}, {})", table, run.version,
                                          QuoteString(run.name), QuoteString(run.tag)));
          !s.ok())
        return s;
    return db_.Exec(fmt::format("UPDATE {} SET checksum = {}, duration_ms = {} WHERE version = {}", table,
                                QuoteString(run.checksum), ms, run.version));
  };
  // Under the write lock: is there still something to do?
  const auto check_done = [&]() -> Status {
    if (!run.versioned) return Status::Ok();
    Result<bool> recorded = IsRecorded(run.version);
    if (!recorded.ok()) return recorded.status();
    *already_done = run.up ? *recorded : !*recorded;
    return Status::Ok();
  };

  if (!managed && !inside_outer_transaction) {
    if (Status s = db_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s.WithContext(run.file_name);
    if (Status s = check_done(); !s.ok() || *already_done) return s;
    if (run.versioned)
      if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  }
  ProgressState progress{&progress_, &run.file_name, nullptr, Clock::now(), {}, 0};
  for (const ScriptStatement& s : statements) {
    const std::string n = Normalized(s.sql);
    if (inside_outer_transaction && managed && (IsBegin(n) || IsCommit(n) || IsForeignKeysPragma(n))) continue;
    if (IsCommit(n) && managed)
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
    if (IsBegin(n) && managed) {
      if (Status c = check_done(); !c.ok() || *already_done) return c;
    }
  }
  if (!managed || inside_outer_transaction)
    if (Status s = record(); !s.ok()) return s.WithContext(run.file_name);
  if (!managed) {
    // A hand-written migration runs with foreign keys on; still, say which
    // rows it left orphaned rather than letting COMMIT fail vaguely.
    Result<std::string> violation = db_.QueryString("SELECT \"table\" || ' rowid ' || rowid FROM pragma_foreign_key_check LIMIT 1");
    if (!violation.ok()) return violation.status().WithContext(run.file_name);
    if (!violation->empty())
      return Status::Database(fmt::format("{}: leaves a foreign key violation: {}", run.file_name, *violation));
    if (!inside_outer_transaction)
      if (Status s = db_.Exec("COMMIT"); !s.ok()) return s.WithContext(run.file_name);
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
      if (std::string why = TransactionObstacle(Normalized(s.sql)); !why.empty())
        return Status::InvalidInput(fmt::format("{}:{}: cannot run inside a single transaction: {}", run.file_name,
                                                s.line, why));
  }
  ForeignKeysGuard guard(db_);
  if (Status s = db_.Exec("PRAGMA foreign_keys = OFF"); !s.ok()) return s;
  if (Status s = db_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
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
  Result<std::string> violation = db_.QueryString("SELECT \"table\" || ' rowid ' || rowid FROM pragma_foreign_key_check LIMIT 1");
  if (!violation.ok()) return violation.status();
  if (!violation->empty()) return Status::Database("the migrations leave a foreign key violation: " + *violation);
  return db_.Exec("COMMIT");
}

Status SqliteConnection::Validate(const ScriptRun& run) {
  return CheckTransactionStructure(run, SplitStatements(run.sql));
}

Status SqliteConnection::RecordApplied(const ScriptRun& run) {
  if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  return db_.Exec(fmt::format("INSERT INTO {} (version, name, tag, checksum, duration_ms) VALUES ({}, {}, {}, {}, 0)",
                              QuoteIdentifier(kHistoryTable), run.version, QuoteString(run.name), QuoteString(run.tag),
                              QuoteString(run.checksum)));
}

Status CopyDatabase(const std::string& source, const std::string& destination) {
  Result<Database> from = Database::Open(source, Database::Mode::kReadOnly);
  if (!from.ok()) return from.status();
  Result<Database> to = Database::Open(destination, Database::Mode::kReadWriteCreate);
  if (!to.ok()) return to.status();
  sqlite3_backup* backup = sqlite3_backup_init(to->handle(), "main", from->handle(), "main");
  if (!backup) return to->LastError("backup");
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return to->LastError("backup");
  return Status::Ok();
}

Status BackupToNewFile(const std::string& source, const std::string& destination) {
  // Copied under a name no prune or restore would take for a backup, made
  // durable, and only then renamed: a failure leaves no partial backup.
  const std::string partial = destination + ".partial";
  const auto discard = [&] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    std::filesystem::remove(partial + "-journal", ignored);
  };
  discard();
  if (Status s = CopyDatabase(source, partial); !s.ok()) {
    discard();
    return s;
  }
  if (Status s = SyncPath(partial); !s.ok()) {
    discard();
    return s;
  }
  std::error_code error;
  if (std::filesystem::exists(destination, error)) {
    discard();
    return Status::IOError(fmt::format("backup \"{}\" already exists", destination));
  }
  std::filesystem::rename(partial, destination, error);
  if (error) {
    discard();
    return Status::IOError(fmt::format("cannot rename {}: {}", partial, error.message()));
  }
  return SyncPath(std::filesystem::path(destination).parent_path().string());
}

Status SqliteConnection::Backup(const std::string& destination) { return BackupToNewFile(db_.path(), destination); }

Status SqliteConnection::Restore(const std::string& source) { return CopyDatabase(source, db_.path()); }

Status SqliteConnection::CreateSchema(const Schema& schema) { return sqlite::CreateSchema(db_, schema); }

std::vector<CheckResult> SqliteConnection::RunChecks(const Schema& schema, int max_samples) {
  std::vector<IntegrityCheck> checks = BuildChecks(schema);
  checks.insert(checks.begin(), FileStructureCheck());
  return sqlite::RunChecks(db_, checks, max_samples);
}

Result<ExplainReport> SqliteConnection::Explain(const Schema& schema) { return sqlite::Explain(db_, schema); }

std::vector<std::string> SqliteConnection::notices() const {
  if (!db_.recovered_hot_journal()) return {};
  return {"rolled back the changes of a write that was interrupted"};
}

}  // namespace strata::sqlite
