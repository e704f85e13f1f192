// The declared queries of schema/queries.yaml on PostgreSQL, with and
// without the index their plan uses: index_bench's question asked of the
// other engine, on the same rows with the same parameter values.
//
// Setup, on the server STRATA_BENCH_PG names (a libpq URL; `eval
// "$(scripts/pg-server start)"` gives one in STRATA_TEST_PG):
//
//   1. a fresh database (strata_bench_<random>), dropped at the end;
//   2. the ChefSocial PostgreSQL migrations (migrations/postgres/), applied
//      by strata's Runner as `strata up` applies them;
//   3. the rows of the generated SQLite database (bench/chefsocial_data.h,
//      the same file index_bench reads), streamed table by table with COPY
//      ... FROM STDIN (FREEZE), each table emptied and filled in one
//      transaction. As pg_restore does, the indexes and the constraints
//      (keys, UNIQUE, foreign keys) are dropped first and re-created
//      afterwards from their own definitions (pg_get_indexdef,
//      pg_get_constraintdef), so each index is built by one sort and each
//      foreign key checked by one join over the loaded rows rather than row
//      by row; the schema ends as the migrations left it;
//   4. VACUUM (ANALYZE): statistics for the planner; the frozen pages make
//      the VACUUM cheap, and it leaves autovacuum nothing to start in the
//      middle of a measurement.
//
// Every query runs as a prepared statement under plan_cache_mode =
// force_generic_plan: the generic plan, which is the plan `strata explain`
// reports and the plan the label carries (with the default "auto" mode the
// server may pick per-value plans after five runs, so the plan measured
// would not be the one printed). Two benchmarks per query:
//
//   BM_PgQuery/<name>/with_index     the query as declared
//   BM_PgQuery/<name>/without_index  the same query, same parameter values,
//                                    without the index(es) its plan uses
//
// and BM_PgQuery/<name>/scan alone when the plan uses no index. "Without"
// is done the most literal way: both variants run inside a transaction
// that is rolled back at the end of the run, and for without_index that
// transaction first drops every index the plan uses on the tables it
// searches with them (DROP INDEX; for the index of a PRIMARY KEY or UNIQUE
// constraint, ALTER TABLE ... DROP CONSTRAINT), then drops any other index
// of those tables the planner turns to instead, until the plan reads them
// without an index (what SQLite's NOT INDEXED does in index_bench). A
// constraint that a foreign key references cannot be dropped without
// dropping that foreign key too: such a query falls back to switching the
// planner's index scans off for the run (SET LOCAL enable_indexscan,
// enable_bitmapscan, enable_indexonlyscan = off). The label's "method:"
// says which, per query.
//
// Each iteration runs the query once with each of its (up to 16) parameter
// sets and reads every value of every row; the reported time is per query
// (manual time). Labels as index_bench's: "index: ..." (on without_index
// "bypassed: ..."; "index: none" on a scan) | "plan: <strata's
// classification>" | "detail: <the plan's nodes, as EXPLAIN prints their
// first lines>" | on without_index "method: ...". Counters: rows,
// parameter_sets, and on without_index with_us, without_us and speedup.
//
// Without STRATA_BENCH_PG the program says so and exits 0, or 1 when
// CI=true (where a server is expected).
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <optional>
#include <random>
#include <set>

#include "bench_util.h"
#include "chefsocial_data.h"
#include "migrate/migration_dir.h"
#include "migrate/runner.h"
#include "postgres/connection.h"
#include "postgres/explain.h"
#include "postgres/pg.h"
#include "sqlite/database.h"
#include "sqlite/sql_writer.h"
#include "yaml/loader.h"

namespace {

using namespace strata;
using namespace strata::bench;
using postgres::PgResult;
using postgres::PgSession;
using postgres::QuoteIdent;
using postgres::QuoteLiteral;

using Params = QueryParams;

// The planner settings of the fallback "without": every way of reading an
// index switched off (the planner still uses an index when nothing else
// can answer; the plan in the label shows what it did).
const std::vector<std::string> kIndexScansOff = {"SET LOCAL enable_indexscan = off", "SET LOCAL enable_bitmapscan = off",
                                                 "SET LOCAL enable_indexonlyscan = off"};

// `url` (a libpq URL or conninfo string) pointing at database `name`.
std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + name;  // conninfo: the last keyword wins
  const size_t path = url.find('/', scheme + 3);
  const size_t query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    const size_t at = query == std::string::npos ? url.size() : query;
    return url.substr(0, at) + "/" + name + url.substr(at);
  }
  const size_t end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path + 1) + name + url.substr(end);
}

