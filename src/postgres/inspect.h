// Reads a live PostgreSQL schema (namespace) into the schema model from
// pg_catalog: tables, columns (format_type, pg_get_expr defaults, identity,
// stored generated columns, collations), primary, unique, check and foreign
// key constraints, indexes (pg_get_indexdef per key), views
// (pg_get_viewdef). What the model cannot hold (enum and domain types,
// sequences no column owns, functions, triggers, materialized views,
// partitioned and foreign tables, exclusion constraints, extensions, indexes
// with INCLUDE or another method than btree, INVALID indexes) is listed in
// Schema::unmodelled by name, never dropped silently.
//
// Types the YAML can name come back as the YAML type (bigint as INTEGER,
// timestamptz as DATETIME; see docs/postgres.md), so an inspected schema
// generates the same migrations as the YAML that created it; other types
// are kept verbatim. Constraint names strata derives (users_email_key,
// users_pkey) are not kept; others are, on CHECK constraints.
#pragma once

#include <string>

#include "base/status.h"
#include "postgres/pg.h"
#include "schema/table.h"

namespace strata::postgres {

// The namespace `schema_name`, or the session's current_schema() when empty.
Result<Schema> InspectSchema(PgSession& session, const std::string& schema_name = "");

// `declared` as InspectSchema would read it back from a database holding
// it: the server spells types, defaults and expressions its own way, so the
// schema is created in a scratch namespace inside a transaction that is
// rolled back (a savepoint, inside the caller's transaction), and inspected
// there. Nothing is committed; the role needs the CREATE privilege on the
// database.
Result<Schema> AsInspected(PgSession& session, const Schema& declared);

}  // namespace strata::postgres
