// The SQLite dialect: composes the planner and the script writer.
#pragma once

#include <memory>

#include "dialect/dialect.h"

namespace strata::sqlite {

std::unique_ptr<Dialect> MakeDialect();

}  // namespace strata::sqlite
