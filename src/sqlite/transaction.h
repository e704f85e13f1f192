// RAII transaction: BEGIN IMMEDIATE on construction (so the write lock is
// taken before anything is read), ROLLBACK on destruction unless committed.
#pragma once

#include "sqlite/database.h"

namespace strata::sqlite {

class Transaction {
 public:
  // REQUIRES: `db` is in autocommit mode (no transaction open).
  static Result<Transaction> Begin(Database& db);

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or rolled back
};

}  // namespace strata::sqlite
