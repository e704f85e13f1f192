#include "sqlite/connection.h"

#include <sqlite3.h>

#include <filesystem>

#include <fmt/format.h>

#include "sqlite/backup.h"
#include "sqlite/checks.h"
#include "sqlite/create.h"
#include "sqlite/explain.h"
#include "sqlite/inspect.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"
#include "sqlite/table_digest.h"

namespace strata::sqlite {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, const OpenOptions& options) {
  std::error_code error;
  if (!options.create && path != ":memory:" && !std::filesystem::exists(path, error)) {
    // Only a file that is not there is "not found" (which `status` and
    // `plan` read as an empty database); a path that cannot be looked at
    // (too long, a symlink loop) is an error.
    if (error) return Status::IOError(fmt::format("database \"{}\": {}", path, error.message()));
    return Status::Error(StatusCode::kNotFound, fmt::format("database \"{}\" not found", path));
  }
  if (options.unchanged && Database::HasHotJournal(path))
    return Status::InvalidInput(fmt::format(
        "{}: a write to it was interrupted ({}-journal is hot); opening it would roll that write back and change "
        "the file. Open it once with sqlite3 (which rolls it back), or copy the database and its journal "
        "together, and try again",
        path, std::filesystem::path(path).filename().string()));
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

Result<bool> SqliteConnection::IsEmpty() {
  Result<int64_t> n = db_.QueryInt(fmt::format(
      "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> {}",
      QuoteString(kHistoryTable)));
  if (!n.ok()) return n.status();
  return *n == 0;
}

Result<int64_t> SqliteConnection::CountRows(const std::string& table, const std::string& column) {
  return db_.QueryInt(fmt::format("SELECT count({}) FROM {}", column.empty() ? "*" : QuoteIdentifier(column),
                                  QuoteIdentifier(table)));
}

Result<Schema> SqliteConnection::Inspect() { return InspectSchema(db_, {std::string(kHistoryTable)}); }

Result<std::map<std::string, StoredTable>> SqliteConnection::StoredTables() {
  return ReadStoredTables(db_, {std::string(kHistoryTable)});
}

Result<Schema> SqliteConnection::InspectTables(const std::set<std::string>& names) {
  return InspectSchema(db_, {std::string(kHistoryTable)}, &names);
}

Result<Schema> SqliteConnection::AsInspected(const Schema& declared) { return sqlite::AsInspected(declared); }

Status SqliteConnection::Backup(const std::string& destination) { return BackupToNewFile(db_.path(), destination); }

Status SqliteConnection::Restore(const std::string& source) { return CopyDatabase(source, db_.path()); }

Status SqliteConnection::CreateSchema(const Schema& schema) { return sqlite::CreateSchema(db_, schema); }

std::vector<CheckResult> SqliteConnection::RunChecks(const Schema& schema, int max_samples) {
  std::vector<IntegrityCheck> checks = BuildChecks(schema);
  checks.insert(checks.begin(), FileStructureCheck());
  return sqlite::RunChecks(db_, checks, max_samples);
}

Result<ExplainReport> SqliteConnection::Explain(const Schema& schema) { return sqlite::Explain(db_, schema); }

Result<std::vector<TableDigest>> SqliteConnection::DigestTables(const Schema& schema) {
  std::vector<TableDigest> out;
  for (const Table& t : schema.tables) {
    Result<TableDigest> digest = DigestTable(db_, t);
    if (!digest.ok()) return digest.status();
    out.push_back(std::move(digest.value()));
  }
  return out;
}

std::vector<std::string> SqliteConnection::notices() const {
  if (!db_.recovered_hot_journal()) return {};
  return {"rolled back the changes of a write that was interrupted"};
}

}  // namespace strata::sqlite
