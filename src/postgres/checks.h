// Integrity checks for PostgreSQL: one orphan-record check per foreign key
// and the declared data checks, as SQL a person can run with psql, and
// running them read-only with exact counts and sample keys.
//
// Every check's SQL returns one row per offending key, (key text, number of
// rows with it), so that running them is the same loop for all of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dialect/integrity.h"
#include "postgres/pg.h"
#include "schema/table.h"

namespace strata::postgres {

// The database's own health, the counterpart of SQLite's file-structure
// check: INVALID indexes (a failed or unfinished CREATE INDEX
// CONCURRENTLY; queries do not use them, and a unique one enforces nothing
// it was meant to) and NOT VALID constraints (rows older than the
// constraint were never checked) in the current schema, one key per object.
IntegrityCheck HealthCheck();

// Every check the schema implies, in table order: each table's foreign keys,
// then its data checks.
std::vector<IntegrityCheck> BuildChecks(const Schema& schema);

// The checks as one commented SQL file that psql runs (the committed
// `checks/postgres/` content).
std::string RenderChecksFile(const std::vector<IntegrityCheck>& checks, std::string_view tag);

// Runs `checks` in one read-only transaction (one snapshot, so the counts
// agree with each other), each under a savepoint: a check that fails to run
// (a missing table, SQL PostgreSQL refuses) gets `error` and the others
// still run. Counts are exact; samples are the first `max_samples` keys in
// byte order. The session must not be inside a transaction.
std::vector<CheckResult> RunChecks(PgSession& session, const std::vector<IntegrityCheck>& checks, int max_samples);

}  // namespace strata::postgres