PgResult MustQuery(PgSession& session, const std::string& sql) { return Must(session.Query(sql), sql); }

void MustExec(PgSession& session, const std::string& sql) { Must(session.Exec(sql), sql); }

// The benchmark's own database: created empty, dropped (with any session
// still on it) when this goes, also when setup fails later (Fail() exits,
// which destroys the fixture that owns this). A run killed by a signal
// leaves it behind (bench/run's throwaway server goes with it).
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const std::string& server) : server_(server) {
    PgSession admin = Must(PgSession::Connect(server), "connect to STRATA_BENCH_PG");
    std::random_device random;
    name_ = fmt::format("strata_bench_{:08x}", random());
    MustExec(admin, "CREATE DATABASE " + QuoteIdent(name_));
    // The SQLite data's timestamps are UTC text without a zone, read as
    // the session's time zone: UTC for every session of this database.
    if (Status s = admin.Exec(fmt::format("ALTER DATABASE {} SET timezone = 'UTC'", QuoteIdent(name_))); !s.ok()) {
      Drop();
      Fail("set the time zone of " + name_ + ": " + s.message());
    }
    url_ = WithDatabase(server, name_);
  }
  ~ScratchDatabase() { Drop(); }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }

 private:
  void Drop() {
    Result<PgSession> admin = PgSession::Connect(server_);
    Status dropped = admin.ok() ? admin->Exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", QuoteIdent(name_)))
                                : admin.status();
    if (!dropped.ok()) std::cerr << "pg_index_bench: could not drop database " << name_ << ": " << dropped.message() << "\n";
  }

  std::string server_;
  std::string name_;
  std::string url_;
};

// ---------------------------------------------------------------------------
// Loading the rows.

// One field of COPY's text format: backslash, tab, newline and carriage
// return escaped; NULL is \N.
void AppendCopyField(std::string& out, sqlite3_stmt* row, int column) {
  if (sqlite3_column_type(row, column) == SQLITE_NULL) {
    out += "\\N";
    return;
  }
  const char* text = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
  const int length = sqlite3_column_bytes(row, column);
  for (int i = 0; i < length; ++i) {
    switch (text[i]) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += text[i];
    }
  }
}

void PutCopyData(PGconn* conn, std::string& buffer) {
  if (buffer.empty()) return;
  if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1)
    Fail(std::string("COPY: ") + PQerrorMessage(conn));
  buffer.clear();
}

// Streams every row of `table` from the SQLite file into PostgreSQL with
// COPY ... FROM STDIN, `columns` (PostgreSQL's) selected by name from
// SQLite. Returns the rows PostgreSQL says it copied.
int64_t CopyTable(sqlite::Database& source, PgSession& target, const std::string& table,
                  const std::vector<std::string>& columns) {
  std::vector<std::string> sqlite_columns, pg_columns;
  for (const std::string& c : columns) {
    sqlite_columns.push_back(sqlite::QuoteIdentifier(c));
    pg_columns.push_back(QuoteIdent(c));
  }
  const std::string select = fmt::format("SELECT {} FROM {}", fmt::join(sqlite_columns, ", "), sqlite::QuoteIdentifier(table));
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(source.handle(), select.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    Fail(fmt::format("{}: {} (is migrations/postgres/ at the schema's last tag? `strata generate` rewrites it)", select,
                     sqlite3_errmsg(source.handle())));
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> rows(raw, sqlite3_finalize);

  PGconn* conn = target.handle();
  const std::string copy =
      fmt::format("COPY {} ({}) FROM STDIN WITH (FREEZE)", QuoteIdent(table), fmt::join(pg_columns, ", "));
  {
    PgResult started(PQexec(conn, copy.c_str()));
    if (PQresultStatus(started.get()) != PGRES_COPY_IN) Fail(copy + ": " + PQerrorMessage(conn));
  }
  constexpr size_t kChunk = 1 << 20;
  std::string buffer;
  buffer.reserve(kChunk + 64 * 1024);
  int64_t sent = 0;
  const int count = static_cast<int>(columns.size());
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    for (int c = 0; c < count; ++c) {
      if (c) buffer += '\t';
      AppendCopyField(buffer, raw, c);
    }
    buffer += '\n';
    ++sent;
    if (buffer.size() >= kChunk) PutCopyData(conn, buffer);
  }
  if (rc != SQLITE_DONE) Fail(select + ": " + sqlite3_errmsg(source.handle()));
  PutCopyData(conn, buffer);
  if (PQputCopyEnd(conn, nullptr) != 1) Fail(copy + ": " + PQerrorMessage(conn));
  int64_t copied = -1;
  std::string error;
  // The COPY's outcome, then nothing: read results until libpq has none.
  while (PGresult* r = PQgetResult(conn)) {
    PgResult result(r);
    if (PQresultStatus(r) == PGRES_COMMAND_OK)
      copied = std::atoll(PQcmdTuples(r));
    else
      error = PQresultErrorMessage(r);
  }
  if (!error.empty()) Fail(copy + ": " + error);
  if (copied != sent) Fail(fmt::format("{}: {} rows sent, {} copied", copy, sent, copied));
  return copied;
}

