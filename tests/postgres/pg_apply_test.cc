// How the PostgreSQL connection sends a migration: a file's transaction
// goes to the server in one message (several for a file over 1 MiB), the
// history is read once under the run's lock, and the session settings a
// file makes end with it. These tests pin what must not change with that:
// a failure names the statement and its line and changes nothing, each
// file runs once however many runners race, its history row is written
// once, and what strata cannot send (COPY ... FROM STDIN) is refused before
// anything runs.
#include <atomic>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "migrate/migration_dir.h"
#include "migrate/runner.h"
#include "pg_scenario.h"
#include "pg_test_util.h"
#include "postgres/connection.h"
#include "postgres/history.h"
#include "test_util.h"
#include "yaml/load_helper.h"

namespace strata::testing {
namespace {

using postgres::PostgresConnection;

std::unique_ptr<PostgresConnection> Connect(const TestDatabase& db) {
  Result<std::unique_ptr<PostgresConnection>> conn = PostgresConnection::Open(db.url());
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  return conn.ok() ? std::move(conn.value()) : nullptr;
}

ScriptRun HandWritten(const std::string& file, int64_t version, const std::string& sql) {
  return {.file_name = file, .version = version, .name = "m", .tag = "only", .up = true, .sql = sql,
          .checksum = Checksum(sql)};
}

// Hand-written migrations (no strata head) of a project with one tag.
struct Migrations {
  Project project;
  MigrationFiles files;
  std::vector<MigrationEntry> entries;

  explicit Migrations(const std::vector<std::pair<std::string, std::string>>& named) {
    project.name = "t";
    project.dialect = "postgres";
    project.dialects = {"postgres"};
    project.tags = {"only"};
    for (const auto& [name, sql] : named) files[name] = sql;
    files[std::string(kSumFile)] = RenderSumFile(files);
    Result<std::vector<MigrationEntry>> loaded = LoadMigrations(files, project);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    if (loaded.ok()) entries = *loaded;
  }

  Status Up(Connection& conn, int* applied = nullptr) const {
    Runner runner(conn, entries, project, files);
    return runner.Up({}, [&](const RunEvent& e) {
      if (applied && e.kind == RunEvent::kApplied) ++*applied;
    });
  }
};

// A populated table, a file that changes it in several statements and
// fails at a duplicate key half way: nothing of the file stays, and the
// error names the statement by the line it starts on. The statements hold
// what a message must carry intact: a ';' inside a dollar-quoted body and
// a -- comment just before a ';'.
TEST(PgApply, AFileFailingHalfWayChangesNothingAndNamesTheStatementAndItsLine) {
  STRATA_TEST_DATABASE(db);
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n"
                               "INSERT INTO accounts VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x');", &err), 0) << err;
  const auto file = [](const std::string& second_id) {
    return "-- plans for everyone\n"
           "ALTER TABLE accounts ADD COLUMN plan text;\n"
           "UPDATE accounts SET plan = 'free'; -- the default plan\n"
           "CREATE FUNCTION plan_of(bigint) RETURNS text LANGUAGE sql AS $$ SELECT plan FROM accounts WHERE id = $1; $$;\n"
           "INSERT INTO accounts (id, email, plan)\n"
           "  VALUES (4, 'd@x', 'pro'),\n"
           "         (" + second_id + ", 'e@x', 'pro') -- the second row\n"
           ";\n"
           "CREATE TABLE after_failure (id int);\n";
  };
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  const std::string failing = file("1");
  Result<ApplyOutcome> failed = conn->Apply(HandWritten("0015_plans.up.sql", 15, failing));
  ASSERT_FALSE(failed.ok());
  const std::string& message = failed.status().message();
  EXPECT_NE(message.find("0015_plans.up.sql:5: duplicate key value violates unique constraint"), std::string::npos)
      << message;
  EXPECT_NE(message.find("SQLSTATE 23505"), std::string::npos) << message;
  EXPECT_NE(message.find("statement: INSERT INTO accounts (id, email, plan)"), std::string::npos) << message;
  EXPECT_EQ(PgQuery(db->url(), "SELECT id, email FROM accounts ORDER BY id"), "1|a@x\n2|b@x\n3|c@x");
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM information_schema.columns WHERE column_name = 'plan'"), "0");
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regproc('plan_of') IS NULL, to_regclass('after_failure') IS NULL"), "t|t");
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('strata_migrations') IS NULL"), "t") << "nothing was recorded";

