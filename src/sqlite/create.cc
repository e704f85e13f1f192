#include "sqlite/create.h"

#include <fmt/format.h>

#include "sqlite/sql_writer.h"
#include "sqlite/transaction.h"

namespace strata::sqlite {

Status CreateSchema(Database& db, const Schema& schema) {
  Result<Transaction> tx = Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  Result<int64_t> existing = db.QueryInt(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
  if (!existing.ok()) return existing.status();
  if (*existing > 0)
    return Status::InvalidInput(fmt::format("database \"{}\" already holds {} table(s); create only "
                                            "works on an empty database", db.path(), *existing));
  if (Status s = db.Exec(CreateSchemaSql(schema)); !s.ok()) return s;
  return tx->Commit();
}

}  // namespace strata::sqlite
