// The built-in dialects, by the name a project file gives.
#pragma once

#include <memory>
#include <string_view>

#include "dialect/dialect.h"

namespace strata::cli {

// Null when the name is not a known dialect.
std::unique_ptr<Dialect> MakeDialect(std::string_view name);

}  // namespace strata::cli
