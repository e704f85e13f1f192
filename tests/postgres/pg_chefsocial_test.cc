// The ChefSocial schema on PostgreSQL: every tag planned from the same
// YAML and applied in order (with psql and with the Runner), down and up
// again; eight runners at once apply each migration once; and every
// generated file passes squawk, the PostgreSQL migration linter.
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "migrate/generator.h"
#include "migrate/runner.h"
#include "pg_scenario.h"
#include "pg_test_util.h"
#include "postgres/connection.h"
#include "postgres/postgres_dialect.h"
#include "test_util.h"
#include "yaml/load_helper.h"
#include "yaml/loader.h"

namespace strata::testing {
namespace {

struct ChefSocial {
  VersionedSchema schema;
  GenerateResult generated;
  std::vector<MigrationEntry> entries;
};

const ChefSocial& Load() {
  static const ChefSocial* loaded = [] {
    Diagnostics d;
    std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
    EXPECT_TRUE(schema.has_value());
    auto* out = new ChefSocial{*schema, {}, {}};
    std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
    out->generated = GenerateMigrations(out->schema, *dialect, {});
    Result<std::vector<MigrationEntry>> entries = LoadMigrations(out->generated.files, out->schema.project);
    EXPECT_TRUE(entries.ok()) << entries.status().message();
    if (entries.ok()) out->entries = *entries;
    return out;
  }();
  return *loaded;
}

TEST(PgChefSocial, EveryTagIsExpressibleOnPostgres) {
  const ChefSocial& c = Load();
  std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  for (int tag = 0; tag <= c.schema.project.last_tag(); ++tag)
    for (const SchemaProblem& p : dialect->Problems(c.schema.At(tag)))
      ADD_FAILURE() << c.schema.project.tags[tag] << ": " << p.pos.ToString() << ": " << p.message;
  EXPECT_EQ(c.entries.size(), c.schema.project.tags.size());
  for (const MigrationEntry& e : c.entries) {
    EXPECT_TRUE(e.up_facts.generated) << e.up_file;
    EXPECT_TRUE(e.up_facts.own_transaction) << e.up_file;
  }
}

TEST(PgChefSocial, EveryTagAppliesInOrderWithPsql) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  for (const MigrationEntry& e : c.entries) {
    std::string err;
    ASSERT_EQ(RunPsql(db->url(), e.up_sql, &err), 0) << e.up_file << ": " << err;
  }
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(c.entries.size()));
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
  // The same file twice: its guard refuses, naming the version, and changes nothing.
  const std::string schema = DescribeSchema(db->url());
  std::string err;
  EXPECT_NE(RunPsql(db->url(), c.entries.back().up_sql, &err), 0);
  EXPECT_NE(err.find("already applied"), std::string::npos) << err;
  EXPECT_EQ(DescribeSchema(db->url()), schema);
}

TEST(PgChefSocial, TheRunnerAppliesEveryTagRollsBackAndAppliesAgain) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(db->url());
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  Runner runner(**conn, c.entries, c.schema.project, c.generated.files);
  std::vector<std::string> applied;
  const RunListener listen = [&](const RunEvent& e) {
    if (e.kind == RunEvent::kApplied) applied.push_back(e.file);
  };
  Status up = runner.Up({.allow_destructive = true}, listen);
  ASSERT_TRUE(up.ok()) << up.message();
  EXPECT_EQ(applied.size(), c.entries.size());
  const std::string at_last = DescribeSchema(db->url());
  Result<StatusReport> report = runner.Status();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->pending_count(), 0);
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations WHERE checksum LIKE 'sha256:%'"),
            std::to_string(c.entries.size()));

  Status down = runner.Down({.steps = static_cast<int>(c.entries.size()), .allow_destructive = true}, listen);
  ASSERT_TRUE(down.ok()) << down.message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), "0");
  EXPECT_EQ(DescribeSchema(db->url()), "");
  Status again = runner.Up({.allow_destructive = true}, listen);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(DescribeSchema(db->url()), at_last);
}

TEST(PgChefSocial, SingleTransactionRefusesFilesWithStepsOutsideATransactionByName) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(db->url());
  ASSERT_TRUE(conn.ok());
  std::vector<ScriptRun> runs;
  std::string outside_file;
  for (const MigrationEntry& e : c.entries) {
    runs.push_back(RunOf(e, true));
    if (outside_file.empty() && e.up_sql.find("CONCURRENTLY") != std::string::npos) outside_file = e.up_file;
  }
  ASSERT_FALSE(outside_file.empty());
  Status s = (*conn)->ApplyAll(runs);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(outside_file), std::string::npos) << s.message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
  // The first file alone has none: it goes in one transaction.
  EXPECT_TRUE((*conn)->ApplyAll({runs[0]}).ok());
}

