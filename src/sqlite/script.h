// Renders a Plan as a self-contained migration file: plain SQL that the
// sqlite3 shell (or any tool that runs SQL text) can run as it is, with
// foreign keys on or off, as safely as `strata up`.
//
// How a file stays safe without a runner: foreign keys are switched off
// before BEGIN (PRAGMA foreign_keys is a no-op inside a transaction); every
// check, before and after the changes, only records failures in a temporary
// table; the last statement before COMMIT turns any recorded failure into
// RAISE(ROLLBACK), which undoes the whole file. Nothing ends the transaction
// early, so statements that run after a failure are rolled back too. The
// schema of every touched table is verified at the end, so a statement that
// failed (the shell goes on after errors) is caught as well. The file
// records itself in the history table, in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plan/migration_header.h"
#include "plan/plan.h"
#include "schema/table.h"

namespace strata::sqlite {

inline constexpr std::string_view kHistoryTable = "strata_migrations";

std::string RenderMigrationScript(const Plan& plan, const MigrationHeader& info);

std::string CreateHistoryTableSql();

}  // namespace strata::sqlite
