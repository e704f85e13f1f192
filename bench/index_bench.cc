// The declared hot queries of schema/queries.yaml on the generated ChefSocial
// database (bench/chefsocial_data.h, 100,000 users and 1,000,000
// conversations and content rows at scale 1), with and without the index
// their plan uses, in the same run on the same file.
//
// For each query, EXPLAIN QUERY PLAN names the index(es) the plan uses
// ("the relevant index"). Two benchmarks then run the same query with the
// same parameter values:
//
//   BM_Query/<name>/with_index     the query as declared
//   BM_Query/<name>/without_index  the same query with NOT INDEXED on each
//                                  table whose index the plan uses, so
//                                  SQLite reads the table instead
//
// A query whose plan uses no index (a scan) gets one benchmark,
// BM_Query/<name>/scan. Each iteration runs the query once with each of its
// (up to 16) parameter sets and reads every row; the reported time is per
// query (manual time: the iteration's time divided by the number of sets),
// so both variants average over the same values. The label holds the plan
// as fields separated by " | ": "index: <the index the plan uses>" (on
// without_index "bypassed: ..."; on a scan "index: none"), "plan: <strata's
// classification of the plan>" (QueryPlan::Classification, as
// `strata explain` prints it) and "detail: <EXPLAIN QUERY PLAN's rows>".
// Counters: rows (per query), and on without_index the speedup (time
// without / time with), with_us and without_us. Parameter
// values are sampled from the data (SampleQueryParameters, shared with
// pg_index_bench, which runs the same queries with the same values on
// PostgreSQL): user-facing queries get users drawn from rows of their
// activity tables, so the busy users come up as often as they would in
// traffic. An automatic index used in place of a declared index with the
// same columns is named with that unused duplicate.
#include <benchmark/benchmark.h>

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>
#include <regex>
#include <set>

#include "bench_util.h"
#include "chefsocial_data.h"
#include "sqlite/database.h"
#include "sqlite/explain.h"
#include "sqlite/sql_writer.h"
#include "yaml/loader.h"

namespace {

using namespace strata;
using namespace strata::bench;

using Params = QueryParams;

struct PlanLine {
  std::string alias;   // the table or alias after SCAN/SEARCH
  std::string index;   // the named index it uses, "" for none
};

struct Plan {
  std::string text;  // the detail lines joined with "; "
  std::string classification;  // as `strata explain` prints it
  std::vector<PlanLine> lines;
  std::vector<std::string> Indexes() const {
    std::vector<std::string> out;
    for (const PlanLine& l : lines)
      if (!l.index.empty() && std::find(out.begin(), out.end(), l.index) == out.end()) out.push_back(l.index);
    return out;
  }
};

// `tables`: the names of the schema's tables, which plan rows may name
// through an alias.
Plan ExplainPlan(sqlite::Database& db, const std::string& sql, const std::vector<std::string>& tables) {
  static const std::regex kLine(R"(^(?:SCAN|SEARCH) (\S+)(?: USING (?:COVERING )?INDEX (\S+))?)");
  QueryPlan classified;
  classified.steps = Must(sqlite::ExplainQueryPlan(db, sql, tables), "EXPLAIN QUERY PLAN " + sql);
  Plan plan;
  plan.classification = classified.Classification();
  for (const PlanStep& step : classified.steps) {
    plan.text += (plan.text.empty() ? "" : "; ") + step.detail;
    std::smatch m;
    if (std::regex_search(step.detail, m, kLine)) plan.lines.push_back({m[1].str(), m[2].str()});
  }
  return plan;
}

// The label of a run: "<key>: <index> | plan: <classification> | detail: <rows>".
std::string PlanLabel(const std::string& key, const std::string& index, const Plan& plan) {
  return fmt::format("{}: {} | plan: {} | detail: {}", key, index, plan.classification, plan.text);
}

// `sql` with NOT INDEXED after each FROM/JOIN table whose name or alias is
// in `aliases`.
std::string WithoutIndexes(const std::string& sql, const std::set<std::string>& aliases) {
  static const std::regex kTable(R"(\b(?:FROM|JOIN)\s+(\w+)(?:\s+AS\s+(\w+))?)", std::regex::icase);
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), kTable); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const std::string alias = m[2].matched ? m[2].str() : m[1].str();
    const size_t end = static_cast<size_t>(m.position(0) + m.length(0));
    out += sql.substr(last, end - last);
    if (aliases.count(alias)) out += " NOT INDEXED";
    last = end;
  }
  return out + sql.substr(last);
}

