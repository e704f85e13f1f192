#include "cli/dialects.h"

#include "postgres/postgres_dialect.h"
#include "sqlite/sqlite_dialect.h"

namespace strata::cli {

std::unique_ptr<Dialect> MakeDialect(std::string_view name) {
  if (name == "sqlite") return sqlite::MakeDialect();
  if (name == "postgres") return postgres::MakeDialect();
  return nullptr;
}

}  // namespace strata::cli