TEST(PgChefSocial, EightConcurrentRunnersApplyEachMigrationOnce) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  std::atomic<int> applied{0}, failed{0};
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(db->url());
      if (!conn.ok()) {
        ++failed;
        errors[i] = conn.status().message();
        return;
      }
      Runner runner(**conn, c.entries, c.schema.project, c.generated.files);
      Status s = runner.Up({.allow_destructive = true}, [&](const RunEvent& e) {
        if (e.kind == RunEvent::kApplied) ++applied;
      });
      if (!s.ok()) {
        ++failed;
        errors[i] = s.message();
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_EQ(applied.load(), static_cast<int>(c.entries.size()));
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*), count(DISTINCT version) FROM strata_migrations"),
            fmt::format("{}|{}", c.entries.size(), c.entries.size()));
}

TEST(PgConnection, ErrorsNameTheFileTheLineAndTheServerMessage) {
  STRATA_TEST_DATABASE(db);
  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(db->url());
  ASSERT_TRUE(conn.ok());
  const std::string sql = "CREATE TABLE t (id bigint PRIMARY KEY);\n\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n";
  Result<ApplyOutcome> r = (*conn)->Apply({"0015_fix.up.sql", 15, "fix", "baseline", true, sql, Checksum(sql)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("0015_fix.up.sql:4: duplicate key value"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("SQLSTATE 23505"), std::string::npos) << r.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('t') IS NULL"), "t") << "the hand-written file rolled back";
  // A hand-written file that manages its own transaction is refused by line.
  Status v = (*conn)->Validate({"0016_idx.up.sql", 16, "idx", "baseline", true, "SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t (id);", ""});
  EXPECT_NE(v.message().find("0016_idx.up.sql:2:"), std::string::npos) << v.message();
  // A hand-written file that works is recorded, with its checksum.
  const std::string ok = "CREATE TABLE t (id bigint PRIMARY KEY);";
  Result<ApplyOutcome> applied = (*conn)->Apply({"0015_fix.up.sql", 15, "fix", "baseline", true, ok, Checksum(ok)});
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT version, checksum = '" + Checksum(ok) + "' FROM strata_migrations"), "15|t");
}

TEST(PgConnection, APasswordNeverAppearsInAConnectionError) {
  Result<std::unique_ptr<postgres::PostgresConnection>> conn =
      postgres::PostgresConnection::Open("postgresql://alice:hunter2@127.0.0.1:1/app?connect_timeout=2");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().message().find("hunter2"), std::string::npos) << conn.status().message();
  EXPECT_NE(conn.status().message().find("alice:***@"), std::string::npos) << conn.status().message();
}

// squawk over every generated PostgreSQL file: ChefSocial's and the
// scenarios'. A warning must be justified where it is raised (a
// `-- squawk-ignore RULE -- why` comment), or the test fails.
TEST(PgSquawk, EveryGeneratedFilePassesTheLinter) {
  const char* configured = std::getenv("STRATA_SQUAWK");
  const std::filesystem::path squawk =
      configured ? std::filesystem::path(configured) : SourceDir() / "build/squawk/node_modules/.bin/squawk";
  // squawk comes from npm: its absence skips visibly on a developer's
  // machine, and fails in CI, where scripts/setup must have installed it.
  if (!std::filesystem::exists(squawk)) {
    const char* ci = std::getenv("CI");
    if (ci && std::string_view(ci) == "true")
      FAIL() << "squawk not found at " << squawk << " and CI=true; scripts/setup installs it with npm (squawk-cli)";
    GTEST_SKIP() << "squawk not found at " << squawk << "; scripts/setup installs it with npm (squawk-cli)";
  }
  TempDir dir;
  std::vector<std::string> files;
  for (const auto& [name, text] : Load().generated.files)
    if (name.ends_with(".sql")) files.push_back(dir.Write("chefsocial/" + name, text).string());
  for (const PgScenario& s : AllScenarios()) {
    if (s.edit) continue;  // edited states are planned the same way as the others
    LoadOutcome loaded = LoadFiles({{"schema/t.yaml", s.tables_yaml}}, "project: scenario\ntags: [before, after]\n");
    ASSERT_TRUE(loaded.schema) << s.name;
    const PgScripts scripts = MakePgScripts(loaded.schema->At(0), loaded.schema->At(1));
    std::string base = "scenarios/" + std::to_string(files.size());
    files.push_back(dir.Write(base + "_create.sql", scripts.create).string());
    files.push_back(dir.Write(base + "_up.sql", scripts.up).string());
    files.push_back(dir.Write(base + "_down.sql", scripts.down).string());
  }
  std::string command = squawk.string() + "";
  for (const std::string& f : files) command += " '" + f + "'";
  command += " > '" + (dir / "out").string() + "' 2>&1";
  int status = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0) << ReadFile(dir / "out");
}

}  // namespace
}  // namespace strata::testing

