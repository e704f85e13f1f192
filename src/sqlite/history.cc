// SqliteConnection's history table: strata's record of applied migrations.
#include <set>

#include <sqlite3.h>

#include <fmt/format.h>

#include "sqlite/connection.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"
#include "sqlite/transaction.h"

namespace strata::sqlite {

namespace {

// The columns added since the first history table, nullable: a table an
// older strata created gains them on its first write, and reads without
// them. Generated files create the table in its first shape (their text
// must not change), so every write of the connection upgrades it.
constexpr std::string_view kRecordedTextColumns[] = {"up_sql", "down_sql"};

void BindText(Statement& stmt, int index, const std::optional<std::string>& text) {
  (void)(text ? stmt.Bind(index, *text) : stmt.BindNull(index));
}

}  // namespace

Result<std::set<std::string>> SqliteConnection::HistoryColumns() {
  Result<Statement> stmt =
      db_.Prepare(fmt::format("SELECT name FROM pragma_table_info({})", QuoteString(kHistoryTable)));
  if (!stmt.ok()) return stmt.status();
  std::set<std::string> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.insert(stmt->Text(0));
  }
  return out;
}

Result<std::vector<AppliedMigration>> SqliteConnection::ReadHistory() {
  std::vector<AppliedMigration> out;
  Result<std::set<std::string>> columns = HistoryColumns();
  if (!columns.ok()) return columns.status();
  if (columns->empty()) return out;
  const auto column = [&](std::string_view name) {
    return columns->contains(std::string(name)) ? QuoteIdentifier(name) : std::string("NULL");
  };
  Result<Statement> stmt = db_.Prepare(fmt::format(
      "SELECT version, name, tag, coalesce(checksum, ''), applied_at, coalesce(duration_ms, 0), {}, {} FROM {} "
      "ORDER BY version",
      column("up_sql"), column("down_sql"), QuoteIdentifier(kHistoryTable)));
  if (!stmt.ok()) return stmt.status();
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const auto text = [&](int i) { return stmt->IsNull(i) ? std::nullopt : std::optional<std::string>(stmt->Text(i)); };
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Int(5), text(6),
                   text(7)});
  }
  return out;
}

Status SqliteConnection::EnsureHistoryTable() {
  // Read first: once the table is there (every file but the first), this
  // is one lookup instead of a CREATE TABLE IF NOT EXISTS to parse as well.
  Result<std::set<std::string>> columns = HistoryColumns();
  if (!columns.ok()) return columns.status();
  if (columns->empty()) {
    // The generated files create the table in this form too (without the
    // text columns, which the first write adds).
    if (Status s = db_.Exec(CreateHistoryTableSql()); !s.ok()) return s;
    columns = HistoryColumns();
    if (!columns.ok()) return columns.status();
  }
  for (std::string_view name : kRecordedTextColumns)
    if (!columns->contains(std::string(name)))
      if (Status s = db_.Exec(fmt::format("ALTER TABLE {} ADD COLUMN {} TEXT", QuoteIdentifier(kHistoryTable),
                                          QuoteIdentifier(name)));
          !s.ok())
        return s.WithContext("upgrading the history table");
  return Status::Ok();
}

// HistoryColumns finds the table by name in SQLite's schema hash;
// sqlite_schema has no index on name, so a lookup there read every row,
// and a run of N files over N tables read N * N.
Result<bool> SqliteConnection::HasHistoryTable() {
  Result<std::set<std::string>> columns = HistoryColumns();
  if (!columns.ok()) return columns.status();
  return !columns->empty();
}

Result<bool> SqliteConnection::IsRecorded(int64_t version, bool table_exists) {
  Result<bool> exists = table_exists ? Result<bool>(true) : HasHistoryTable();
  if (!exists.ok() || !*exists) return exists;
  Result<int64_t> n =
      db_.QueryInt(fmt::format("SELECT count(*) FROM {} WHERE version = {}", QuoteIdentifier(kHistoryTable), version));
  if (!n.ok()) return n.status();
  return *n > 0;
}

Status SqliteConnection::InsertRecord(const ScriptRun& run, int64_t duration_ms) {
  Result<Statement> stmt = db_.Prepare(fmt::format(
      "INSERT INTO {} (version, name, tag, checksum, duration_ms, up_sql, down_sql) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      QuoteIdentifier(kHistoryTable)));
  if (!stmt.ok()) return stmt.status();
  (void)stmt->Bind(1, run.version);
  (void)stmt->Bind(2, run.name);
  (void)stmt->Bind(3, run.tag);
  (void)stmt->Bind(4, run.checksum);
  (void)stmt->Bind(5, duration_ms);
  (void)stmt->Bind(6, run.sql);
  BindText(*stmt, 7, run.down_sql);
  Result<bool> done = stmt->Step();
  return done.ok() ? Status::Ok() : done.status();
}

Result<bool> SqliteConnection::WriteRecord(const ScriptRun& run, std::optional<int64_t> duration_ms) {
  Result<Statement> stmt = db_.Prepare(fmt::format(
      "UPDATE {} SET checksum = ?1, duration_ms = coalesce(?2, duration_ms), up_sql = ?3, down_sql = ?4 "
      "WHERE version = ?5",
      QuoteIdentifier(kHistoryTable)));
  if (!stmt.ok()) return stmt.status();
  (void)stmt->Bind(1, run.checksum);
  (void)(duration_ms ? stmt->Bind(2, *duration_ms) : stmt->BindNull(2));
  (void)stmt->Bind(3, run.sql);
  BindText(*stmt, 4, run.down_sql);
  (void)stmt->Bind(5, run.version);
  if (Result<bool> done = stmt->Step(); !done.ok()) return done.status();
  return sqlite3_changes(db_.handle()) > 0;
}

Status SqliteConnection::RecordApplied(const ScriptRun& run) {
  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx.ok()) return tx.status();
  if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  if (Status s = InsertRecord(run, 0); !s.ok()) return s;
  return tx->Commit();
}

Status SqliteConnection::RerecordApplied(const std::vector<ScriptRun>& runs) {
  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx.ok()) return tx.status();
  if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  for (const ScriptRun& run : runs) {
    Result<bool> written = WriteRecord(run, std::nullopt);
    if (!written.ok()) return written.status().WithContext(run.file_name);
    if (!*written)
      return Status::InvalidInput(
          fmt::format("{}: version {} is not applied (any more); nothing was re-recorded", run.file_name, run.version));
  }
  return tx->Commit();
}

}  // namespace strata::sqlite