  // The same connection goes on: the fixed file applies and is recorded.
  const std::string fixed = file("5");
  Result<ApplyOutcome> applied = conn->Apply(HandWritten("0015_plans.up.sql", 15, fixed));
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT plan_of(1), plan_of(5), count(*) FROM accounts"), "free|pro|5");
  EXPECT_EQ(PgQuery(db->url(), "SELECT version, checksum = '" + Checksum(fixed) + "' FROM strata_migrations"), "15|t");
}

// A syntax error anywhere fails the whole message before any of its
// statements runs, so the count of answers says nothing: the error's
// position does. Non-ASCII text before it checks that the server's count
// of characters becomes the right byte.
TEST(PgApply, ASyntaxErrorNamesItsOwnStatementAndLine) {
  STRATA_TEST_DATABASE(db);
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  const std::string sql =
      "CREATE TABLE menus (id bigint PRIMARY KEY, title text DEFAULT 'crème brûlée');\n"
      "INSERT INTO menus (id) VALUES (1);\n"
      "\n"
      "CREATE TABLE dishes (\n"
      "  id bigint PRIMARY KEY,\n"
      "  menu_id bigint REFERENCES menus ()\n"
      ");\n"
      "CREATE TABLE after_failure (id int);\n";
  Result<ApplyOutcome> failed = conn->Apply(HandWritten("0020_dishes.up.sql", 20, sql));
  ASSERT_FALSE(failed.ok());
  const std::string& message = failed.status().message();
  EXPECT_NE(message.find("0020_dishes.up.sql:4: syntax error"), std::string::npos) << message;
  EXPECT_NE(message.find("statement: CREATE TABLE dishes"), std::string::npos) << message;
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('menus') IS NULL, to_regclass('strata_migrations') IS NULL"), "t|t");
}

// A foreign key that names no parent columns points at the parent's primary
// key (the YAML reference says so): the generated table and a key added
// later to a populated table both apply, the later one's orphan precheck
// joins on the primary key, and the database reads back without drift.
TEST(PgApply, AForeignKeyWithoutColumnsPointsAtThePrimaryKey) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  dir.Write("schema/project.yaml", "project: t\ndialects: [postgres]\ntags: [v1, v2]\n");
  dir.Write("schema/tables/t.yaml",
            "tables:\n"
            "  - name: users\n"
            "    since: v1\n"
            "    columns:\n"
            "      - {name: id, type: BIGINT, primary_key: true}\n"
            "  - name: posts\n"
            "    since: v1\n"
            "    columns:\n"
            "      - {name: id, type: BIGINT, primary_key: true}\n"
            "      - {name: user_id, type: BIGINT}\n"
            "      - {name: editor_id, type: BIGINT}\n"
            "    foreign_keys:\n"
            "      - columns: [user_id]\n"
            "        references: {table: users}\n"
            "      - columns: [editor_id]\n"
            "        references: {table: users}\n"
            "        since: v2\n");
  const std::vector<std::string> paths = {"--schema", (dir / "schema").string(), "--migrations",
                                          (dir / "migrations").string()};
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), paths.begin(), paths.end());
    return RunStrata(args, dir.path());
  };
  CommandResult generate = run({"generate"});
  ASSERT_EQ(generate.exit_code, 0) << generate.out << generate.err;
  CommandResult v1 = run({"up", "--no-backup", "--tag", "v1", "--db", db->url()});
  ASSERT_EQ(v1.exit_code, 0) << v1.out << v1.err;
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), "INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1, 1), (2, 1, 7);", &err), 0)
      << err;
  CommandResult refused = run({"up", "--no-backup", "--db", db->url()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE((refused.out + refused.err).find("orphans"), std::string::npos) << refused.out << refused.err;
  ASSERT_EQ(RunPsql(db->url(), "UPDATE posts SET editor_id = 1;", &err), 0) << err;
  CommandResult v2 = run({"up", "--no-backup", "--db", db->url()});
  ASSERT_EQ(v2.exit_code, 0) << v2.out << v2.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'posts'::regclass "
                               "AND confkey = '{1}'"),
            "2");
  CommandResult drift = run({"drift", "--db", db->url()});
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
}