namespace strata::testing {
namespace {

// A unique index whose concurrent build failed earlier (duplicates) left an
// INVALID index; once the data is fixed, the migration drops it and builds
// a valid one. Applying an already recorded file again runs its steps after
// COMMIT again, which finishes them.
TEST(PgConnection, AFailedConcurrentBuildLeavesNoInvalidIndexAfterTheRerun) {
  STRATA_TEST_DATABASE(db);
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
    indexes:
      - {name: idx_t_a, columns: [a], unique: true, since: after}
)"}}, "project: scenario\ntags: [before, after]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  const PgScripts scripts = MakePgScripts(loaded.schema->At(0), loaded.schema->At(1));
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), scripts.create, &err), 0) << err;
  ASSERT_EQ(RunPsql(db->url(), "INSERT INTO t VALUES (1, 'x'), (2, 'x'), (3, 'y');", &err), 0) << err;
  EXPECT_NE(RunPsql(db->url(), "CREATE UNIQUE INDEX CONCURRENTLY idx_t_a ON t (a);", &err), 0);
  ASSERT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "1") << "the failed build left an INVALID index";

  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(db->url());
  ASSERT_TRUE(conn.ok());
  const ScriptRun run = FileRun("0020_after.up.sql", 20, true, scripts.up);
  Result<ApplyOutcome> refused = (*conn)->Apply(run);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("offending rows: x"), std::string::npos) << refused.status().message();

  ASSERT_EQ(RunPsql(db->url(), "DELETE FROM t WHERE id = 2;", &err), 0) << err;
  Result<ApplyOutcome> applied = (*conn)->Apply(run);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
  EXPECT_EQ(PgQuery(db->url(), "SELECT indisunique FROM pg_index WHERE indexrelid = 'idx_t_a'::regclass"), "t");

  // The steps after COMMIT did not finish (the index is gone): applying the
  // recorded file again finishes them.
  ASSERT_EQ(RunPsql(db->url(), "DROP INDEX idx_t_a;", &err), 0) << err;
  Result<ApplyOutcome> again = (*conn)->Apply(run);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, ApplyOutcome::kAlreadyDone);
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE indexrelid = 'idx_t_a'::regclass AND indisvalid"), "1");
}

}  // namespace
}  // namespace strata::testing

namespace strata::testing {
namespace {

TEST(PgConnection, CreatesASchemaInAnEmptyDatabaseOnly) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  Result<std::unique_ptr<Connection>> conn = postgres::MakeDialect()->Open(db->url(), {});
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  const Schema latest = c.schema.Latest();
  ASSERT_TRUE((*conn)->CreateSchema(latest).ok());
  // The same schema as the migrations reach.
  STRATA_TEST_DATABASE(migrated);
  for (const MigrationEntry& e : c.entries) {
    std::string err;
    ASSERT_EQ(RunPsql(migrated->url(), e.up_sql, &err), 0) << err;
  }
  EXPECT_EQ(DescribeSchema(db->url()), DescribeSchema(migrated->url()));
  Status again = (*conn)->CreateSchema(latest);
  EXPECT_EQ(again.code(), StatusCode::kInvalidInput) << again.message();
}

TEST(PgConnection, BacksUpWithPgDumpAndRestores) {
  STRATA_TEST_DATABASE(db);
  Result<std::unique_ptr<Connection>> conn = postgres::MakeDialect()->Open(db->url(), {});
  ASSERT_TRUE(conn.ok());
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), "CREATE TABLE t (id bigint PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'kept');", &err), 0) << err;
  TempDir dir;
  const std::string backup = (dir / "before.dump").string();
  ASSERT_TRUE((*conn)->Backup(backup).ok());
  EXPECT_FALSE((*conn)->Backup(backup).ok()) << "an existing backup is never overwritten";
  ASSERT_EQ(RunPsql(db->url(), "DROP TABLE t;", &err), 0) << err;
  Status restored = (*conn)->Restore(backup);
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT * FROM t"), "1|kept");
}

}  // namespace
}  // namespace strata::testing
