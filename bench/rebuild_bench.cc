// Rebuild of a 1,000,000-row table (at scale 1; BM_Rebuild/rows:<n>): a column type change and a new foreign
// key to a parent table, which ALTER TABLE cannot do. strata generates the
// migration from YAML and its Runner applies it, with the orphan precheck,
// the row-count and foreign-key postchecks and the history record. The
// baseline is the bare copy as raw SQL on the SQLite API (CREATE, INSERT ...
// SELECT, DROP, RENAME in one transaction, no verification). Both start from
// a copy of the same database file; the copy is not timed. Peak resident
// memory is measured for each side: rows never pass through C++, so it should
// stay flat whatever the row count.
#include <benchmark/benchmark.h>

#include <fmt/format.h>
#include <sqlite3.h>

#include "bench_util.h"
#include "migrate/generator.h"
#include "migrate/migration_dir.h"
#include "migrate/runner.h"
#include "sqlite/connection.h"
#include "sqlite/database.h"
#include "sqlite/sql_writer.h"
#include "sqlite/sqlite_dialect.h"
#include "yaml/loader.h"

namespace {

using namespace strata;
using namespace strata::bench;

constexpr std::string_view kProject = R"(project: rebuild_bench
dialect: sqlite
tags: [v1, v2]
)";

// v2 changes items.amount from INTEGER to REAL and adds items.parent_id ->
// parents.id.
constexpr std::string_view kTables = R"(tables:
  - name: parents
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: name, type: TEXT, nullable: false}
  - name: items
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: parent_id, type: INTEGER, nullable: false}
      - name: amount
        type: INTEGER
        changes:
          v2: {type: REAL}
      - {name: note, type: TEXT}
      - {name: created_at, type: TEXT}
    foreign_keys:
      - columns: [parent_id]
        references: {table: parents, columns: [id]}
        since: v2
)";

struct Fixture {
  TempDir dir{"strata-rebuild-bench"};
  int64_t rows = Scaled(1'000'000, 1000);
  int64_t parents = std::max<int64_t>(10, rows / 100);
  VersionedSchema schema;
  std::string template_db = dir / "template.db";
  std::string work_db = dir / "work.db";
  std::filesystem::path migrations = dir.path() / "migrations";
  std::string raw_sql;

  Fixture() {
    WriteText(dir.path() / "schema" / "project.yaml", std::string(kProject));
    WriteText(dir.path() / "schema" / "tables.yaml", std::string(kTables));
    Diagnostics diagnostics;
    std::optional<VersionedSchema> loaded = yaml::LoadSchemaDir(dir.path() / "schema", diagnostics);
    if (!loaded) Fail("the benchmark schema does not load");
    schema = std::move(*loaded);
    GenerateResult generated = GenerateMigrations(schema, *sqlite::MakeDialect(), {});
    Must(WriteMigrationFiles(migrations, generated.files), "write migrations");

    // The template: tag v1 applied by the Runner, then the rows.
    {
      auto connection = Must(sqlite::SqliteConnection::Open(template_db, {.create = true}), "open template");
      MigrationFiles files = Must(ReadMigrationDir(migrations), "read migrations");
      auto entries = Must(LoadMigrations(files, schema.project), "load migrations");
      Runner runner(*connection, entries, schema.project, files);
      Must(runner.Up({.tag = 0}, [](const RunEvent&) {}), "apply v1");
      Must(connection->database().Exec(fmt::format(
               "BEGIN;"
               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) "
               "INSERT INTO parents (id, name) SELECT i, 'parent ' || i FROM n;"
               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {1}) "
               "INSERT INTO items (id, parent_id, amount, note, created_at) "
               "SELECT i, 1 + (i * 7919) % {0}, i % 1000, 'note for item ' || i, '2024-01-01T00:00:00Z' FROM n;"
               "COMMIT;",
               parents, rows)),
           "fill template");
    }

    const Schema v2 = schema.At(1);
    const Table& items = *v2.FindTable("items");
    std::string columns;
    for (const Column& c : items.columns) columns += (columns.empty() ? "" : ", ") + sqlite::QuoteIdentifier(c.name);
    raw_sql = fmt::format(
        "PRAGMA foreign_keys = OFF; BEGIN; {}; INSERT INTO \"items_new\" ({}) SELECT {} FROM \"items\"; "
        "DROP TABLE \"items\"; ALTER TABLE \"items_new\" RENAME TO \"items\"; COMMIT;",
        sqlite::CreateTableSql(items, "items_new"), columns, columns);
  }
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

// What `strata up` does once its schema is loaded: read the folder, check
// it, apply the pending migration.
double RunStrata(Fixture& f) {
  const Clock::time_point start = Clock::now();
  MigrationFiles files = Must(ReadMigrationDir(f.migrations), "read migrations");
  auto entries = Must(LoadMigrations(files, f.schema.project), "load migrations");
  auto connection = Must(sqlite::SqliteConnection::Open(f.work_db), "open work db");
  Runner runner(*connection, entries, f.schema.project, files);
  Must(runner.Up({.allow_destructive = true}, [](const RunEvent&) {}), "strata up");
  return SecondsSince(start);
}

double RunRaw(Fixture& f) {
  const Clock::time_point start = Clock::now();
  auto db = Must(sqlite::Database::Open(f.work_db), "open work db");
  RawExec(db, f.raw_sql, "raw rebuild");
  return SecondsSince(start);
}

void VerifyRebuilt(Fixture& f) {
  auto db = Must(sqlite::Database::Open(f.work_db, sqlite::Database::Mode::kReadOnly), "open result");
  if (Must(db.QueryInt("SELECT count(*) FROM pragma_foreign_key_list('items')"), "fk list") != 1)
    Fail("the rebuilt table has no foreign key");
  if (Must(db.QueryString("SELECT type FROM pragma_table_info('items') WHERE name = 'amount'"), "type") != "REAL")
    Fail("the rebuilt column has the old type");
  if (Must(db.QueryInt("SELECT count(*) FROM items"), "count") != f.rows) Fail("rows lost");
}

void BM_Rebuild(benchmark::State& state) {
  Fixture& f = GetFixture();
  Comparison comparison(1.15, "bare copy (CREATE, INSERT ... SELECT, DROP, RENAME), no checks",
                        "the new foreign key checked on every old row; row counts before and after");
  double strata_peak = 0, raw_peak = 0, idle = 0;
  bool strata_first = true;
  for (auto _ : state) {
    double strata_seconds = 0;
    for (int side = 0; side < 2; ++side) {
      const bool strata = (side == 0) == strata_first;
      CopyDatabaseFile(f.template_db, f.work_db);
      ResetPeakRss();
      idle = std::max(idle, PeakRssMiB());
      if (strata) {
        strata_seconds = RunStrata(f);
        comparison.AddStrata(strata_seconds);
        strata_peak = std::max(strata_peak, PeakRssMiB());
        VerifyRebuilt(f);
      } else {
        comparison.AddBaseline(RunRaw(f));
        raw_peak = std::max(raw_peak, PeakRssMiB());
      }
    }
    strata_first = !strata_first;
    state.SetIterationTime(strata_seconds);
  }
  comparison.Report(state);
  state.counters["rows"] = static_cast<double>(f.rows);
  state.counters["rss_before_mb"] = idle;
  state.counters["strata_peak_rss_mb"] = strata_peak;
  state.counters["baseline_peak_rss_mb"] = raw_peak;
}
BENCHMARK(BM_Rebuild)
    ->ArgName("rows")
    ->Arg(Scaled(1'000'000, 1000))
    ->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
