#include "cli/dialects.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "postgres/postgres_dialect.h"
#include "sqlite/sqlite_dialect.h"

namespace strata::cli {

namespace {

// The one registration point: a dialect's name and its factory.
struct Registration {
  std::string_view name;
  std::unique_ptr<Dialect> (*make)();
};
constexpr Registration kDialects[] = {
    {"sqlite", sqlite::MakeDialect},
    {"postgres", postgres::MakeDialect},
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(std::string_view name) {
  for (const Registration& r : kDialects)
    if (r.name == name) return r.make();
  return nullptr;
}

std::vector<std::string> KnownDialects() {
  std::vector<std::string> out;
  for (const Registration& r : kDialects) out.emplace_back(r.name);
  return out;
}

std::string_view DialectOfTarget(std::string_view target) {
  return target.starts_with("postgres://") || target.starts_with("postgresql://") ? "postgres" : "sqlite";
}

Result<std::unique_ptr<Connection>> OpenTarget(const std::string& target, const OpenOptions& options) {
  const std::string_view name = DialectOfTarget(target);
  const std::unique_ptr<Dialect> dialect = MakeDialect(name);
  if (!dialect)
    return Status::Error(StatusCode::kNotSupported, fmt::format("{}: this strata was built without the {} dialect",
                                                                RedactedTarget(target), name));
  return dialect->Open(target, options);
}

}  // namespace strata::cli
