// Drift between two 1,000-table databases that differ in 50 tables (column
// type, NOT NULL, DEFAULT, added and dropped columns, added and dropped
// indexes). strata, in process: InspectSchema of both + Diff. The baseline is
// `sqldiff --schema a.db b.db` (Debian package sqlite3-tools), a whole
// process; when sqldiff is missing, the baseline is InspectSchema alone.
// Also reported: `strata diff --from a.db --to b.db --allow-destructive` as
// a process (strata_cli_ms), and how many differences each side finds.
#include <benchmark/benchmark.h>

#include <set>

#include <fmt/format.h>

#include "bench_util.h"
#include "diff/differ.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"

namespace {

using namespace strata;
using namespace strata::bench;

constexpr int kKinds = 7;

Table MakeTable(int64_t t) {
  static const char* types[] = {"INTEGER", "TEXT", "REAL", "VARCHAR(64)"};
  Table table{.name = fmt::format("t{:04}", t)};
  table.columns.push_back({.name = "id", .type = "INTEGER", .primary_key = true});
  for (int j = 1; j < 20; ++j) {
    Column c{.name = fmt::format("c{:02}", j), .type = types[(j - 1) % 4], .nullable = j % 3 != 0};
    if (j % 2 == 0)
      c.default_value = DefaultValue::Literal(c.type == "INTEGER" || c.type == "REAL" ? Value::Int(0) : Value::Text(""));
    table.columns.push_back(std::move(c));
  }
  table.indexes.push_back({.name = fmt::format("idx_{}_c02", table.name), .parts = {{.column = "c02"}}});
  table.indexes.push_back({.name = fmt::format("idx_{}_c03", table.name), .parts = {{.column = "c03"}}});
  return table;
}

void Change(Table& t, int kind) {
  switch (kind) {
    case 0: t.columns[2].type = "INTEGER"; break;                      // c02 TEXT -> INTEGER
    case 1: t.columns[4].nullable = !t.columns[4].nullable; break;     // c04 NOT NULL switched
    case 2: t.columns[6].default_value = DefaultValue::Literal(Value::Text("changed")); break;  // c06
    case 3: t.columns.push_back({.name = "added", .type = "TEXT"}); break;
    case 4: t.columns.erase(t.columns.begin() + 5); break;            // c05 dropped
    case 5: t.indexes.push_back({.name = "idx_" + t.name + "_c07", .parts = {{.column = "c07"}}}); break;
    case 6: t.indexes.pop_back(); break;                               // idx_..._c03 dropped
  }
}

struct Fixture {
  TempDir dir{"strata-drift-bench"};
  int64_t tables = Scaled(1000, 20);
  int64_t changed = std::max<int64_t>(1, tables / 20);
  std::string a = dir / "a.db";
  std::string b = dir / "b.db";
  std::string out = dir / "sqldiff.out";
  bool have_sqldiff = OnPath("sqldiff");

  Fixture() {
    Schema from, to;
    const int64_t every = tables / changed;
    for (int64_t t = 0; t < tables; ++t) {
      from.tables.push_back(MakeTable(t));
      to.tables.push_back(from.tables.back());
      if (t % every == 0 && t / every < changed) Change(to.tables.back(), static_cast<int>((t / every) % kKinds));
    }
    for (const auto& [path, schema] : {std::pair{a, &from}, std::pair{b, &to}}) {
      auto db = Must(sqlite::Database::Open(path), "create " + path);
      Must(db.Exec("BEGIN;" + sqlite::CreateSchemaSql(*schema) + "COMMIT;"), "create schema");
    }
    if (!have_sqldiff) std::cerr << "sqldiff not found (Debian: sqlite3-tools); baseline is InspectSchema alone\n";
  }
};

Schema Inspect(const std::string& path) {
  auto db = Must(sqlite::Database::Open(path, sqlite::Database::Mode::kReadOnly), "open " + path);
  return sqlite::AsInspected(Must(sqlite::InspectSchema(db), "inspect " + path));
}

// Tables the sqldiff output names in a DROP, CREATE or ALTER TABLE.
size_t SqldiffTables(const std::string& output, size_t* statements) {
  std::set<std::string> names;
  *statements = 0;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++*statements;
    for (const char* prefix : {"DROP TABLE ", "CREATE TABLE ", "ALTER TABLE "})
      if (line.starts_with(prefix)) {
        std::string rest = line.substr(std::string_view(prefix).size());
        names.insert(rest.substr(0, rest.find_first_of(" ;(")));
      }
  }
  return names.size();
}

void BM_Drift(benchmark::State& state) {
  Fixture f;
  Comparison comparison(0, f.have_sqldiff ? "sqldiff --schema (a process)" : "InspectSchema alone (no sqldiff)",
                        "every table, column and index of both databases read and compared");
  size_t tables_found = 0, changes_found = 0;
  double cli = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    const Schema from = Inspect(f.a);
    const Schema to = Inspect(f.b);
    const std::vector<strata::Change> changes = Diff(from, to, {}, {.compare_rows = false});
    const double seconds = SecondsSince(start);
    comparison.AddStrata(seconds);
    state.SetIterationTime(seconds);
    tables_found = changes.size();
    changes_found = 0;
    for (const strata::Change& c : changes)
      if (const auto* m = std::get_if<ModifyTable>(&c)) changes_found += m->changes.size();
      else ++changes_found;

    start = Clock::now();
    if (f.have_sqldiff) {
      if (RunProcess({"sqldiff", "--schema", f.a, f.b}, f.out) != 0) state.SkipWithError("sqldiff failed");
    } else {
      benchmark::DoNotOptimize(Inspect(f.a));
      benchmark::DoNotOptimize(Inspect(f.b));
    }
    comparison.AddBaseline(SecondsSince(start));

    start = Clock::now();
    // The differences drop columns: without --allow-destructive the script
    // is refused (exit 1) after it is printed.
    if (RunProcess({STRATA_BINARY, "diff", "--from", f.a, "--to", f.b, "--allow-destructive"}) != 0)
      state.SkipWithError("strata diff failed");
    cli += SecondsSince(start);
  }
  comparison.Report(state);
  const double n = static_cast<double>(state.iterations());
  state.counters["strata_cli_ms"] = cli * 1000 / n;
  state.counters["tables"] = static_cast<double>(f.tables);
  state.counters["strata_tables_differing"] = static_cast<double>(tables_found);
  state.counters["strata_differences"] = static_cast<double>(changes_found);
  if (f.have_sqldiff) {
    size_t statements = 0;
    state.counters["sqldiff_tables_differing"] = static_cast<double>(SqldiffTables(ReadText(f.out), &statements));
    state.counters["sqldiff_statements"] = static_cast<double>(statements);
  }
}
BENCHMARK(BM_Drift)->ArgName("tables")->Arg(Scaled(1000, 20))->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);

}  // namespace

STRATA_BENCHMARK_MAIN("comparison");
