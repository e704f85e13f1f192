// Renders a Plan as a self-contained PostgreSQL migration file that
// `psql -v ON_ERROR_STOP=1 -f FILE` runs as safely as `strata up`:
// lock_timeout and statement_timeout first; one transaction holding the
// advisory lock, the version guards, the data fixes, the prechecks (DO
// blocks that RAISE naming the offending rows, before anything changes),
// the steps and the history row; then, after COMMIT, the steps that must
// run outside a transaction, each idempotent.
#pragma once

#include "dialect/dialect.h"
#include "plan/plan.h"

namespace strata::postgres {

std::string RenderMigrationScript(const Plan& plan, const MigrationHeader& header);

}  // namespace strata::postgres
