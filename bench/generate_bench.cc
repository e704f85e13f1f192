// Generating a migration for a large schema: a synthetic 1,000-table,
// 20,000-column YAML schema (one file per table) whose second tag changes 50
// tables (column type, new column, NOT NULL, DEFAULT, new index). strata's
// states at both tags + diff + plan + render of the up migration is compared
// with loading (and validating) the YAML, measured in the same run. The whole
// `strata generate` work after loading (up and down files for every tag,
// including creating all 1,000 tables) is reported as generate_all_ms.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "bench_util.h"
#include "diff/differ.h"
#include "migrate/generator.h"
#include "sqlite/sqlite_dialect.h"
#include "yaml/loader.h"

namespace {

using namespace strata;
using namespace strata::bench;

constexpr int kColumns = 20;  // id and c01..c19

std::string TableName(int64_t t) { return fmt::format("t{:04}", t); }

std::string ColumnYaml(int j, int kind, bool changed) {
  static const char* types[] = {"INTEGER", "TEXT", "REAL", "VARCHAR(64)"};
  const std::string type = types[(j - 1) % 4];
  std::string out = fmt::format("      - name: c{:02}\n        type: {}\n", j, type);
  if (j % 2 == 0) out += type == "TEXT" || type == "VARCHAR(64)" ? "        default: ''\n" : "        default: 0\n";
  out += fmt::format("        description: synthetic column {}\n", j);
  if (!changed) return out;
  if (kind == 0 && j == 2) out += "        changes:\n          v2: {type: 'VARCHAR(200)'}\n";
  if (kind == 2 && j == 5) out += "        changes:\n          v2: {nullable: false, default: 0}\n";
  if (kind == 3 && j == 6) out += "        changes:\n          v2: {default: changed}\n";
  return out;
}

std::string TableYaml(int64_t t, bool changed, int kind) {
  std::string out = fmt::format("tables:\n  - name: {}\n    description: synthetic table {}\n    columns:\n", TableName(t), t);
  out += "      - name: id\n        type: INTEGER\n        primary_key: true\n";
  for (int j = 1; j < kColumns; ++j) out += ColumnYaml(j, kind, changed);
  if (changed && kind == 1) out += "      - name: added\n        type: TEXT\n        since: v2\n";
  if (t > 0 && t % 10 == 0)
    out += fmt::format("    foreign_keys:\n      - columns: [c01]\n        references: {{table: {}, columns: [id]}}\n",
                       TableName(t - 1));
  out += fmt::format("    indexes:\n      - name: idx_{0}_c02\n        columns: [c02]\n", TableName(t));
  if (changed && kind == 4)
    out += fmt::format("      - name: idx_{0}_c03\n        columns: [c03 DESC]\n        since: v2\n", TableName(t));
  return out;
}

struct Fixture {
  TempDir dir{"strata-generate-bench"};
  int64_t tables = Scaled(1000, 20);
  int64_t changed = std::max<int64_t>(1, tables / 20);
  std::filesystem::path schema_dir = dir.path() / "schema";

  Fixture() {
    WriteText(schema_dir / "project.yaml", "project: generate_bench\ndialect: sqlite\ntags: [v1, v2]\n");
    const int64_t every = tables / changed;
    for (int64_t t = 0; t < tables; ++t) {
      const bool is_changed = t % every == 0 && t / every < changed;
      WriteText(schema_dir / "tables" / (TableName(t) + ".yaml"),
                TableYaml(t, is_changed, static_cast<int>((t / every) % 5)));
    }
  }
};

VersionedSchema Load(const std::filesystem::path& dir) {
  Diagnostics diagnostics;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(dir, diagnostics);
  if (!schema) Fail("the synthetic schema does not load: " + std::to_string(diagnostics.size()) + " diagnostic(s)");
  return std::move(*schema);
}

void BM_Generate(benchmark::State& state) {
  Fixture f;
  const std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
  Comparison comparison(0.5, "loading and validating the YAML", "both states built, diffed, planned and rendered");
  size_t change_count = 0, script_bytes = 0, columns = 0;
  double generate_all = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    VersionedSchema schema = Load(f.schema_dir);
    comparison.AddBaseline(SecondsSince(start));

    start = Clock::now();
    const Schema from = schema.At(0);
    const Schema to = schema.At(1);
    const std::vector<Change> changes = Diff(from, to, RenameHints::From(to));
    const Plan plan = dialect->PlanMigration(from, to, changes, {.up = true});
    const std::string script = dialect->RenderMigration(plan, {"0020_v2.up.sql", 20, "v2", "v2", true, 10});
    const double seconds = SecondsSince(start);
    comparison.AddStrata(seconds);
    state.SetIterationTime(seconds);
    change_count = 0;
    for (const Change& c : changes)
      if (const auto* m = std::get_if<ModifyTable>(&c)) change_count += m->changes.size();
      else ++change_count;
    script_bytes = script.size();
    columns = 0;
    for (const Table& t : to.tables) columns += t.columns.size();

    start = Clock::now();
    benchmark::DoNotOptimize(GenerateMigrations(schema, *dialect, {}));
    generate_all += SecondsSince(start);
  }
  comparison.Report(state);
  state.counters["tables"] = static_cast<double>(f.tables);
  state.counters["columns"] = static_cast<double>(columns);
  state.counters["changes"] = static_cast<double>(change_count);
  state.counters["script_kb"] = static_cast<double>(script_bytes) / 1024.0;
  state.counters["generate_all_ms"] = generate_all * 1000 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Generate)->ArgName("tables")->Arg(Scaled(1000, 20))->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
