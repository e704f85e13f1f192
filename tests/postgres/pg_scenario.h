// Runs a schema evolution on a real PostgreSQL database holding data: the
// PostgreSQL migrations are planned from the same YAML, applied with
// `psql -v ON_ERROR_STOP=1 -f` or through PostgresConnection, then down,
// then up again. After each, the live schema (read from the catalogs) must
// be that of a database created straight at the target state, and the kept
// rows must be unchanged. A failing migration must leave everything as it was.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "schema/table.h"

namespace strata::testing {

struct PgScenario {
  std::string name;
  std::string tables_yaml;  // tables of a project whose tags are `before` and `after`
  std::function<void(Schema& before, Schema& after)> edit;
  std::string seed_sql;     // run at `before`
  std::vector<std::string> kept;  // queries whose results never change
  std::vector<std::pair<std::string, std::string>> after_up, after_down;
  std::vector<std::string> up_script_contains;
  std::string up_fails_with;    // up must fail with this text and change nothing
  std::string up_fails_naming;  // ... naming these offending rows
};

inline void PrintTo(const PgScenario& s, std::ostream* os) { *os << s.name; }

// The scenario suite (pg_scenario_test.cc), also linted by squawk.
std::vector<PgScenario> AllScenarios();

enum class ApplyWith { kPsql, kConnection };

struct PgScripts {
  std::string create, up, down;
  std::string create_after;  // `after` from nothing, for the comparison
};
PgScripts MakePgScripts(const Schema& before, const Schema& after);

// The schema of the database's public schema, one line per column,
// constraint, index and view, sorted; the history table left out.
std::string DescribeSchema(const std::string& url);

void RunPgScenario(const PgScenario& s, ApplyWith with, const std::string& url, const std::string& server_url);

}  // namespace strata::testing