// The current schema's oid, for catalog queries.
constexpr const char* kNamespace = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

struct LoadTimes {
  double migrate = 0, copy = 0, rebuild = 0, vacuum_analyze = 0;
  int64_t rows = 0;
  int64_t size_bytes = 0;
};

// Progress on standard error, a line per step, as chefsocial_gen prints it.
void Progress(size_t done, size_t steps, const std::string& what, double seconds, Clock::time_point start) {
  std::cerr << fmt::format("  [{:>2}/{}] {:<44} {:6.2f} s  ({:.0f} s in all)\n", done, steps, what, seconds,
                           SecondsSince(start));
}

// Every index and constraint of the current schema with its definition, as
// the server prints them: the load must leave them as the migrations did.
std::vector<std::string> IndexesAndConstraints(PgSession& session) {
  PgResult rows = MustQuery(session, fmt::format(
      "SELECT 'index ' || c.relname || ': ' || pg_get_indexdef(c.oid) FROM pg_class c "
      "WHERE c.relkind = 'i' AND c.relnamespace = {0} "
      "UNION ALL SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) "
      "FROM pg_constraint WHERE connamespace = {0} ORDER BY 1",
      kNamespace));
  std::vector<std::string> out;
  for (int r = 0; r < rows.rows(); ++r) out.push_back(rows.Text(r, 0));
  return out;
}

