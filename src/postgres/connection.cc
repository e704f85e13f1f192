#include "postgres/connection.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "dialect/statement_kind.h"
#include "diff/differ.h"
#include "postgres/checks.h"
#include "postgres/explain.h"
#include "postgres/history.h"
#include "postgres/inspect.h"
#include "postgres/planner.h"

extern char** environ;

namespace strata::postgres {

namespace {

using Clock = std::chrono::steady_clock;

std::string Excerpt(const std::string& sql) {
  std::string one = OneLine(sql);
  return one.size() > 200 ? one.substr(0, 200) + "..." : one;
}

bool IsBegin(const SqlStatement& s) { return TransactionControlOf(s.sql) == TransactionControl::kBegin; }
bool IsCommit(const SqlStatement& s) { return TransactionControlOf(s.sql) == TransactionControl::kCommit; }

// Index of the first statement after the top-level COMMIT, or size().
size_t OutsideTransactionStart(const std::vector<SqlStatement>& statements) {
  for (size_t i = 0; i < statements.size(); ++i)
    if (IsCommit(statements[i])) return i + 1;
  return statements.size();
}

// Why a statement cannot run inside a transaction block, or "".
std::string TransactionObstacle(const SqlStatement& s) {
  const std::string w = LeadingWords(s.sql, 4);
  // A savepoint nests inside the transaction strata opens.
  if (const TransactionControl c = TransactionControlOf(s.sql); c != TransactionControl::kNone && c != TransactionControl::kSavepoint)
    return "it manages its own transaction (" + w + ")";
  const bool concurrently = (w.starts_with("CREATE") || w.starts_with("DROP") || w.starts_with("REINDEX")) &&
                            w.find("CONCURRENTLY") != std::string::npos;
  if (concurrently || w.starts_with("VACUUM") || w.starts_with("CREATE DATABASE") || w.starts_with("DROP DATABASE") ||
      w.starts_with("ALTER SYSTEM") || w.starts_with("CREATE TABLESPACE") || w.starts_with("DROP TABLESPACE"))
    return "PostgreSQL cannot run " + w + " inside a transaction block";
  return "";
}

// "none" without a history table, "old" for one an older strata created
// (without the recorded texts), "current" otherwise.
std::string HistoryShapeSql() {
  const std::string table = QuoteLiteral(QuoteIdent(kHistoryTable));
  return fmt::format(
      "SELECT CASE WHEN to_regclass({0}) IS NULL THEN 'none' WHEN EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = "
      "to_regclass({0}) AND attname = 'down_sql' AND NOT attisdropped) THEN 'current' ELSE 'old' END",
      table);
}

std::string TextOrNull(const std::optional<std::string>& text) { return text ? QuoteLiteral(*text) : "NULL"; }

// Whether a COPY statement streams its rows through the client (psql sends
// the lines after `COPY ... FROM STDIN` as data; strata has none to send).
bool CopiesThroughClient(const SqlStatement& s) {
  if (LeadingWords(s.sql, 1) != "COPY") return false;
  const std::string text = AsciiUpper(s.sql);
  std::vector<std::string> words(1);
  for (char c : text) {
    if ((c >= 'A' && c <= 'Z') || c == '_') {
      words.back() += c;
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  for (size_t i = 0; i + 1 < words.size(); ++i)
    if ((words[i] == "FROM" && words[i + 1] == "STDIN") || (words[i] == "TO" && words[i + 1] == "STDOUT")) return true;
  return false;
}

// Whether the file may change the session's lock_timeout or
// statement_timeout (a SET, set_config), which must not reach later files.
bool SetsTimeouts(const std::vector<SqlStatement>& statements) {
  for (const SqlStatement& s : statements) {
    const std::string lower = AsciiLower(s.sql);
    if (lower.find("lock_timeout") != std::string::npos || lower.find("statement_timeout") != std::string::npos)
      return true;
  }
  return false;
}

// A file's transaction goes to the server as few simple-query messages of
// at most this size (a statement longer than it goes alone): one round
// trip for a small file, and a bounded query text for the server to parse.
constexpr size_t kMessageBytes = size_t{1} << 20;

// The history row a message writes: a plain INSERT, which fails on the
// version's key if another process recorded it, or an upsert that adds
// the checksum to the row a file wrote itself in some other form.
enum class HistoryRow { kNone, kInsert, kUpsert };

// One statement of a message: the file's statement at `statement`, or
// strata's own SQL (kOwn).
struct MessagePart {
  static constexpr size_t kOwn = static_cast<size_t>(-1);
  std::string sql;
  size_t statement = kOwn;
  HistoryRow row = HistoryRow::kNone;  // rendered when its message is sent
};

}  // namespace

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const std::string& target, const OpenOptions& options) {
  Result<PgSession> session = PgSession::Connect(target);
  if (!session.ok()) return session.status();
  if (options.read_only)
    if (Status s = session->Exec("SET default_transaction_read_only = on"); !s.ok()) return s;
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(std::move(session.value()), target));
}

Result<std::vector<AppliedMigration>> PostgresConnection::ReadHistory() {
  std::vector<AppliedMigration> out;
  Result<std::string> shape = session_.QueryString(HistoryShapeSql());
  if (!shape.ok()) return shape.status();
  if (*shape == "none") return out;
  if (*shape == "current") history_has_texts_ = true;
  Result<PgResult> rows = session_.Query(fmt::format(
      "SELECT version, name, tag, coalesce(checksum, ''), "
      "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), coalesce(duration_ms, 0), {} "
      "FROM {} ORDER BY version",
      *shape == "current" ? "up_sql, down_sql" : "NULL::text, NULL::text", QuoteIdent(kHistoryTable)));
  if (!rows.ok()) return rows.status();
  for (int r = 0; r < rows->rows(); ++r) {
    const auto text = [&](int c) { return rows->IsNull(r, c) ? std::nullopt : std::optional<std::string>(rows->Text(r, c)); };
    out.push_back({std::stoll(rows->Text(r, 0)), rows->Text(r, 1), rows->Text(r, 2), rows->Text(r, 3), rows->Text(r, 4),
                   std::stoll(rows->Text(r, 5)), text(6), text(7)});
  }
  return out;
}

Result<bool> PostgresConnection::IsEmpty() {
  Result<std::string> n = session_.QueryString(fmt::format(
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
      "AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> {}",
      QuoteLiteral(kHistoryTable)));
  if (!n.ok()) return n.status();
  return *n == "0";
}

Result<int64_t> PostgresConnection::CountRows(const std::string& table, const std::string& column) {
  Result<std::string> n = session_.QueryString(fmt::format(
      "SELECT count({}) FROM {}", column.empty() ? "*" : QuoteIdent(column), QuoteIdent(table)));
  if (!n.ok()) return n.status();
  return std::stoll(*n);
}

Result<Schema> PostgresConnection::Inspect() { return InspectSchema(session_); }

Result<Schema> PostgresConnection::AsInspected(const Schema& declared) {
  return postgres::AsInspected(session_, declared);
}

// The versions applied, read once under the run's lock: no other runner
// writes the history until it is released.
Status PostgresConnection::ReadApplied() {
  applied_.clear();
  if (!history_exists_) {
    Result<std::string> shape = session_.QueryString(HistoryShapeSql());
    if (!shape.ok()) return shape.status();
    if (*shape == "none") return Status::Ok();
    history_exists_ = true;
    history_has_texts_ = *shape == "current";
  }
  Result<PgResult> rows = session_.Query(fmt::format("SELECT version FROM {}", QuoteIdent(kHistoryTable)));
  if (!rows.ok()) return rows.status();
  for (int r = 0; r < rows->rows(); ++r) applied_.insert(std::stoll(rows->Text(r, 0)));
  return Status::Ok();
}

// Releases the session advisory lock (and the settings the last file made)
// when the run ends.
class PostgresConnection::SessionLock final : public RunLock {
 public:
  explicit SessionLock(PostgresConnection& c) : c_(c) {}
  ~SessionLock() override {
    c_.run_locked_ = false;
    c_.Unlock();
  }
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

