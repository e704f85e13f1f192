// Applying 1,000 small generated migrations at scale 1 (each adds a table or
// a column) to an empty database. The migrations are generated from a YAML
// schema with 1,000 tags and written to a folder with its strata.sum, as
// `strata generate` would. strata reads the folder, checks the sum file and
// applies everything through the Runner; the baseline reads the same up
// files and executes each with sqlite3_exec, in the same run.
//
// Per-migration transactions: the Runner's Up vs each file's SQL as it is
// (every file has its own BEGIN IMMEDIATE ... COMMIT). Single transaction:
// the Runner's Up with single_transaction vs the same files with their
// transaction statements removed, run between one BEGIN and one COMMIT.
#include <benchmark/benchmark.h>

#include <fmt/format.h>
#include <sqlite3.h>

#include "bench_util.h"
#include "migrate/generator.h"
#include "migrate/migration_dir.h"
#include "migrate/runner.h"
#include "sqlite/connection.h"
#include "sqlite/database.h"
#include "sqlite/sqlite_dialect.h"
#include "yaml/loader.h"

namespace {

using namespace strata;
using namespace strata::bench;

std::string Tag(int64_t i) { return fmt::format("m{:04}", i); }

struct Fixture {
  TempDir dir{"strata-apply-bench"};
  int64_t migrations = Scaled(1000, 10) / 2 * 2;
  VersionedSchema schema;
  std::filesystem::path migrations_dir = dir.path() / "migrations";
  std::string db = dir / "apply.db";

  Fixture() {
    // Migration 2k creates table k; migration 2k+1 adds a column to it.
    std::string tags;
    for (int64_t i = 0; i < migrations; ++i) tags += (i ? ", " : "") + Tag(i);
    WriteText(dir.path() / "schema" / "project.yaml", fmt::format("project: apply_bench\ndialect: sqlite\ntags: [{}]\n", tags));
    std::string tables = "tables:\n";
    for (int64_t k = 0; k < migrations / 2; ++k)
      tables += fmt::format(
          "  - name: table_{0:04}\n    since: {1}\n    columns:\n"
          "      - {{name: id, type: INTEGER, primary_key: true}}\n"
          "      - {{name: name, type: TEXT, nullable: false, default: ''}}\n"
          "      - {{name: added, type: INTEGER, default: 0, since: {2}}}\n",
          k, Tag(2 * k), Tag(2 * k + 1));
    WriteText(dir.path() / "schema" / "tables.yaml", tables);
    Diagnostics diagnostics;
    std::optional<VersionedSchema> loaded = yaml::LoadSchemaDir(dir.path() / "schema", diagnostics);
    if (!loaded) Fail("the benchmark schema does not load");
    schema = std::move(*loaded);
    Must(WriteMigrationFiles(migrations_dir, GenerateMigrations(schema, *sqlite::MakeDialect(), {}).files),
         "write migrations");
  }

  std::vector<std::filesystem::path> UpFiles() const {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(migrations_dir))
      if (entry.path().filename().string().ends_with(".up.sql")) out.push_back(entry.path());
    // By version: past 9990 the names no longer sort as text ("10000_" < "1000_").
    const auto version = [](const std::filesystem::path& p) {
      return ParseMigrationFileName(p.filename().string())->version;
    };
    std::sort(out.begin(), out.end(), [&](const auto& x, const auto& y) { return version(x) < version(y); });
    return out;
  }

  void Verify() const {
    auto database = Must(sqlite::Database::Open(db, sqlite::Database::Mode::kReadOnly), "open result");
    if (Must(database.QueryInt("SELECT count(*) FROM strata_migrations"), "history") != migrations)
      Fail("not every migration is recorded");
    if (Must(database.QueryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name LIKE 'table\\_%' ESCAPE '\\'"),
             "tables") != migrations / 2)
      Fail("tables missing");
  }
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

double RunStrata(Fixture& f, bool single_transaction) {
  RemoveDatabase(f.db);
  const Clock::time_point start = Clock::now();
  MigrationFiles files = Must(ReadMigrationDir(f.migrations_dir), "read migrations");
  auto entries = Must(LoadMigrations(files, f.schema.project), "load migrations");
  auto connection = Must(sqlite::SqliteConnection::Open(f.db, {.create = true}), "open db");
  Runner runner(*connection, entries, f.schema.project, files);
  Must(runner.Up({.single_transaction = single_transaction}, [](const RunEvent&) {}), "strata up");
  return SecondsSince(start);
}

// A generated file without the statements that manage its transaction and
// foreign keys (each is alone on its line).
std::string WithoutTransaction(const std::string& sql) {
  std::string out;
  for (size_t start = 0; start < sql.size();) {
    size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    std::string_view line(sql.data() + start, end - start);
    if (line != "BEGIN IMMEDIATE;" && line != "COMMIT;" && !line.starts_with("PRAGMA foreign_keys"))
      out.append(line).append("\n");
    start = end + 1;
  }
  return out;
}

double RunRaw(Fixture& f, bool single_transaction) {
  RemoveDatabase(f.db);
  const Clock::time_point start = Clock::now();
  auto db = Must(sqlite::Database::Open(f.db), "open db");
  if (single_transaction) {
    std::string sql = "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;\n";
    for (const std::filesystem::path& file : f.UpFiles()) sql += WithoutTransaction(ReadText(file));
    RawExec(db, sql + "COMMIT; PRAGMA foreign_keys = ON;", "raw apply");
  } else {
    for (const std::filesystem::path& file : f.UpFiles()) RawExec(db, ReadText(file), "raw apply " + file.string());
  }
  return SecondsSince(start);
}

void BM_ApplyMigrations(benchmark::State& state) {
  Fixture& f = GetFixture();
  const bool single = state.range(1) == 1;
  Comparison comparison(single ? 1.2 : 1.05,
                        single ? "the same files as one script in one transaction" : "each file executed as it is",
                        "per file: history checks under the lock, checksum row, split into statements");
  bool strata_first = true;
  for (auto _ : state) {
    double strata_seconds = 0;
    for (int side = 0; side < 2; ++side) {
      if ((side == 0) == strata_first) {
        strata_seconds = RunStrata(f, single);
        comparison.AddStrata(strata_seconds);
      } else {
        comparison.AddBaseline(RunRaw(f, single));
      }
      f.Verify();
    }
    strata_first = !strata_first;
    state.SetIterationTime(strata_seconds);
  }
  comparison.Report(state);
  state.counters["migrations"] = static_cast<double>(f.migrations);
}
BENCHMARK(BM_ApplyMigrations)
    ->ArgNames({"migrations", "single_transaction"})
    ->Args({Scaled(1000, 10) / 2 * 2, 0})
    ->Args({Scaled(1000, 10) / 2 * 2, 1})
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