LoadTimes LoadChefSocial(const VersionedSchema& schema, sqlite::Database& source, const std::string& url) {
  LoadTimes times;
  const Clock::time_point start = Clock::now();
  std::vector<std::string> tables;
  for (const Table& t : schema.Latest().tables) tables.push_back(t.name);
  // Migrations, a COPY per table, indexes, foreign keys, VACUUM ANALYZE.
  const size_t steps = 1 + tables.size() + 2 + 1;
  size_t done = 0;

  // The migrations, as `strata up` applies them.
  {
    const std::filesystem::path dir = SchemaDir().parent_path() / "migrations" / schema.project.DialectFolder("postgres");
    const MigrationFiles files = Must(ReadMigrationDir(dir), "read " + dir.string());
    const std::vector<MigrationEntry> entries = Must(LoadMigrations(files, schema.project), "migrations in " + dir.string());
    if (entries.empty()) Fail("no migrations in " + dir.string());
    std::unique_ptr<postgres::PostgresConnection> connection =
        Must(postgres::PostgresConnection::Open(url), "connect to the benchmark database");
    Runner runner(*connection, entries, schema.project, files);
    Must(runner.Up({.allow_destructive = true}, [](const RunEvent&) {}), "apply " + dir.string());
    times.migrate = SecondsSince(start);
    Progress(++done, steps, fmt::format("migrations ({} files)", entries.size()), times.migrate, start);
  }

  PgSession session = Must(PgSession::Connect(url), "connect to the benchmark database");
  // Index builds sort in memory when they can (a session setting).
  MustExec(session, "SET maintenance_work_mem = '512MB'");

  // What the bulk load takes away and puts back, as pg_restore orders it:
  // the foreign keys go first and come back last (they need the keys they
  // reference); the PRIMARY KEY, UNIQUE and EXCLUDE constraints and the
  // other indexes come back right after the rows, each built by one sort
  // rather than by a random insert per row.
  std::vector<std::string> drops, add_keys, create_indexes, add_foreign_keys;
  const std::vector<std::string> migrated = IndexesAndConstraints(session);
  {
    PgResult constraints = MustQuery(session, fmt::format(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype = 'f' FROM pg_constraint "
        "WHERE contype IN ('f', 'p', 'u', 'x') AND connamespace = {} ORDER BY contype = 'f' DESC, oid",
        kNamespace));
    PgResult indexes = MustQuery(session, fmt::format(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = {} "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.conrelid = x.indrelid "
        "AND c.contype IN ('p', 'u', 'x')) ORDER BY i.oid",
        kNamespace));
    for (int r = 0; r < constraints.rows(); ++r) {
      const std::string table = constraints.Text(r, 0), name = QuoteIdent(constraints.Text(r, 1));
      drops.push_back(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, name));
      (constraints.Text(r, 3) == "t" ? add_foreign_keys : add_keys)
          .push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", table, name, constraints.Text(r, 2)));
    }
    for (int r = 0; r < indexes.rows(); ++r) {
      drops.push_back("DROP INDEX " + QuoteIdent(indexes.Text(r, 0)));
      create_indexes.push_back(indexes.Text(r, 1));
    }
  }
  MustExec(session, "BEGIN");
  for (const std::string& sql : drops) MustExec(session, sql);
  MustExec(session, "COMMIT");

  const Clock::time_point copy_start = Clock::now();
  for (const std::string& table : tables) {
    // Each table is emptied (the migrations' reference rows, features, are
    // in the SQLite file too) and filled in one transaction, which lets
    // COPY FREEZE write its rows frozen and their pages all-visible: no
    // VACUUM is left to do, and index-only scans need no heap visits.
    MustExec(session, "BEGIN");
    MustExec(session, "TRUNCATE " + QuoteIdent(table));
    PgResult columns = MustQuery(session, fmt::format(
        "SELECT attname FROM pg_attribute WHERE attrelid = {}::regclass AND attnum > 0 AND NOT attisdropped "
        "AND attgenerated = '' ORDER BY attnum",
        QuoteLiteral(QuoteIdent(table))));
    std::vector<std::string> names;
    for (int r = 0; r < columns.rows(); ++r) names.push_back(columns.Text(r, 0));
    const Clock::time_point table_start = Clock::now();
    const int64_t rows = CopyTable(source, session, table, names);
    MustExec(session, "COMMIT");
    times.rows += rows;
    Progress(++done, steps, fmt::format("COPY {:<20} {:>10} rows", table, rows), SecondsSince(table_start), start);
  }
  times.copy = SecondsSince(copy_start);

  const Clock::time_point rebuild_start = Clock::now();
  for (const std::string& sql : add_keys) MustExec(session, sql);
  for (const std::string& sql : create_indexes) MustExec(session, sql);
  Progress(++done, steps,
           fmt::format("{} keys and {} indexes re-created", add_keys.size(), create_indexes.size()),
           SecondsSince(rebuild_start), start);
  const Clock::time_point keys_start = Clock::now();
  for (const std::string& sql : add_foreign_keys) MustExec(session, sql);
  Progress(++done, steps, fmt::format("{} foreign keys re-added, checked", add_foreign_keys.size()),
           SecondsSince(keys_start), start);
  times.rebuild = SecondsSince(rebuild_start);
  if (IndexesAndConstraints(session) != migrated) Fail("the load did not re-create the indexes and constraints as they were");

  const Clock::time_point vacuum_start = Clock::now();
  MustExec(session, "VACUUM (ANALYZE)");
  times.vacuum_analyze = SecondsSince(vacuum_start);
  Progress(++done, steps, "VACUUM (ANALYZE)", times.vacuum_analyze, start);
  times.size_bytes = std::atoll(Must(session.QueryString("SELECT pg_database_size(current_database())"), "size").c_str());
  return times;
}

// ---------------------------------------------------------------------------
// Plans.

// The names in a step's index field: a Bitmap Heap Scan's step names the
// indexes of its bitmap joined by ", ".
std::vector<std::string> IndexNames(const std::string& field) {
  std::vector<std::string> out;
  for (size_t from = 0; from < field.size();) {
    size_t comma = field.find(", ", from);
    if (comma == std::string::npos) comma = field.size();
    out.push_back(field.substr(from, comma - from));
    from = comma + 2;
  }
  return out;
}

struct Plan {
  std::vector<PlanStep> steps;
  std::string text;            // the nodes' details joined with "; "
  std::string classification;  // as `strata explain` prints it

  // The indexes the plan reads, and the tables it reads through them.
  std::vector<std::string> Indexes() const {
    std::vector<std::string> out;
    for (const PlanStep& s : steps)
      for (const std::string& name : IndexNames(s.index))
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
  }
  std::set<std::string> TablesReadByIndex() const {
    std::set<std::string> out;
    for (const PlanStep& s : steps)
      if (!s.table.empty() && !s.index.empty()) out.insert(s.table);
    return out;
  }
};