 private:
  PostgresConnection& c_;
};

Result<std::unique_ptr<RunLock>> PostgresConnection::LockRun() {
  if (run_locked_) return std::make_unique<RunLock>();  // the run's lock already covers it
  if (Status s = Lock(); !s.ok()) return s;
  if (Status s = ReadApplied(); !s.ok()) {
    Unlock();
    return s;
  }
  run_locked_ = true;
  return std::unique_ptr<RunLock>(std::make_unique<SessionLock>(*this));
}

// Polls pg_try_advisory_lock rather than waiting in pg_advisory_lock: a
// statement waiting for the lock holds a snapshot, and CREATE INDEX
// CONCURRENTLY in the lock holder's file waits for every older snapshot,
// so a blocking wait would deadlock the two.
Status PostgresConnection::Lock() {
  const std::string sql = fmt::format("SELECT pg_try_advisory_lock({})", kLockKey);
  for (int wait_ms = 5;; wait_ms = std::min(wait_ms * 2, 200)) {
    Result<std::string> got = session_.QueryString(sql);
    if (!got.ok()) return got.status();
    if (*got == "t") return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
}

void PostgresConnection::Unlock() {
  // Session settings a file made (lock_timeout, statement_timeout) end with
  // the run, in the same round trip.
  const std::string unlock = fmt::format("SELECT pg_advisory_unlock({})", kLockKey);
  (void)session_.Exec(settings_set_ ? "RESET lock_timeout; RESET statement_timeout; " + unlock : unlock);
  settings_set_ = false;
  applied_.clear();
}

Status PostgresConnection::Run(const ScriptRun& run, const std::vector<SqlStatement>& statements,
                               bool inside_outer_transaction) {
  const bool managed = run.own_transaction;
  const size_t outside_start = managed ? OutsideTransactionStart(statements) : statements.size();
  const auto started = Clock::now();
  const std::string history = QuoteIdent(kHistoryTable);
  const bool record_up = run.versioned && run.up;
  const auto fail = [&](size_t index, const Status& status) {
    const SqlStatement& s = statements[index];
    const bool committed = managed && index >= outside_start && outside_start < statements.size();
    if (session_.in_transaction() && !inside_outer_transaction) (void)session_.Exec("ROLLBACK");
    std::string message = fmt::format("{}:{}: {}\n  statement: {}", run.file_name, s.line, status.message(), Excerpt(s.sql));
    if (committed)
      message += fmt::format(
          "\n  the transaction part of {} is committed and recorded; the steps after its COMMIT are idempotent: "
          "run them again once the cause is fixed",
          run.file_name);
    return Status::Error(status.code(), message);
  };
  // The history row with the checksum and the texts; its duration is the
  // time the earlier messages took plus the server's time on this one so far.
  const auto history_row = [&](HistoryRow row, int64_t ms_before) {
    std::string sql = fmt::format(
        "INSERT INTO {0} (version, name, tag, checksum, duration_ms, up_sql, down_sql) VALUES ({1}, {2}, {3}, {4}, "
        "{5} + (extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::bigint, {6}, {7})",
        history, run.version, QuoteLiteral(run.name), QuoteLiteral(run.tag), QuoteLiteral(run.checksum), ms_before,
        QuoteLiteral(run.sql), TextOrNull(run.down_sql));
    if (row == HistoryRow::kUpsert)
      sql += " ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, duration_ms = EXCLUDED.duration_ms, "
             "up_sql = EXCLUDED.up_sql, down_sql = EXCLUDED.down_sql";
    return sql;
  };

  // The transaction part: BEGIN, the statements, the history row and
  // COMMIT, sent together (see kMessageBytes).
  std::vector<MessagePart> parts;
  const auto own = [&](std::string sql, HistoryRow row = HistoryRow::kNone) {
    parts.push_back({std::move(sql), MessagePart::kOwn, row});
  };
  // The history row; a table an older strata created gains the columns of
  // the texts first, in the same transaction.
  const auto history_part = [&](HistoryRow row, size_t statement) {
    if (!history_has_texts_) own(UpgradeHistoryTableSql());
    parts.push_back({"", statement, row});
  };
  // The last file's settings end in this file's first round trip.
  const bool resetting = settings_set_ && !inside_outer_transaction;
  if (resetting) {
    own("RESET lock_timeout");
    own("RESET statement_timeout");
  }
  if (!managed) {
    if (!inside_outer_transaction) own("BEGIN");
    if (run.versioned && !history_exists_) own(CreateHistoryTableSql());
    for (size_t i = 0; i < statements.size(); ++i) parts.push_back({statements[i].sql, i});
    if (record_up)
      history_part(HistoryRow::kInsert, MessagePart::kOwn);
    else if (run.versioned)
      own(fmt::format("DELETE FROM {} WHERE version = {}", history, run.version));
    if (!inside_outer_transaction) own("COMMIT");
  } else {
    // A generated file's own history INSERT is replaced by the full row,
    // so the row is written once; any other file gets an upsert before its
    // COMMIT.
    const std::string file_record = record_up ? RecordVersionSql(run.version, run.name, run.tag) : "";
    bool recorded = !record_up;
    for (size_t i = 0; i < outside_start; ++i) {
      const SqlStatement& s = statements[i];
      if (!recorded && s.sql == file_record) {
        history_part(HistoryRow::kInsert, i);
        recorded = true;
        continue;
      }
      const bool commit = i + 1 == outside_start && IsCommit(s);
      if (commit && !recorded) {
        history_part(HistoryRow::kUpsert, MessagePart::kOwn);
        recorded = true;
      }
      if (inside_outer_transaction && (IsBegin(s) || commit)) continue;
      parts.push_back({s.sql, i});
    }
    if (inside_outer_transaction && !recorded) history_part(HistoryRow::kUpsert, MessagePart::kOwn);
  }

  const bool sets_timeouts = SetsTimeouts(statements);
  settings_set_ = settings_set_ || sets_timeouts;
  for (size_t next = 0; next < parts.size();) {
    const int64_t ms_before = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    std::string message;
    std::vector<size_t> ends;  // where each part ends in the message
    size_t end = next;
    for (; end < parts.size(); ++end) {
      MessagePart& part = parts[end];
      if (part.row != HistoryRow::kNone) part.sql = history_row(part.row, ms_before);
      if (end > next && message.size() + part.sql.size() > kMessageBytes) break;
      // A -- comment on the statement's last line would swallow the ';'.
      message += part.sql + (part.sql.find("--") == std::string::npos ? ";\n" : "\n;\n");
      ends.push_back(message.size());
    }
    const PgSession::BatchOutcome sent = session_.ExecBatch(message);
    if (!sent.status.ok()) {
      // The server answered each statement before the one that failed,
      // unless the message did not parse: then its position says.
      size_t failed_at = std::min(next + static_cast<size_t>(sent.completed), end - 1);
      if (sent.error_at)
        failed_at = next + static_cast<size_t>(std::upper_bound(ends.begin(), ends.end(), *sent.error_at) - ends.begin());
      const MessagePart& failed = parts[std::min(failed_at, end - 1)];
      const bool recorded_meanwhile =
          failed.row == HistoryRow::kInsert && sent.status.message().find("SQLSTATE 23505") != std::string::npos;
      if (failed.statement != MessagePart::kOwn && !recorded_meanwhile) return fail(failed.statement, sent.status);
      if (session_.in_transaction() && !inside_outer_transaction) (void)session_.Exec("ROLLBACK");
      if (recorded_meanwhile)
        return Status::Error(
            StatusCode::kDatabase,
            fmt::format("{}: version {} is already in {}, though it was not when this run took strata's lock: "
                        "something recorded it without the lock (an INSERT by hand, or `strata baseline`); nothing "
                        "of {} was applied. See `strata status` before running again",
                        run.file_name, run.version, kHistoryTable, run.file_name));
      return sent.status.WithContext(run.file_name);
    }
    next = end;
  }
  if (resetting && !sets_timeouts) settings_set_ = false;
  if (!inside_outer_transaction && run.versioned) {
    history_exists_ = true;
    history_has_texts_ = history_has_texts_ || run.up;
    Recorded(run);
  }

  for (size_t i = outside_start; i < statements.size(); ++i)
    if (Status st = session_.Exec(statements[i].sql); !st.ok()) return fail(i, st);
  return Status::Ok();
}

void PostgresConnection::Recorded(const ScriptRun& run) {
  if (!run_locked_) return;
  if (run.up)
    applied_.insert(run.version);
  else
    applied_.erase(run.version);
}

Result<ApplyOutcome> PostgresConnection::Apply(const ScriptRun& run) {
  if (session_.in_transaction()) return Status::Error(StatusCode::kInternal, "a transaction is already open");
  const std::vector<SqlStatement> statements = SplitStatements(run.sql);
  if (Status s = Validate(run, statements); !s.ok()) return s;
  // Outside a run's lock, the file takes one of its own.
  Result<std::unique_ptr<RunLock>> lock = LockRun();
  if (!lock.ok()) return lock.status().WithContext(run.file_name);
  if (run.versioned) {
    // The history as read under the lock: another runner may have applied
    // the file meanwhile.
    const bool recorded = applied_.contains(run.version);
    if (run.up ? recorded : !recorded) {
      // An applied file whose steps after COMMIT failed earlier: those
      // steps are idempotent, so running them again finishes the file.
      const size_t outside = run.own_transaction && run.outside_transaction ? OutsideTransactionStart(statements)
                                                                            : statements.size();
      if (run.up)
        for (size_t i = outside; i < statements.size(); ++i)
          if (LeadingWords(statements[i].sql, 1) != "SET")
            if (Status s = session_.Exec(statements[i].sql); !s.ok())
              return Status::Error(s.code(), fmt::format("{}:{}: {}", run.file_name, statements[i].line, s.message()));
      return ApplyOutcome::kAlreadyDone;
    }
  }
  if (Status s = Run(run, statements, false); !s.ok()) return s;
  return ApplyOutcome::kApplied;
}

Status PostgresConnection::Validate(const ScriptRun& run) { return Validate(run, SplitStatements(run.sql)); }

Status PostgresConnection::Validate(const ScriptRun& run, const std::vector<SqlStatement>& statements) {
  for (const SqlStatement& s : statements)
    if (CopiesThroughClient(s))
      return Status::InvalidInput(fmt::format(
          "{}:{}: COPY ... FROM STDIN (or TO STDOUT) streams rows through psql, which strata does not do; write the "
          "rows as INSERT statements, or COPY from a file the server can read; nothing was applied",
          run.file_name, s.line));
  if (run.own_transaction) return Status::Ok();
  for (const SqlStatement& s : statements)
    if (std::string why = TransactionObstacle(s); !why.empty())
      return Status::InvalidInput(fmt::format(
          "{}:{}: a hand-written migration runs inside the transaction strata opens, but {}; split it out or "
          "give the file a strata header that manages its own transaction",
          run.file_name, s.line, why));
  return Status::Ok();
}

Status PostgresConnection::ApplyAll(const std::vector<ScriptRun>& runs) {
  for (const ScriptRun& run : runs) {
    const std::vector<SqlStatement> statements = SplitStatements(run.sql);
    if (Status s = Validate(run, statements); !s.ok()) return s;
    if (!run.own_transaction) continue;
    const size_t outside = OutsideTransactionStart(statements);
    if (run.outside_transaction || outside < statements.size())
      return Status::InvalidInput(fmt::format(
          "{}:{}: has steps that must run outside a transaction (after its COMMIT), so it cannot be applied in a "
          "single transaction; apply it without --single-transaction",
          run.file_name, outside < statements.size() ? statements[outside].line : 1));
  }
  Result<std::unique_ptr<RunLock>> lock = LockAndBeginWithHistory();
  if (!lock.ok()) return lock.status();
  const auto rollback = [&](const Status& s) {
    (void)session_.Exec("ROLLBACK");
    history_has_texts_ = false;  // an upgrade of the table was rolled back too
    return s;
  };
  std::vector<const ScriptRun*> ran;
  for (const ScriptRun& run : runs) {
    // Another runner got there first.
    if (run.versioned && (run.up ? applied_.contains(run.version) : !applied_.contains(run.version))) continue;
    if (Status s = Run(run, SplitStatements(run.sql), true); !s.ok()) return rollback(s);
    ran.push_back(&run);
  }
  if (Status s = session_.Exec("COMMIT"); !s.ok()) return s;
  history_exists_ = true;
  for (const ScriptRun* run : ran)
    if (run->versioned) Recorded(*run);
  return Status::Ok();
}

std::string PostgresConnection::UpgradeBeforeWrite() const {
  return history_has_texts_ ? "" : UpgradeHistoryTableSql() + "; ";
}

Status PostgresConnection::RecordApplied(const ScriptRun& run) {
  // One round trip of several statements: one implicit transaction.
  if (Status s = session_.Exec(fmt::format(
          "{}; {}INSERT INTO {} (version, name, tag, checksum, duration_ms, up_sql, down_sql) VALUES ({}, {}, {}, {}, "
          "0, {}, {})",
          CreateHistoryTableSql(), UpgradeBeforeWrite(), QuoteIdent(kHistoryTable), run.version, QuoteLiteral(run.name),
          QuoteLiteral(run.tag), QuoteLiteral(run.checksum), QuoteLiteral(run.sql), TextOrNull(run.down_sql)));
      !s.ok())
    return s;
  history_exists_ = history_has_texts_ = true;
  Recorded(run);
  return Status::Ok();
}

Result<std::unique_ptr<RunLock>> PostgresConnection::LockAndBeginWithHistory() {
  if (session_.in_transaction()) return Status::Error(StatusCode::kInternal, "a transaction is already open");
  Result<std::unique_ptr<RunLock>> lock = LockRun();
  if (!lock.ok()) return lock.status();
  // BEGIN and the history table in one round trip.
  if (Status s = session_.Exec("BEGIN; " + CreateHistoryTableSql() + "; " + UpgradeHistoryTableSql()); !s.ok()) {
    if (session_.in_transaction()) (void)session_.Exec("ROLLBACK");
    return s;
  }
  history_has_texts_ = true;
  return lock;
}

Status PostgresConnection::RerecordApplied(const std::vector<ScriptRun>& runs) {
  Result<std::unique_ptr<RunLock>> lock = LockAndBeginWithHistory();
  if (!lock.ok()) return lock.status();
  for (const ScriptRun& run : runs) {
    Result<PgResult> updated = session_.Query(fmt::format(
        "UPDATE {} SET checksum = {}, up_sql = {}, down_sql = {} WHERE version = {} RETURNING version",
        QuoteIdent(kHistoryTable), QuoteLiteral(run.checksum), QuoteLiteral(run.sql), TextOrNull(run.down_sql),
        run.version));
    if (!updated.ok() || updated->rows() == 0) {
      (void)session_.Exec("ROLLBACK");
      if (!updated.ok()) return updated.status().WithContext(run.file_name);
      return Status::InvalidInput(
          fmt::format("{}: version {} is not applied (any more); nothing was re-recorded", run.file_name, run.version));
    }
  }
  if (Status s = session_.Exec("COMMIT"); !s.ok()) return s;
  history_has_texts_ = true;
  return Status::Ok();
}

namespace {

// Runs a PostgreSQL client program without a shell; true when it exits 0.
bool RunClient(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return false;
  int status = 0;
  return waitpid(pid, &status, 0) >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

Status PostgresConnection::Backup(const std::string& destination) {
  // pg_dump reads the same target; libpq's PG* variables and .pgpass apply.
  // Written under a temporary name and renamed: never a partial backup.
  std::error_code error;
  if (std::filesystem::exists(destination, error))
    return Status::IOError(fmt::format("backup \"{}\" already exists", destination));
  const std::string partial = destination + ".partial";
  if (!RunClient({"pg_dump", "--format=custom", "--file=" + partial, "--dbname=" + target_})) {
    std::filesystem::remove(partial, error);
    return Status::IOError(fmt::format("pg_dump of {} into {} failed", session_.redacted_target(), destination));
  }
  std::filesystem::rename(partial, destination, error);
  if (error) return Status::IOError(fmt::format("cannot rename {}: {}", partial, error.message()));
  return Status::Ok();
}

Status PostgresConnection::Restore(const std::string& source) {
  if (!RunClient({"pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner", "--dbname=" + target_, source}))
    return Status::IOError(fmt::format("pg_restore of {} into {} failed; nothing was restored", source,
                                       session_.redacted_target()));
  return Status::Ok();
}

Status PostgresConnection::CreateSchema(const Schema& schema) {
  Result<bool> empty = IsEmpty();
  if (!empty.ok()) return empty.status();
  if (!*empty)
    return Status::InvalidInput(fmt::format("{} already holds tables; create needs an empty database", session_.redacted_target()));
  const Schema nothing;
  const Plan plan = PlanChanges(nothing, schema, Diff(nothing, schema), {});
  if (Status s = session_.Exec("BEGIN"); !s.ok()) return s;
  for (const Step& step : plan.steps)
    for (const std::string& sql : step.sql)
      if (Status s = session_.Exec(sql); !s.ok()) {
        (void)session_.Exec("ROLLBACK");
        return Status::Error(s.code(), fmt::format("{}\n  statement: {}", s.message(), Excerpt(sql)));
      }
  return session_.Exec("COMMIT");
}

std::vector<CheckResult> PostgresConnection::RunChecks(const Schema& schema, int max_samples) {
  std::vector<IntegrityCheck> checks = BuildChecks(schema);
  checks.insert(checks.begin(), HealthCheck());
  return postgres::RunChecks(session_, checks, max_samples);
}

Result<ExplainReport> PostgresConnection::Explain(const Schema& schema) {
  // Redundancy is judged on the live tables; where they cannot be inspected
  // yet, on the declared schema (explain keeps to what the database holds).
  Result<Schema> live = Inspect();
  if (!live.ok() && live.status().code() != StatusCode::kNotSupported) return live.status();
  return postgres::Explain(session_, schema, live.ok() ? live.value() : schema);
}

}  // namespace strata::postgres