// "sqlite_autoindex_users_1 (UNIQUE email)" for the automatic index of a
// constraint; declared indexes by their name alone.
std::string DescribeIndex(sqlite::Database& db, const std::string& index) {
  if (!index.starts_with("sqlite_autoindex_")) return index;
  sqlite::Statement st = Must(db.Prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno"), "index_info");
  Must(st.Bind(1, index), "bind");
  std::string columns;
  while (Must(st.Step(), "index column")) columns += (columns.empty() ? "" : ", ") + st.Text(0);
  // Declared indexes with the same key columns, which the planner passes over.
  sqlite::Statement same = Must(db.Prepare(R"(
      SELECT l.name FROM sqlite_schema AS t, pragma_index_list(t.tbl_name) AS l
      WHERE t.name = ?1 AND l.name <> ?1 AND l.origin = 'c'
        AND (SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) = ?2
      ORDER BY l.name)"),
                                "duplicate indexes");
  Must(same.Bind(1, index), "bind");
  Must(same.Bind(2, columns), "bind");
  std::string unused;
  while (Must(same.Step(), "duplicate index")) unused += (unused.empty() ? "" : ", ") + same.Text(0);
  return fmt::format("{} (UNIQUE {}{})", index, columns, unused.empty() ? "" : "; unused duplicate: " + unused);
}

struct Case {
  std::string name;
  std::string sql;
  std::string bypass_sql;  // "" when the plan uses no index
  std::vector<Params> params;
  std::string index_text;  // the index(es) the plan uses, described
  Plan with;
  Plan without;
  std::string error;  // why the query cannot run, "" when it can
};

struct Fixture {
  ChefSocialData data;
  std::optional<sqlite::Database> db;
  std::vector<Case> cases;
  std::map<std::string, double> with_seconds;  // per query, from the with_index runs
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

// Runs the prepared query once with parameter set `i` and reads every row.
int64_t RunOnce(sqlite3_stmt* stmt, const std::vector<Params>& params, size_t i) {
  sqlite3_reset(stmt);
  if (!params.empty()) {
    const Params& p = params[i % params.size()];
    for (size_t k = 0; k < p.size(); ++k)
      sqlite3_bind_text(stmt, static_cast<int>(k + 1), p[k].data(), static_cast<int>(p[k].size()), SQLITE_STATIC);
  }
  int64_t rows = 0;
  const int columns = sqlite3_column_count(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++rows;
    int64_t bytes = 0;
    for (int c = 0; c < columns; ++c) {
      sqlite3_column_text(stmt, c);
      bytes += sqlite3_column_bytes(stmt, c);
    }
    benchmark::DoNotOptimize(bytes);
  }
  if (rc != SQLITE_DONE) Fail(std::string("query failed: ") + sqlite3_errmsg(sqlite3_db_handle(stmt)));
  return rows;
}

// A prepared statement on the raw API, for the timed loop.
using RawStatement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

RawStatement PrepareRaw(sqlite::Database& db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    Fail("prepare " + sql + ": " + sqlite3_errmsg(db.handle()));
  return RawStatement(stmt, sqlite3_finalize);
}

enum class Variant { kWithIndex, kWithoutIndex, kScan };

// Mean seconds per query of `stmt` over at least `min_seconds`.
double MeasureMean(sqlite3_stmt* stmt, const std::vector<Params>& params, double min_seconds) {
  const Clock::time_point start = Clock::now();
  size_t n = 0;
  do RunOnce(stmt, params, n++);
  while (SecondsSince(start) < min_seconds || n % std::max<size_t>(1, params.size()) != 0);
  return SecondsSince(start) / static_cast<double>(n);
}

void BM_Query(benchmark::State& state, size_t case_index, Variant variant) {
  Fixture& f = GetFixture();
  const Case& c = f.cases[case_index];
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  const bool bypass = variant == Variant::kWithoutIndex;
  RawStatement statement = PrepareRaw(*f.db, bypass ? c.bypass_sql : c.sql);
  sqlite3_stmt* raw = statement.get();

  // Each iteration runs the query once with every parameter set, so both
  // variants average over the same values; the iteration time is per query.
  const size_t per_cycle = std::max<size_t>(1, c.params.size());
  int64_t rows = 0;
  double total = 0;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    for (size_t i = 0; i < per_cycle; ++i) rows += RunOnce(raw, c.params, i);
    const double seconds = SecondsSince(start);
    total += seconds;
    state.SetIterationTime(seconds / static_cast<double>(per_cycle));
  }
  const double queries = static_cast<double>(state.iterations()) * static_cast<double>(per_cycle);
  const double seconds = queries > 0 ? total / queries : 0;
  state.counters["rows"] = static_cast<double>(rows) / std::max(1.0, queries);
  state.counters["parameter_sets"] = static_cast<double>(c.params.size());
  switch (variant) {
    case Variant::kWithIndex:
      f.with_seconds[c.name] = seconds;
      state.SetLabel(PlanLabel("index", c.index_text, c.with));
      break;
    case Variant::kWithoutIndex: {
      double with = 0;
      if (auto it = f.with_seconds.find(c.name); it != f.with_seconds.end()) {
        with = it->second;
      } else {  // with_index was filtered out: measure it here
        RawStatement indexed = PrepareRaw(*f.db, c.sql);
        with = MeasureMean(indexed.get(), c.params, 0.1);
      }
      state.counters["with_us"] = with * 1e6;
      state.counters["without_us"] = seconds * 1e6;
      state.counters["speedup"] = with > 0 ? seconds / with : 0;
      state.SetLabel(PlanLabel("bypassed", c.index_text, c.without));
      break;
    }
    case Variant::kScan:
      state.SetLabel(PlanLabel("index", "none", c.with));
      break;
  }
}

void Setup(double min_time) {
  Fixture& f = GetFixture();
  Diagnostics diagnostics;
  std::optional<VersionedSchema> schema =
      yaml::LoadSchemaDir(SchemaDir(), diagnostics);
  if (!schema) Fail("schema/ does not load");
  f.data = Must(ChefSocialDatabase(*schema, Scale(), DefaultDataDir()), "ChefSocial data");
  f.db.emplace(Must(sqlite::Database::Open(f.data.path, sqlite::Database::Mode::kReadOnly), "open " + f.data.path));

  int64_t total_rows = 0;
  for (const auto& [table, n] : f.data.row_counts) total_rows += n;
  benchmark::AddCustomContext("chefsocial_db", f.data.path);
  benchmark::AddCustomContext("chefsocial_scale", fmt::format("{}", f.data.scale));
  benchmark::AddCustomContext("chefsocial_rows", std::to_string(total_rows));
  benchmark::AddCustomContext("chefsocial_size_mb", fmt::format("{:.1f}", static_cast<double>(f.data.size_bytes) / 1048576.0));
  benchmark::AddCustomContext("chefsocial_generate_seconds", fmt::format("{:.1f}", f.data.generate_seconds));
  benchmark::AddCustomContext("chefsocial_reused", f.data.reused ? "true" : "false");

  std::vector<std::string> tables;
  for (const Table& t : schema->Latest().tables) tables.push_back(t.name);
  for (const Query& q : schema->Latest().queries) {
    Case c{.name = q.name, .sql = q.sql};
    c.with = ExplainPlan(*f.db, c.sql, tables);
    const std::vector<std::string> indexes = c.with.Indexes();
    if (!indexes.empty()) {
      std::set<std::string> aliases;
      for (const PlanLine& l : c.with.lines)
        if (!l.index.empty()) aliases.insert(l.alias);
      c.bypass_sql = WithoutIndexes(c.sql, aliases);
      c.without = ExplainPlan(*f.db, c.bypass_sql, tables);
      for (const std::string& index : indexes)
        c.index_text += (c.index_text.empty() ? "" : " + ") + DescribeIndex(*f.db, index);
    }
    const int parameters = sqlite3_bind_parameter_count(PrepareRaw(*f.db, c.sql).get());
    if (parameters > 0) {
      Result<std::vector<Params>> sampled = SampleQueryParameters(*f.db, c.name);
      if (!sampled.ok())
        c.error = sampled.status().message();
      else
        c.params = std::move(sampled.value());
      if (c.error.empty() && (c.params.empty() || static_cast<int>(c.params[0].size()) != parameters))
        c.error = "no parameter values sampled for query " + c.name;
    }
    f.cases.push_back(std::move(c));
  }

  for (size_t i = 0; i < f.cases.size(); ++i) {
    const Case& c = f.cases[i];
    auto add = [&](const char* suffix, Variant v) {
      benchmark::internal::Benchmark* b =
          benchmark::RegisterBenchmark(("BM_Query/" + c.name + "/" + suffix).c_str(),
                                       [i, v](benchmark::State& state) { BM_Query(state, i, v); })
              ->UseManualTime()
              ->Unit(benchmark::kMicrosecond);
      // The manual time is per query, an iteration runs every parameter set:
      // scale the minimum time so the wall-clock time is what was asked for.
      if (min_time > 0) b->MinTime(min_time / static_cast<double>(std::max<size_t>(1, c.params.size())));
    };
    if (c.bypass_sql.empty()) {
      add("scan", Variant::kScan);
    } else {
      add("with_index", Variant::kWithIndex);
      add("without_index", Variant::kWithoutIndex);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double min_time = MinTimeFlag(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  AddRunContext("index");
  benchmark::AddCustomContext("strata_without_index", "the same query with NOT INDEXED on the tables whose index its plan uses");
  Setup(min_time);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