Plan Explain(PgSession& session, const std::string& sql, const std::vector<std::string>& setup = {}) {
  QueryPlan classified;
  classified.steps = Must(postgres::ExplainQueryPlan(session, sql, setup), "EXPLAIN " + sql);
  Plan plan;
  plan.classification = classified.Classification();
  for (const PlanStep& step : classified.steps) plan.text += (plan.text.empty() ? "" : "; ") + step.detail;
  plan.steps = std::move(classified.steps);
  return plan;
}

// What the catalog says of an index: its table, the constraint it is the
// index of, and the foreign keys that reference it (which keep that
// constraint from being dropped alone).
struct IndexInfo {
  std::string table;
  std::string constraint;       // "" for a plain index
  std::string constraint_type;  // "p", "u", "x"
  std::string columns;          // "email", "user_id, month_year"
  std::string key;              // pg_index.indkey, to find duplicates
  bool plain_keys = true;       // no expression, no predicate
  std::string referenced_by;    // "user_features_feature_key_fkey on user_features, ..."
};

std::map<std::string, IndexInfo> ReadIndexes(PgSession& session) {
  PgResult rows = MustQuery(session, fmt::format(
      "SELECT i.relname, t.relname, coalesce(c.conname, ''), coalesce(c.contype::text, ''), "
      "  coalesce((SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
      "            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum), ''), "
      "  x.indkey::text, x.indexprs IS NULL AND x.indpred IS NULL, "
      "  coalesce((SELECT string_agg(f.conname || ' on ' || f.conrelid::regclass::text, ', ' ORDER BY f.conname) "
      "            FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.oid), '') "
      "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
      "LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x') "
      "WHERE t.relnamespace = {}",
      kNamespace));
  std::map<std::string, IndexInfo> out;
  for (int r = 0; r < rows.rows(); ++r)
    out[rows.Text(r, 0)] = {rows.Text(r, 1), rows.Text(r, 2), rows.Text(r, 3), rows.Text(r, 4),
                            rows.Text(r, 5), rows.Text(r, 6) == "t", rows.Text(r, 7)};
  return out;
}

// "users_email_key (UNIQUE email; unused duplicate: idx_users_email)" for
// a constraint's index, "idx_x (unused duplicate: ...)" for an index with
// a twin the plan passed over, else the name alone.
std::string DescribeIndex(const std::string& index, const std::map<std::string, IndexInfo>& indexes,
                          const std::vector<std::string>& used) {
  auto it = indexes.find(index);
  if (it == indexes.end()) return index;
  const IndexInfo& info = it->second;
  std::vector<std::string> parts;
  if (info.constraint_type == "p") parts.push_back("PRIMARY KEY " + info.columns);
  if (info.constraint_type == "u") parts.push_back("UNIQUE " + info.columns);
  std::vector<std::string> twins;
  for (const auto& [name, other] : indexes)
    if (name != index && other.table == info.table && other.key == info.key && other.plain_keys && info.plain_keys &&
        std::find(used.begin(), used.end(), name) == used.end())
      twins.push_back(name);
  if (!twins.empty()) parts.push_back(fmt::format("unused duplicate: {}", fmt::join(twins, ", ")));
  return parts.empty() ? index : fmt::format("{} ({})", index, fmt::join(parts, "; "));
}

// How a query is run without its index: statements run at the start of the
// run's transaction, and the label's description of them.
struct Bypass {
  std::vector<std::string> setup;
  std::string method;
};

