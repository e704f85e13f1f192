// What a statement is, from its first keywords: enough for a runner to see
// a script take over the transaction it runs in. The spellings are the
// union of SQLite's and PostgreSQL's; each engine rejects the other's.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The statement's first keywords, upper-cased and single-spaced, after
// blanks and -- and /* */ comments: "CREATE INDEX CONCURRENTLY" for
// `/* why */ create  index concurrently "i" ...`. A word is letters and
// underscores, so "PRAGMA main.foreign_keys" gives "PRAGMA MAIN".
std::string LeadingWords(std::string_view sql, int count);

enum class TransactionControl {
  kNone,
  kBegin,      // BEGIN, START TRANSACTION
  kCommit,     // COMMIT, END
  kRollback,   // ROLLBACK, ABORT (not ROLLBACK TO a savepoint)
  kSavepoint,  // SAVEPOINT, RELEASE, ROLLBACK TO
};

TransactionControl TransactionControlOf(std::string_view sql);

}  // namespace strata
