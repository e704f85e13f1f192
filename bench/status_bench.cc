// `strata status` on an up-to-date database, from process start to exit:
// the ChefSocial schema (copied from the repository) with its generated
// migrations, all applied. The baseline is the cheapest look at the same
// history table: `sqlite3 FILE 'select 1 from strata_migrations limit 1'`,
// also a whole process. Both are spawned alternately in the same run.
#include <benchmark/benchmark.h>

#include "bench_util.h"

namespace {

using namespace strata::bench;

struct Fixture {
  TempDir dir{"strata-status-bench"};
  std::string schema = dir / "schema";
  std::string migrations = dir / "migrations";
  std::string db = dir / "status.db";

  Fixture() {
    std::filesystem::copy(SchemaDir(), schema,
                          std::filesystem::copy_options::recursive);
    if (RunProcess({STRATA_BINARY, "generate", "--schema", schema, "--migrations", migrations, "--checks",
                    dir / "checks"}) != 0)
      Fail("strata generate");
    if (RunProcess({STRATA_BINARY, "up", "--schema", schema, "--migrations", migrations, "--db", db, "--no-backup"}) != 0)
      Fail("strata up");
    if (Status() != 0) Fail("strata status does not report an up-to-date database");
    if (!OnPath("sqlite3")) Fail("sqlite3 is not on PATH (Debian package sqlite3)");
    if (Sqlite3() != 0) Fail("sqlite3 cannot read the history table");
  }

  int Status() const {
    return RunProcess({STRATA_BINARY, "status", "--schema", schema, "--migrations", migrations, "--db", db});
  }
  int Sqlite3() const { return RunProcess({"sqlite3", db, "select 1 from strata_migrations limit 1"}); }
};

void BM_StatusProcess(benchmark::State& state) {
  Fixture f;
  Comparison comparison(1.2, "sqlite3 process reading the history table",
                        "a process start (dynamic linking), project.yaml read, every migration file hashed");
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    if (f.Status() != 0) state.SkipWithError("strata status failed");
    const double seconds = SecondsSince(start);
    comparison.AddStrata(seconds);
    state.SetIterationTime(seconds);
    start = Clock::now();
    if (f.Sqlite3() != 0) state.SkipWithError("sqlite3 failed");
    comparison.AddBaseline(SecondsSince(start));
  }
  comparison.Report(state);
}
BENCHMARK(BM_StatusProcess)->UseManualTime()->Iterations(50)->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
