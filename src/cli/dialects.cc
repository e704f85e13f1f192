#include "cli/dialects.h"

#include "sqlite/sqlite_dialect.h"

namespace strata::cli {

std::unique_ptr<Dialect> MakeDialect(std::string_view name) {
  if (name == "sqlite") return sqlite::MakeDialect();
  return nullptr;
}

}  // namespace strata::cli
