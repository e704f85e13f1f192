// The PostgreSQL dialect (PostgreSQL 15 through libpq): plans and renders
// migrations that are safe on a live database (see planner.h, script.h),
// and refuses what PostgreSQL cannot express (Problems).
#pragma once

#include <memory>

#include "dialect/dialect.h"

namespace strata::postgres {

std::unique_ptr<Dialect> MakeDialect();

}  // namespace strata::postgres