// Drops the indexes `with` uses, then any other index of the same tables the
// planner turns to, until the plan reads those tables without one; falls
// back to the planner settings when an index cannot be dropped on its own.
Bypass PlanBypass(PgSession& session, const std::string& sql, const Plan& with,
                  const std::map<std::string, IndexInfo>& indexes, Plan& without) {
  const std::set<std::string> tables = with.TablesReadByIndex();
  Bypass bypass;
  std::string refusal;
  Plan plan = with;
  for (int round = 0; round < 8 && refusal.empty(); ++round) {
    std::vector<std::string> left;
    for (const PlanStep& s : plan.steps)
      if (tables.count(s.table))
        for (const std::string& i : IndexNames(s.index))
          if (std::find(left.begin(), left.end(), i) == left.end()) left.push_back(i);
    if (left.empty()) {
      without = std::move(plan);
      bypass.method = fmt::format("index dropped in a rolled-back transaction: {}", fmt::join(bypass.setup, "; "));
      return bypass;
    }
    for (const std::string& index : left) {
      auto it = indexes.find(index);
      if (it == indexes.end()) {
        refusal = "index " + index + " is not in the catalog";
        break;
      }
      const IndexInfo& info = it->second;
      if (!info.referenced_by.empty()) {
        refusal = fmt::format("{} is the index of constraint {}, which foreign keys reference: {}", index, info.constraint,
                              info.referenced_by);
        break;
      }
      bypass.setup.push_back(info.constraint.empty() ? "DROP INDEX " + QuoteIdent(index)
                                                     : fmt::format("ALTER TABLE {} DROP CONSTRAINT {}",
                                                                   QuoteIdent(info.table), QuoteIdent(info.constraint)));
    }
    if (refusal.empty()) plan = Explain(session, sql, bypass.setup);
  }
  if (refusal.empty()) refusal = "the plan still used an index after eight rounds of drops";
  bypass.setup = kIndexScansOff;
  bypass.method = "planner settings, not a drop: enable_indexscan, enable_bitmapscan, enable_indexonlyscan off (" + refusal + ")";
  without = Explain(session, sql, bypass.setup);
  return bypass;
}

// ---------------------------------------------------------------------------
// The benchmarks.

struct Case {
  std::string name;
  std::string sql;  // with $n placeholders
  std::vector<Params> params;
  std::string index_text;  // the index(es) the plan uses, described; "" for a scan
  Bypass bypass;
  Plan with;
  Plan without;
  std::string error;  // why the query cannot run, "" when it can
};

struct Fixture {
  // Declared first, so destroyed last: the sessions below are closed before
  // the database is dropped.
  std::optional<ScratchDatabase> database;
  ChefSocialData data;
  LoadTimes load;
  std::optional<PgSession> session;
  std::vector<Case> cases;
  std::map<std::string, double> with_seconds;  // per query, from the with_index runs
  int statements = 0;                          // prepared statement names used so far
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

// BEGIN now, ROLLBACK when it goes: what the run changed (a dropped index,
// a SET LOCAL) is undone.
class RolledBackRun {
 public:
  explicit RolledBackRun(PgSession& session) : session_(session) { MustExec(session_, "BEGIN"); }
  ~RolledBackRun() { (void)session_.Exec("ROLLBACK"); }
  RolledBackRun(const RolledBackRun&) = delete;
  RolledBackRun& operator=(const RolledBackRun&) = delete;

