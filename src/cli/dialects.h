// The built-in dialects, by the name a project file gives.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dialect/dialect.h"

namespace strata::cli {

// Null when the name is not a known dialect.
std::unique_ptr<Dialect> MakeDialect(std::string_view name);
std::vector<std::string> KnownDialects();

// The dialect a database target speaks: a postgres:// or postgresql:// URL
// is "postgres", anything else names an SQLite file.
std::string_view DialectOfTarget(std::string_view target);

// Opens `target` with its dialect; the error names the target.
Result<std::unique_ptr<Connection>> OpenTarget(const std::string& target, const OpenOptions& options);

}  // namespace strata::cli
