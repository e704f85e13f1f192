// Integrity checks for SQLite: one orphan-record check per foreign key and
// the declared data checks, as SQL a person can run in the sqlite3 shell,
// and running them with counts and sample keys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "dialect/integrity.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// The file's own structure (PRAGMA quick_check: b-tree pages, record
// formats, NOT NULL and CHECK constraints), so that a corrupt database fails
// `strata check` before a migration touches its bad page.
IntegrityCheck FileStructureCheck();

// Every check the schema implies, in table order.
std::vector<IntegrityCheck> BuildChecks(const Schema& schema);

// The checks as one commented SQL file (the committed `checks/` content).
std::string RenderChecksFile(const std::vector<IntegrityCheck>& checks, std::string_view tag);

std::vector<CheckResult> RunChecks(Database& db, const std::vector<IntegrityCheck>& checks, int max_samples);

}  // namespace strata::sqlite