 private:
  PgSession& session_;
};

// A prepared statement of the session, deallocated when this goes.
class PreparedQuery {
 public:
  PreparedQuery(PgSession& session, std::string name, const std::string& sql) : session_(session), name_(std::move(name)) {
    PgResult prepared(PQprepare(session_.handle(), name_.c_str(), sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) Fail("PREPARE " + sql + ": " + PQerrorMessage(session_.handle()));
  }
  ~PreparedQuery() { (void)session_.Exec("DEALLOCATE " + QuoteIdent(name_)); }
  PreparedQuery(const PreparedQuery&) = delete;
  PreparedQuery& operator=(const PreparedQuery&) = delete;
  const char* name() const { return name_.c_str(); }

 private:
  PgSession& session_;
  std::string name_;
};

// Runs the prepared query once with parameter set `i` (its values as C
// strings) and reads every value of every row.
int64_t RunOnce(PGconn* conn, const PreparedQuery& query, const std::vector<std::vector<const char*>>& values, size_t i) {
  const std::vector<const char*>* set = values.empty() ? nullptr : &values[i % values.size()];
  PgResult result(PQexecPrepared(conn, query.name(), set ? static_cast<int>(set->size()) : 0, set ? set->data() : nullptr,
                                 nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) Fail(std::string("query failed: ") + PQerrorMessage(conn));
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  int64_t bytes = 0;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      benchmark::DoNotOptimize(PQgetvalue(result.get(), r, c));
      bytes += PQgetlength(result.get(), r, c);
    }
  benchmark::DoNotOptimize(bytes);
  return rows;
}

std::vector<std::vector<const char*>> ValuePointers(const std::vector<Params>& params) {
  std::vector<std::vector<const char*>> out;
  for (const Params& p : params) {
    out.emplace_back();
    for (const std::string& v : p) out.back().push_back(v.c_str());
  }
  return out;
}

enum class Variant { kWithIndex, kWithoutIndex, kScan };

// Mean seconds per query of the declared query over at least `min_seconds`,
// in a rolled-back transaction as the benchmarks run it.
double MeasureWithIndex(Fixture& f, const Case& c, double min_seconds) {
  RolledBackRun run(*f.session);
  PreparedQuery query(*f.session, fmt::format("bench_{}", ++f.statements), c.sql);
  const std::vector<std::vector<const char*>> values = ValuePointers(c.params);
  const Clock::time_point start = Clock::now();
  size_t n = 0;
  do RunOnce(f.session->handle(), query, values, n++);
  while (SecondsSince(start) < min_seconds || n % std::max<size_t>(1, c.params.size()) != 0);
  return SecondsSince(start) / static_cast<double>(n);
}

std::string PlanLabel(const std::string& key, const std::string& index, const Plan& plan) {
  return fmt::format("{}: {} | plan: {} | detail: {}", key, index, plan.classification, plan.text);
}

void BM_PgQuery(benchmark::State& state, size_t case_index, Variant variant) {
  Fixture& f = GetFixture();
  const Case& c = f.cases[case_index];
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  const bool bypass = variant == Variant::kWithoutIndex;
  const size_t per_cycle = std::max<size_t>(1, c.params.size());
  const std::vector<std::vector<const char*>> values = ValuePointers(c.params);
  int64_t rows = 0;
  double total = 0;
  {
    // Both variants run in a transaction, rolled back at the end, so that
    // the only difference between them is the setup of the bypass.
    RolledBackRun run(*f.session);
    if (bypass)
      for (const std::string& sql : c.bypass.setup) MustExec(*f.session, sql);
    PreparedQuery query(*f.session, fmt::format("bench_{}", ++f.statements), c.sql);
    PGconn* conn = f.session->handle();
    // Each iteration runs the query once with every parameter set, so both
    // variants average over the same values; the iteration time is per query.
    for (auto _ : state) {
      const Clock::time_point start = Clock::now();
      for (size_t i = 0; i < per_cycle; ++i) rows += RunOnce(conn, query, values, i);
      const double seconds = SecondsSince(start);
      total += seconds;
      state.SetIterationTime(seconds / static_cast<double>(per_cycle));
    }
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
      if (auto it = f.with_seconds.find(c.name); it != f.with_seconds.end())
        with = it->second;
      else  // with_index was filtered out: measure it here
        with = MeasureWithIndex(f, c, 0.1);
      state.counters["with_us"] = with * 1e6;
      state.counters["without_us"] = seconds * 1e6;
      state.counters["speedup"] = with > 0 ? seconds / with : 0;
      state.SetLabel(PlanLabel("bypassed", c.index_text, c.without) + " | method: " + c.bypass.method);
      break;
    }
    case Variant::kScan:
      state.SetLabel(PlanLabel("index", "none", c.with));
      break;
  }
}

// How many parameters the server finds in `sql` (with $n placeholders).
int ParameterCount(PgSession& session, const std::string& sql) {
  PreparedQuery described(session, "bench_parameters", sql);
  PgResult d(PQdescribePrepared(session.handle(), described.name()));
  if (PQresultStatus(d.get()) != PGRES_COMMAND_OK) Fail("describe " + sql + ": " + PQerrorMessage(session.handle()));
  return PQnparams(d.get());
}

std::string Setting(PgSession& session, const std::string& name) {
  return Must(session.QueryString("SELECT current_setting(" + QuoteLiteral(name) + ")"), "setting " + name);
}

void Setup(const std::string& server, double min_time) {
  Fixture& f = GetFixture();
  Diagnostics diagnostics;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SchemaDir(), diagnostics);
  if (!schema) Fail("schema/ does not load");
  f.data = Must(ChefSocialDatabase(*schema, Scale(), DefaultDataDir()), "ChefSocial data");
  sqlite::Database source =
      Must(sqlite::Database::Open(f.data.path, sqlite::Database::Mode::kReadOnly), "open " + f.data.path);

  f.database.emplace(server);
  std::cerr << fmt::format("loading {} into PostgreSQL database {} ...\n", f.data.path, f.database->name());
  f.load = LoadChefSocial(*schema, source, f.database->url());
  f.session.emplace(Must(PgSession::Connect(f.database->url()), "connect to the benchmark database"));
  PgSession& session = *f.session;
  MustExec(session, "SET plan_cache_mode = force_generic_plan");

