// Loading and creating the ChefSocial schema. CreateSchema is compared with
// raw SQLite executing the same SQL text in one transaction, in the same run:
// the ratio is what strata's wrapper costs.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench_util.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/sql_writer.h"
#include "yaml/loader.h"

namespace {

using namespace strata;

VersionedSchema LoadChefSocial() {
  Diagnostics d;
  return *yaml::LoadSchemaDir(bench::SchemaDir(), d);
}

void BM_LoadAndValidateChefSocial(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(LoadChefSocial());
}
BENCHMARK(BM_LoadAndValidateChefSocial)->Unit(benchmark::kMicrosecond);

void BM_CreateSchema_Strata(benchmark::State& state) {
  const Schema schema = LoadChefSocial().Latest();
  for (auto _ : state) {
    auto db = sqlite::Database::Open(":memory:");
    if (!sqlite::CreateSchema(*db, schema).ok()) state.SkipWithError("create failed");
  }
}
BENCHMARK(BM_CreateSchema_Strata)->Unit(benchmark::kMicrosecond);

void BM_CreateSchema_RawSqlite(benchmark::State& state) {
  const std::string sql = "BEGIN;" + sqlite::CreateSchemaSql(LoadChefSocial().Latest()) + "COMMIT;";
  for (auto _ : state) {
    auto db = sqlite::Database::Open(":memory:");
    if (!db->Exec(sql).ok()) state.SkipWithError("raw create failed");
  }
}
BENCHMARK(BM_CreateSchema_RawSqlite)->Unit(benchmark::kMicrosecond);

}  // namespace

STRATA_BENCHMARK_MAIN("timing");