// Each file counts its runs in a table: eight runners at once run each
// file once, and record it once.
TEST(PgApply, ConcurrentRunnersRunEachHandWrittenFileOnce) {
  STRATA_TEST_DATABASE(db);
  constexpr int kFiles = 40;
  std::vector<std::pair<std::string, std::string>> named = {
      {"0001_log.up.sql", "CREATE TABLE run_log (version int NOT NULL);\nINSERT INTO run_log VALUES (1);\n"}};
  for (int i = 2; i <= kFiles; ++i)
    named.emplace_back(fmt::format("{:04}_t{}.up.sql", i, i),
                       fmt::format("CREATE TABLE t{0} (id int);\nINSERT INTO run_log VALUES ({0});\n", i));
  const Migrations migrations(named);
  std::atomic<int> applied{0};
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      Result<std::unique_ptr<PostgresConnection>> conn = PostgresConnection::Open(db->url());
      if (!conn.ok()) {
        errors[t] = conn.status().message();
        return;
      }
      int mine = 0;
      if (Status s = migrations.Up(**conn, &mine); !s.ok()) errors[t] = s.message();
      applied += mine;
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(fmt::format("{}", fmt::join(errors, "")), "") << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_EQ(applied.load(), kFiles);
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*), count(DISTINCT version) FROM run_log"), fmt::format("{0}|{0}", kFiles));
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*), count(DISTINCT version) FROM strata_migrations"),
            fmt::format("{0}|{0}", kFiles));
}

// A file's own lock_timeout and statement_timeout hold for its statements
// and end with it: the next file of the run, and the session after the
// run, have the defaults again.
TEST(PgApply, AFileThatSetsTheTimeoutsKeepsThemToItself) {
  STRATA_TEST_DATABASE(db);
  const Migrations migrations({
      {"0001_seen.up.sql", "CREATE TABLE seen (version int, lock_timeout text, statement_timeout text);\n"},
      {"0002_strict.up.sql", "SET lock_timeout = '1234ms';\nSET statement_timeout = '5min';\n"
                             "INSERT INTO seen SELECT 2, current_setting('lock_timeout'), current_setting('statement_timeout');\n"},
      {"0003_after.up.sql",
       "INSERT INTO seen SELECT 3, current_setting('lock_timeout'), current_setting('statement_timeout');\n"},
  });
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrations.Up(*conn).ok());
  EXPECT_EQ(PgQuery(db->url(), "SELECT * FROM seen ORDER BY version"), "2|1234ms|5min\n3|0|0");
  Result<std::string> after = conn->session().QueryString(
      "SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout')");
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(*after, "0 0");
}

// psql sends the lines after COPY ... FROM STDIN as the rows; strata has no
// rows to send, so the file is refused by line before any file runs.
TEST(PgApply, CopyFromStdinIsRefusedBeforeAnythingRuns) {
  STRATA_TEST_DATABASE(db);
  const Migrations migrations({
      {"0001_items.up.sql", "CREATE TABLE items (id int, name text);\n"},
      {"0002_load.up.sql", "-- the fruit\nCOPY items (id, name)\n  FROM stdin;\n1\tapple\n2\tpear\n\\.\n"},
  });
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  Status s = migrations.Up(*conn);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.message();
  EXPECT_NE(s.message().find("0002_load.up.sql:2: COPY ... FROM STDIN"), std::string::npos) << s.message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('items') IS NULL, to_regclass('strata_migrations') IS NULL"), "t|t");
  // Applied alone, too.
  Result<ApplyOutcome> alone = conn->Apply(HandWritten("0002_load.up.sql", 2, migrations.files.at("0002_load.up.sql")));
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.status().message().find("COPY ... FROM STDIN"), std::string::npos) << alone.status().message();
}

// A file over 1 MiB goes in several messages in one transaction: it
// applies whole, and a failure in its last message undoes the first.
TEST(PgApply, AFileLargerThanOneMessageAppliesWholeOrNotAtAll) {
  STRATA_TEST_DATABASE(db);
  constexpr int kRows = 14000;  // about 1.4 MiB
  const auto file = [](const std::string& table, int duplicate_at) {
    std::string sql = fmt::format("CREATE TABLE {} (id int PRIMARY KEY, note text);\n", table);
    for (int i = 1; i <= kRows; ++i)
      sql += fmt::format("INSERT INTO {} VALUES ({}, '{:-<72}');\n", table, i == duplicate_at ? 1 : i, i);
    return sql;
  };
  const std::string big = file("big", 0);
  ASSERT_GT(big.size(), size_t{1} << 20);
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  Result<ApplyOutcome> applied = conn->Apply(HandWritten("0001_big.up.sql", 1, big));
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(PgQuery(db->url(), fmt::format("SELECT count(*), sum(id) FROM big")),
            fmt::format("{}|{}", kRows, int64_t{kRows} * (kRows + 1) / 2));
  EXPECT_EQ(PgQuery(db->url(), "SELECT version, checksum = '" + Checksum(big) + "' FROM strata_migrations"), "1|t");

  const int duplicate_at = kRows - 10;  // its line: the CREATE TABLE is line 1
  Result<ApplyOutcome> failed = conn->Apply(HandWritten("0002_big2.up.sql", 2, file("big2", duplicate_at)));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find(fmt::format("0002_big2.up.sql:{}: duplicate key value", duplicate_at + 1)),
            std::string::npos)
      << failed.status().message();
  EXPECT_NE(failed.status().message().find(fmt::format("statement: INSERT INTO big2 VALUES (1, '{}-", duplicate_at)),
            std::string::npos)
      << failed.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('big2') IS NULL"), "t");
  EXPECT_EQ(PgQuery(db->url(), "SELECT string_agg(version::text, ',') FROM strata_migrations"), "1");
}

