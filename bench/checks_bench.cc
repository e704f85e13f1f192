// The orphan-record check of one foreign key (sqlite::BuildChecks and
// RunChecks) on a 1,000,000-row child table with 1% orphans, against
// `PRAGMA foreign_key_check(child)` on the same table in the same run:
//
//   no_child_index    the child column has no index        (target <= 0.5x)
//   child_index       an index leads with the child column (target <= 0.2x)
//   unindexed_parent  the parent key has no index: the pragma refuses with
//                     "foreign key mismatch", so the baseline is one full
//                     scan of each table (no target)
//
// Both sides must find the same number of orphaned rows.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "bench_util.h"
#include "sqlite/checks.h"
#include "sqlite/database.h"
#include "sqlite/sql_writer.h"

namespace {

using namespace strata;
using namespace strata::bench;

Column IntColumn(std::string name, bool primary_key = false) {
  return {.name = std::move(name), .type = "INTEGER", .primary_key = primary_key};
}

Table ChildTable(const std::string& name, const std::string& column, const std::string& parent_column) {
  Table t{.name = name, .columns = {IntColumn("id", true), IntColumn(column), {.name = "payload", .type = "TEXT"}}};
  t.foreign_keys.push_back({.columns = {column}, .ref_table = "parents", .ref_columns = {parent_column}});
  return t;
}

struct Fixture {
  TempDir dir{"strata-checks-bench"};
  int64_t rows = Scaled(1'000'000, 1000);
  // ChefSocial's own shape: 100,000 users own 1,000,000 content rows. (With
  // 100 children per parent the whole parent table stays in SQLite's page
  // cache and the pragma's probe per row is cheap; the figures of both
  // shapes are in RESULTS.md.)
  int64_t parents = std::max<int64_t>(10, rows / 10);
  int64_t orphans = 0;
  std::string path = dir / "checks.db";
  Schema schema;
  std::string pragma_error;

  Fixture() {
    // parents.code is neither a key nor indexed.
    Table parent_table{.name = "parents", .columns = {IntColumn("id", true), IntColumn("code"), {.name = "name", .type = "TEXT"}}};
    Table plain = ChildTable("child_plain", "parent_id", "id");
    Table indexed = ChildTable("child_indexed", "parent_id", "id");
    indexed.indexes.push_back({.name = "idx_child_indexed_parent", .parts = {{.column = "parent_id"}}});
    Table by_code = ChildTable("child_code", "parent_code", "code");
    schema.tables = {parent_table, plain, indexed, by_code};

    auto db = Must(sqlite::Database::Open(path), "create db");
    // Every 100th row points at a parent that does not exist (100 distinct
    // missing keys); the others spread over all parents.
    const std::string key = fmt::format("CASE WHEN i % 100 = 0 THEN {0} + 1 + (i / 100) % 100 ELSE 1 + (i * 7919) % {0} END", parents);
    std::string fill;
    for (const char* child : {"child_plain", "child_indexed"})
      fill += fmt::format(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) "
          "INSERT INTO {1} (id, parent_id, payload) SELECT i, {2}, 'payload of row ' || i FROM n;",
          rows, child, key);
    fill += fmt::format(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) "
        "INSERT INTO child_code (id, parent_code, payload) SELECT i, ({1}) * 3, 'payload of row ' || i FROM n;",
        rows, key);
    Must(db.Exec(fmt::format(
             "PRAGMA foreign_keys = OFF; BEGIN; {}"
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "
             "INSERT INTO parents (id, code, name) SELECT i, i * 3, 'parent ' || i FROM n;"
             "{} COMMIT; ANALYZE;",
             sqlite::CreateSchemaSql(schema), parents, fill)),
         "fill db");
    orphans = Must(db.QueryInt("SELECT count(*) FROM child_plain WHERE parent_id NOT IN (SELECT id FROM parents)"),
                   "count orphans");
    Result<sqlite::Statement> stmt = db.Prepare("PRAGMA foreign_key_check(child_code)");
    Status status = stmt.ok() ? stmt->Step().status() : stmt.status();
    pragma_error = status.ok() ? "(no error)" : status.message();
    std::cerr << "PRAGMA foreign_key_check(child_code) with an unindexed parent key: " << pragma_error << "\n";
  }

  // The check strata builds for the foreign key of `child`.
  std::vector<IntegrityCheck> ChecksFor(const std::string& child) const {
    Schema one{.tables = {*schema.FindTable("parents"), *schema.FindTable(child)}};
    return sqlite::BuildChecks(one);
  }
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

int64_t RunStrata(sqlite::Database& db, const std::vector<IntegrityCheck>& checks) {
  std::vector<CheckResult> results = sqlite::RunChecks(db, checks, 10);
  if (results.size() != 1 || !results[0].error.empty())
    Fail("check failed to run: " + (results.empty() ? "" : results[0].error));
  return results[0].offending_rows;
}

int64_t StepAll(sqlite::Database& db, const std::string& sql) {
  sqlite::Statement stmt = Must(db.Prepare(sql), sql);
  int64_t n = 0;
  while (Must(stmt.Step(), sql)) ++n;
  return n;
}

void BM_OrphanCheck(benchmark::State& state) {
  Fixture& f = GetFixture();
  const int which = static_cast<int>(state.range(1));
  const std::string child = which == 0 ? "child_plain" : which == 1 ? "child_indexed" : "child_code";
  const std::vector<IntegrityCheck> checks = f.ChecksFor(child);
  if (checks.size() != 1) Fail("expected one check for " + child);
  auto db = Must(sqlite::Database::Open(f.path, sqlite::Database::Mode::kReadOnly), "open db");
  Comparison comparison(which == 0   ? 0.5
                        : which == 1 ? 0.2
                                     : 0,
                        which == 0   ? "PRAGMA foreign_key_check; no index on the child column"
                        : which == 1 ? "PRAGMA foreign_key_check; an index leads with the child column"
                                     : "one scan of each table; the parent key has no index (the pragma refuses)",
                        "orphans grouped by key (a count per missing parent) and 10 sample keys");
  int64_t strata_found = 0, baseline_found = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    strata_found = RunStrata(db, checks);
    const double seconds = SecondsSince(start);
    comparison.AddStrata(seconds);
    state.SetIterationTime(seconds);
    start = Clock::now();
    if (which < 2) {
      baseline_found = StepAll(db, fmt::format("PRAGMA foreign_key_check({})", child));
    } else {
      baseline_found = StepAll(db, "SELECT count(parent_code) FROM child_code") +
                       StepAll(db, "SELECT count(code) FROM parents") - 2;
    }
    comparison.AddBaseline(SecondsSince(start));
  }
  if (strata_found != f.orphans) state.SkipWithError("strata counted a different number of orphans");
  if (which < 2 && baseline_found != f.orphans) state.SkipWithError("the pragma counted a different number of orphans");
  comparison.Report(state);
  state.counters["rows"] = static_cast<double>(f.rows);
  state.counters["orphans"] = static_cast<double>(strata_found);
  state.counters["child_indexed"] = checks[0].child_indexed ? 1 : 0;
}
// case: 0 no child index, 1 a child index, 2 a parent key without an index.
BENCHMARK(BM_OrphanCheck)
    ->ArgNames({"rows", "case"})
    ->Args({Scaled(1'000'000, 1000), 0})
    ->Args({Scaled(1'000'000, 1000), 1})
    ->Args({Scaled(1'000'000, 1000), 2})
    ->UseManualTime()
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
