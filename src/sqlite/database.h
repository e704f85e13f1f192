// RAII wrappers for SQLite handles. A Database owns one connection, a
// Statement one prepared statement; neither can be copied. Failures are
// returned as Status values carrying SQLite's message, its extended error
// code and the statement that failed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace strata::sqlite {

class Statement;

class Database {
 public:
  enum class Mode { kReadOnly, kReadWrite, kReadWriteCreate };

  // Opens `path` with foreign keys enforced and double-quoted string
  // literals disabled (so a misspelt identifier is an error, not a string).
  static Result<Database> Open(const std::string& path, Mode mode = Mode::kReadWriteCreate);
  // Whether `path` has a hot journal: what a write left when it was
  // interrupted, which the next connection rolls back (a write), even a
  // read-only one of strata's (see Open).
  static bool HasHotJournal(const std::string& path);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() = default;

  // Runs one or more statements that return no rows of interest.
  Status Exec(std::string_view sql);
  // Runs exactly one statement; text after it that SQLite would run as
  // another statement is refused (SQL from YAML must be what its key says).
  Status ExecSingle(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  // The first column of the first row, as text ("" for NULL); for pragmas
  // and counts.
  Result<std::string> QueryString(std::string_view sql);
  Result<int64_t> QueryInt(std::string_view sql);

  bool autocommit() const;
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }
  // Opening read-only rolled back a hot journal a crashed writer left.
  bool recovered_hot_journal() const { return recovered_; }

  // The last error as a Status, with the statement it belongs to.
  Status LastError(std::string_view sql) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
  bool recovered_ = false;
};

class StatementIterator;

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Status Bind(int index, std::string_view text);  // 1-based, as SQLite
  Status Bind(int index, int64_t value);
  Status BindNull(int index);

  // Advances to the next row: true with a row, false when done, or an error.
  Result<bool> Step();
  Status Reset();
  // Reset, then `text` bound to the first parameter: the next run of a
  // query prepared once and run per table or per index.
  Status Reset(std::string_view text);

  int column_count() const;
  bool IsNull(int column) const;
  std::string Text(int column) const;  // "" for NULL
  int64_t Int(int column) const;
  std::string ColumnName(int column) const;
  std::string sql() const;
  // For what the accessors above do not read (a value's storage class and
  // bytes).
  sqlite3_stmt* handle() const { return stmt_.get(); }

 private:
  friend class Database;
  friend class StatementIterator;
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const;
  };
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_;
};

// Walks a script statement by statement where SQLite's own parser ends
// each one (the tail sqlite3_prepare_v2 returns), so trigger bodies and
// strings stay whole; blanks and comments between statements are skipped.
// A statement is prepared only when reached: it may name what the
// statements before it create, once those have run.
class StatementIterator {
 public:
  struct Item {
    std::string_view text;  // as written, from the end of the previous statement
    int line = 1;           // of its first character that is not blank or a -- comment
    Statement statement;
  };

  // REQUIRES: `db` outlives the iterator. A NUL byte in `sql` is an error
  // of the first Next(): SQLite would stop reading there.
  StatementIterator(Database& db, std::string_view sql);

  // The next statement, prepared; nullopt after the last. A statement that
  // does not prepare is an error naming the text from it to the end.
  Result<std::optional<Item>> Next();

  // The text not yet read.
  std::string_view rest() const { return std::string_view(tail_, static_cast<size_t>(end_ - tail_)); }

 private:
  Database* db_;
  std::string text_;  // with its terminating NUL, whose length SQLite is told: see Next()
  const char* tail_;
  const char* end_;
  int line_ = 1;  // of tail_
};

}  // namespace strata::sqlite
