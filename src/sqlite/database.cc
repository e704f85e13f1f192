#include "sqlite/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata::sqlite {

void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void Statement::Finalizer::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

static Status ErrorStatus(sqlite3* db, std::string_view sql) {
  int code = sqlite3_extended_errcode(db);
  std::string message = fmt::format("{} (code {})", sqlite3_errmsg(db), code);
  if (!sql.empty()) message += fmt::format(" in: {}", sql);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return Status::Busy(message);
  return Status::Database(message);
}

namespace {

// journal_mode=PERSIST zeroes the header instead of deleting the file.
bool HeaderIsZero(const std::string& journal) {
  std::ifstream in(journal, std::ios::binary);
  char header[28] = {};
  in.read(header, sizeof header);
  return std::all_of(header, header + sizeof header, [](char c) { return c == 0; });
}

// A crash during a write leaves a hot journal, which a read-only connection
// cannot roll back (SQLITE_READONLY_ROLLBACK). A short read-write
// connection lets SQLite recover the file first. True when it did.
bool RecoverHotJournal(const std::string& path) {
  std::error_code error;
  if (std::filesystem::file_size(path + "-journal", error) == 0 || error) return false;
  sqlite3* raw = nullptr;
  bool recovered = false;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(raw, 5000);
    recovered = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  sqlite3_close_v2(raw);
  // Rolled back: the journal is deleted, truncated or zeroed by the mode.
  const auto left = std::filesystem::file_size(path + "-journal", error);
  return recovered && (error || left == 0 || HeaderIsZero(path + "-journal"));
}

}  // namespace

bool Database::HasHotJournal(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path + "-journal", error);
  return !error && size > 0 && !HeaderIsZero(path + "-journal");
}

Result<Database> Database::Open(const std::string& path, Mode mode) {
  const bool recovered = mode == Mode::kReadOnly && RecoverHotJournal(path);
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw, path);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::Database(fmt::format("cannot open database \"{}\": {}", path, message));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_busy_timeout(raw, 5000);
  if (Status s = db.Exec("PRAGMA foreign_keys = ON"); !s.ok()) return s;
  db.recovered_ = recovered;
  return db;
}

Status Database::LastError(std::string_view sql) const { return ErrorStatus(db_.get(), sql); }

StatementIterator::StatementIterator(Database& db, std::string_view sql)
    : db_(&db), text_(sql), tail_(text_.c_str()), end_(text_.c_str() + text_.size()) {}

Result<std::optional<StatementIterator::Item>> StatementIterator::Next() {
  // SQLite stops reading at a NUL, so the rest would never run (and the
  // loop below would not advance).
  if (size_t nul = text_.find('\0'); nul != std::string::npos)
    return Status::InvalidInput(fmt::format("SQL text holds a NUL byte at offset {}", nul));
  while (tail_ < end_) {
    sqlite3_stmt* raw = nullptr;
    const char* next = nullptr;
    // The length counts the terminating NUL: without it SQLite copies the
    // rest of the text for each statement, which is quadratic on a long
    // script.
    if (sqlite3_prepare_v2(db_->handle(), tail_, static_cast<int>(end_ - tail_) + 1, &raw, &next) != SQLITE_OK)
      return ErrorStatus(db_->handle(), rest());
    Statement statement(raw, db_->handle());
    const std::string_view text(tail_, static_cast<size_t>(next - tail_));
    int line = line_;
    bool started = false;
    for (size_t k = 0; k < text.size(); ++k) {
      if (!started && text[k] == '-' && k + 1 < text.size() && text[k + 1] == '-') {
        while (k + 1 < text.size() && text[k + 1] != '\n') ++k;
        continue;
      }
      if (!started && !std::isspace(static_cast<unsigned char>(text[k]))) {
        started = true;
        line = line_;
      }
      if (text[k] == '\n') ++line_;
    }
    tail_ = next;
    if (!raw) continue;  // whitespace or a comment
    return std::optional<Item>(Item{text, line, std::move(statement)});
  }
  return std::optional<Item>();
}

Status Database::Exec(std::string_view sql) {
  // Step through every statement in `sql` so that errors name the one that
  // failed rather than the whole script.
  StatementIterator statements(*this, sql);
  for (;;) {
    Result<std::optional<StatementIterator::Item>> item = statements.Next();
    if (!item.ok()) return item.status();
    if (!*item) return Status::Ok();
    int rc;
    while ((rc = sqlite3_step((*item)->statement.stmt_.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return ErrorStatus(db_.get(), (*item)->text);
  }
}

Status Database::ExecSingle(std::string_view sql) {
  StatementIterator statements(*this, sql);
  Result<std::optional<StatementIterator::Item>> first = statements.Next();
  if (!first.ok()) return first.status();
  if (!*first) return Status::InvalidInput("holds no SQL statement");
  // SQLite's own parser says where the statement ends: anything after it
  // but blanks, comments and semicolons is a second statement.
  const std::string_view after = statements.rest();
  Result<std::optional<StatementIterator::Item>> second = statements.Next();
  if (!second.ok() || *second)
    return Status::InvalidInput(fmt::format("holds more than one statement: \"{}\" follows the first",
                                            std::string(Trim(after).substr(0, 80))));
  int step;
  while ((step = sqlite3_step((*first)->statement.stmt_.get())) == SQLITE_ROW) {
  }
  if (step != SQLITE_DONE) return ErrorStatus(db_.get(), sql);
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(raw);
    return ErrorStatus(db_.get(), sql);
  }
  if (!raw) return Status::Database(fmt::format("no statement in: {}", sql));
  return Statement(raw, db_.get());
}

Result<std::string> Database::QueryString(std::string_view sql) {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::string();
  return stmt->Text(0);
}

Result<int64_t> Database::QueryInt(std::string_view sql) {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(fmt::format("no row from: {}", sql));
  return stmt->Int(0);
}

bool Database::autocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }

Status Statement::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    return ErrorStatus(db_, sql());
  return Status::Ok();
}

Status Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_.get(), index, value) != SQLITE_OK) return ErrorStatus(db_, sql());
  return Status::Ok();
}

Status Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) return ErrorStatus(db_, sql());
  return Status::Ok();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorStatus(db_, sql());
}

Status Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return Status::Ok();
}

Status Statement::Reset(std::string_view text) {
  if (Status s = Reset(); !s.ok()) return s;
  return Bind(1, text);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_.get()); }
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}
std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}
int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
std::string Statement::ColumnName(int column) const {
  const char* name = sqlite3_column_name(stmt_.get(), column);
  return name ? name : "";
}
std::string Statement::sql() const {
  const char* text = sqlite3_sql(stmt_.get());
  return text ? text : "";
}

}  // namespace strata::sqlite
