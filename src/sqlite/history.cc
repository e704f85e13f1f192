// SqliteConnection's history table: strata's record of applied migrations.
#include <fmt/format.h>

#include "sqlite/connection.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

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

Status SqliteConnection::RecordApplied(const ScriptRun& run) {
  if (Status s = EnsureHistoryTable(); !s.ok()) return s;
  return db_.Exec(fmt::format("INSERT INTO {} (version, name, tag, checksum, duration_ms) VALUES ({}, {}, {}, {}, 0)",
                              QuoteIdentifier(kHistoryTable), run.version, QuoteString(run.name), QuoteString(run.tag),
                              QuoteString(run.checksum)));
}

}  // namespace strata::sqlite