  int64_t sqlite_rows = 0;
  for (const auto& [table, n] : f.data.row_counts) sqlite_rows += n;
  if (sqlite_rows != f.load.rows)
    Fail(fmt::format("{} rows in {}, {} copied into PostgreSQL", sqlite_rows, f.data.path, f.load.rows));
  const std::string version = Setting(session, "server_version");
  AddRunContext("index", "postgresql", version.substr(0, version.find(' ')));
  benchmark::AddCustomContext("strata_without_index",
                              "the indexes its plan uses dropped in a transaction rolled back after the run (DROP INDEX; "
                              "ALTER TABLE ... DROP CONSTRAINT for a constraint's index; planner settings where a "
                              "foreign key needs that constraint)");
  benchmark::AddCustomContext("chefsocial_db", f.data.path);
  benchmark::AddCustomContext("chefsocial_scale", fmt::format("{}", f.data.scale));
  benchmark::AddCustomContext("chefsocial_rows", std::to_string(f.load.rows));
  benchmark::AddCustomContext("chefsocial_size_mb", fmt::format("{:.1f}", static_cast<double>(f.load.size_bytes) / 1048576.0));
  benchmark::AddCustomContext("chefsocial_generate_seconds", fmt::format("{:.1f}", f.data.generate_seconds));
  benchmark::AddCustomContext("chefsocial_reused", f.data.reused ? "true" : "false");
  benchmark::AddCustomContext("pg_migrate_seconds", fmt::format("{:.1f}", f.load.migrate));
  benchmark::AddCustomContext("pg_copy_seconds", fmt::format("{:.1f}", f.load.copy));
  benchmark::AddCustomContext("pg_rebuild_seconds", fmt::format("{:.1f}", f.load.rebuild));
  benchmark::AddCustomContext("pg_vacuum_analyze_seconds", fmt::format("{:.1f}", f.load.vacuum_analyze));
  benchmark::AddCustomContext("pg_plan_cache_mode", Setting(session, "plan_cache_mode"));
  benchmark::AddCustomContext(
      "pg_settings", fmt::format("shared_buffers={} work_mem={} max_parallel_workers_per_gather={} jit={} random_page_cost={}",
                                 Setting(session, "shared_buffers"), Setting(session, "work_mem"),
                                 Setting(session, "max_parallel_workers_per_gather"), Setting(session, "jit"),
                                 Setting(session, "random_page_cost")));

  const std::map<std::string, IndexInfo> indexes = ReadIndexes(session);
  for (const Query& q : schema->Latest().queries) {
    Case c{.name = q.name, .sql = postgres::NumberedParameters(q.sql)};
    c.with = Explain(session, q.sql);
    const std::vector<std::string> used = c.with.Indexes();
    if (!used.empty()) {
      c.bypass = PlanBypass(session, q.sql, c.with, indexes, c.without);
      for (const std::string& index : used)
        c.index_text += (c.index_text.empty() ? "" : " + ") + DescribeIndex(index, indexes, used);
    }
    const int parameters = ParameterCount(session, c.sql);
    if (parameters > 0) {
      Result<std::vector<Params>> sampled = SampleQueryParameters(source, c.name);
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
          benchmark::RegisterBenchmark(("BM_PgQuery/" + c.name + "/" + suffix).c_str(),
                                       [i, v](benchmark::State& state) { BM_PgQuery(state, i, v); })
              ->UseManualTime()
              ->Unit(benchmark::kMicrosecond);
      // The manual time is per query, an iteration runs every parameter set:
      // scale the minimum time so the wall-clock time is what was asked for.
      if (min_time > 0) b->MinTime(min_time / static_cast<double>(std::max<size_t>(1, c.params.size())));
    };
    if (c.with.Indexes().empty()) {
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
  const char* server = std::getenv("STRATA_BENCH_PG");
  if (!server || !*server) {
    const char* ci = std::getenv("CI");
    const std::string why =
        "STRATA_BENCH_PG is not set: it names the PostgreSQL server to benchmark on (a libpq URL; the program creates "
        "and drops a database there). `eval \"$(scripts/pg-server start)\"` starts a throwaway server and sets "
        "STRATA_TEST_PG; bench/run --postgres does all of it.";
    if (ci && std::string_view(ci) == "true") {
      std::cerr << "pg_index_bench: failed: " << why << " (CI=true: a server is required)\n";
      return 1;
    }
    std::cerr << "pg_index_bench: skipped: " << why << "\n";
    return 0;
  }
  Setup(server, min_time);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
