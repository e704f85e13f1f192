#include "sqlite/transaction.h"

namespace strata::sqlite {

Result<Transaction> Transaction::Begin(Database& db) {
  if (!db.autocommit()) return Status::Error(StatusCode::kInternal, "a transaction is already open");
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ && !db_->autocommit()) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = db_->Exec("COMMIT");
  if (s.ok()) db_ = nullptr;
  return s;
}

}  // namespace strata::sqlite
