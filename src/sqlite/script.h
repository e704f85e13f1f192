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

#include "plan/plan.h"
#include "schema/table.h"

namespace strata::sqlite {

inline constexpr std::string_view kHistoryTable = "strata_migrations";

struct ScriptInfo {
  std::string file_name;  // "0020_phase1.up.sql", for messages
  int64_t version = 0;
  std::string name;
  std::string tag;
  bool up = true;
  // Up: the generated version that must be applied first. Down: unused.
  std::optional<int64_t> previous_version;
  bool versioned = true;  // see MigrationHeader::versioned
  std::string database = "app.db";
};

std::string RenderMigrationScript(const Plan& plan, const ScriptInfo& info);

std::string CreateHistoryTableSql();

}  // namespace strata::sqlite