// A trigger logs every write to the history table: a generated file (which
// inserts its own row) and a hand-written one are each recorded by one
// INSERT carrying the checksum, never an INSERT and then an UPDATE.
TEST(PgApply, TheHistoryRowIsWrittenOncePerFile) {
  STRATA_TEST_DATABASE(db);
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT, since: after}
)"}}, "project: scenario\ntags: [before, after]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  const PgScripts scripts = MakePgScripts(loaded.schema->At(0), loaded.schema->At(1));
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), scripts.create, &err), 0) << err;
  ASSERT_EQ(RunPsql(db->url(), "INSERT INTO t (id) VALUES (1), (2);\n"
                               "CREATE TABLE history_writes (version bigint, op text, checksum text);\n"
                               "CREATE FUNCTION log_history() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                               "BEGIN INSERT INTO history_writes VALUES (NEW.version, TG_OP, NEW.checksum); RETURN NULL; END $$;\n"
                               "CREATE TRIGGER log_history AFTER INSERT OR UPDATE ON strata_migrations\n"
                               "  FOR EACH ROW EXECUTE FUNCTION log_history();\n", &err), 0) << err;
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  const ScriptRun generated = FileRun("0020_after.up.sql", 20, true, scripts.up);
  ASSERT_TRUE(generated.own_transaction);
  Result<ApplyOutcome> up = conn->Apply(generated);
  ASSERT_TRUE(up.ok()) << up.status().message();
  const std::string hand = "UPDATE t SET a = 'x';";
  Result<ApplyOutcome> hand_up = conn->Apply(HandWritten("0025_fill.up.sql", 25, hand));
  ASSERT_TRUE(hand_up.ok()) << hand_up.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT version, op, checksum FROM history_writes ORDER BY version, op"),
            fmt::format("20|INSERT|{}\n25|INSERT|{}", Checksum(scripts.up), Checksum(hand)));
  EXPECT_EQ(PgQuery(db->url(), "SELECT version, name, tag, duration_ms >= 0 FROM strata_migrations ORDER BY version"),
            "10|before|before|NULL\n20|after|after|t\n25|m|only|t")
      << "psql wrote version 10 without a duration";
  EXPECT_EQ(PgQuery(db->url(), "SELECT id, a FROM t ORDER BY id"), "1|x\n2|x");
}

// The history is read once when the run takes the lock. A version that
// something recorded without the lock afterwards makes its file fail on
// the history's key, changing nothing, with a message that says so.
TEST(PgApply, AVersionRecordedBehindTheLocksBackFailsTheFileAndChangesNothing) {
  STRATA_TEST_DATABASE(db);
  std::unique_ptr<PostgresConnection> conn = Connect(*db);
  ASSERT_TRUE(conn);
  Result<std::unique_ptr<RunLock>> lock = conn->LockRun();
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), postgres::CreateHistoryTableSql() +
                                   ";\nINSERT INTO strata_migrations (version, name, tag) VALUES (30, 'late', 'only');\n",
                    &err),
            0)
      << err;
  Result<ApplyOutcome> r = conn->Apply(HandWritten("0030_late.up.sql", 30, "CREATE TABLE late (id int);\n"));
  ASSERT_FALSE(r.ok()) << "applied as if version 30 were not recorded";
  EXPECT_NE(r.status().message().find("0030_late.up.sql: version 30 is already in strata_migrations"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("without the lock"), std::string::npos) << r.status().message();
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('late') IS NULL, count(*) FROM strata_migrations"), "t|1");
}

}  // namespace
}  // namespace strata::testing
