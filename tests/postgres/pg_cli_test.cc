// The strata binary against a PostgreSQL URL: up, status and down with the
// ChefSocial migrations planned for PostgreSQL, and no password in output.
#include <signal.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "migrate/generator.h"
#include "pg_test_util.h"
#include "postgres/postgres_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

extern char** environ;

namespace strata::testing {
namespace {

// The repository's schema (which generates for SQLite and PostgreSQL),
// generated with the strata binary into `dir` (schema/, migrations/ with
// migrations/postgres/, checks/). Returns the common flags.
std::vector<std::string> GenerateBothDialects(const TempDir& dir) {
  std::filesystem::copy(SourceDir() / "schema", dir / "schema", std::filesystem::copy_options::recursive);
  EXPECT_NE(ReadFile(dir / "schema/project.yaml").find("dialects: [sqlite, postgres]"), std::string::npos);
  const std::vector<std::string> flags = {"--schema", (dir / "schema").string(), "--migrations",
                                          (dir / "migrations").string()};
  std::vector<std::string> generate = {"generate", "--checks", (dir / "checks").string()};
  generate.insert(generate.end(), flags.begin(), flags.end());
  CommandResult r = RunStrata(generate, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return flags;
}

TEST(PgCli, UpStatusAndDownAgainstAPostgresUrl) {
  STRATA_TEST_DATABASE(db);
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  TempDir dir;
  std::vector<std::string> common = GenerateBothDialects(dir);
  ASSERT_TRUE(std::filesystem::exists(dir / "migrations/postgres/0010_baseline.up.sql"));
  common.insert(common.end(), {"--db", db->url()});
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    return RunStrata(args, dir.path());
  };
  // In two steps: the second `up` starts from a recorded tag, so it
  // compares the live schema with that tag first (and finds no drift).
  CommandResult up = run({"up", "--no-backup", "--tag", "phase1"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  up = run({"up", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(schema->project.tags.size()));
  CommandResult status = run({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  CommandResult down = run({"down", "--no-backup", "--allow-destructive"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(schema->project.tags.size() - 1));
}

// A foreign key added NOT VALID over an orphan row is in the model like a
// checked one, so only the rows tell: drift names the constraint, check
// counts the orphan, and once the row is gone and the key validated there
// is no drift.
TEST(PgCli, DriftNamesANotValidConstraintUntilItIsValidated) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  std::vector<std::string> common = GenerateBothDialects(dir);
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    args.insert(args.end(), {"--db", db->url()});
    return RunStrata(args, dir.path());
  };
  CommandResult r = run({"up", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string err;
  ASSERT_EQ(RunPsql(db->url(),
                    "ALTER TABLE conversations DROP CONSTRAINT conversations_user_id_fkey;\n"
                    "INSERT INTO conversations (user_id, transcript) VALUES ('nobody', 't');\n"
                    "ALTER TABLE conversations ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (user_id) "
                    "REFERENCES users (id) NOT VALID;\n",
                    &err),
            0)
      << err;
  r = run({"drift", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(R"("table":"conversations","finding":"constraint \"conversations_user_id_fkey\" is NOT VALID)"),
            std::string::npos)
      << r.out;
  r = run({"check"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAILED 1 row(s); sample keys: 'nobody'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NOT VALID constraint conversations_user_id_fkey on conversations"), std::string::npos) << r.out;
  ASSERT_EQ(RunPsql(db->url(),
                    "DELETE FROM conversations WHERE user_id = 'nobody';\n"
                    "ALTER TABLE conversations VALIDATE CONSTRAINT conversations_user_id_fkey;\n",
                    &err),
            0)
      << err;
  r = run({"drift"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(PgCli, DriftCheckInspectDiffAndApplyAgainstAPostgresUrl) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  std::vector<std::string> common = GenerateBothDialects(dir);
  const auto run = [&](std::vector<std::string> args, bool with_db = true) {
    args.insert(args.end(), common.begin(), common.end());
    if (with_db) args.insert(args.end(), {"--db", db->url()});
    return RunStrata(args, dir.path());
  };
  CommandResult r = run({"up", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run({"drift"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no drift"), std::string::npos) << r.out;
  r = run({"check"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunStrata({"diff", "--from", db->url(), "--to", (dir / "schema").string()}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("-- no differences"), std::string::npos) << r.out;

  // inspect writes a schema folder for PostgreSQL, without the URL.
  r = RunStrata({"inspect", "--db", db->url(), "--out", (dir / "inspected").string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string project = ReadFile(dir / "inspected/project.yaml");
  EXPECT_NE(project.find("dialect: postgres"), std::string::npos) << project;
  EXPECT_EQ(project.find("postgresql://"), std::string::npos) << project;
  EXPECT_NE(ReadFile(dir / "inspected/tables/users.yaml").find("type: TEXT"), std::string::npos);
  r = RunStrata({"validate", "--schema", (dir / "inspected").string()}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // A change by hand: drift names it (text and JSON), up refuses to build
  // on it, diff prints the way back, apply takes it.
  ASSERT_EQ(PgQuery(db->url(), "ALTER TABLE users ADD COLUMN nickname text; SELECT 1"), "1");
  r = run({"drift"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("nickname"), std::string::npos) << r.out;
  r = run({"drift", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(R"("users","finding":"extra column \"nickname)"), std::string::npos) << r.out;
  r = RunStrata({"diff", "--from", db->url(), "--to", (dir / "schema").string()}, dir.path());
  EXPECT_NE(r.out.find("DROP COLUMN"), std::string::npos) << r.out << r.err;
  r = RunStrata({"apply", "--db", db->url(), "--to", (dir / "schema").string(), "--ignore-history",
                 "--allow-destructive", "--no-backup"},
                dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run({"drift"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The test server trusts local connections, so a password in the URL is
// accepted and ignored: every verb runs for real and must not print it.
TEST(PgCli, APasswordInTheUrlNeverAppearsInAnyVerbsOutput) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  std::vector<std::string> common = GenerateBothDialects(dir);
  const std::string url = db->url() + (db->url().find('?') == std::string::npos ? "?" : "&") + "password=hunter2";
  for (const std::vector<std::string>& verb :
       std::vector<std::vector<std::string>>{{"up", "--no-backup", "--allow-destructive"},
                                             {"status"},
                                             {"plan"},
                                             {"drift"},
                                             {"check"},
                                             {"explain"},
                                             {"drift", "--format", "json"},
                                             {"check", "--format", "junit"},
                                             {"down", "--no-backup", "--allow-destructive"}}) {
    std::vector<std::string> args = verb;
    args.insert(args.end(), common.begin(), common.end());
    args.insert(args.end(), {"--db", url});
    CommandResult r = RunStrata(args, dir.path());
    EXPECT_NE(r.exit_code, 2) << verb[0] << ": " << r.out << r.err;
    EXPECT_EQ((r.out + r.err).find("hunter2"), std::string::npos) << verb[0] << ": " << r.out << r.err;
  }
  CommandResult r = RunStrata({"inspect", "--db", url}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ((r.out + r.err).find("hunter2"), std::string::npos) << r.out << r.err;
}

TEST(PgCli, APasswordNeverAppearsInOutput) {
  TempDir dir;
  CommandResult r = RunStrata({"status", "--db", "postgresql://alice:hunter2@127.0.0.1:1/app?connect_timeout=2",
                               "--schema", (SourceDir() / "schema").string(), "--migrations",
                               (SourceDir() / "migrations").string()},
                              dir.path());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ((r.out + r.err).find("hunter2"), std::string::npos) << r.out << r.err;
}

// `strata up` killed with SIGKILL while a long statement runs, ten times:
// the server rolls the file back (the client's death is noticed within
// client_connection_check_interval), status stays consistent, and a rerun
// finishes the job.
TEST(PgCli, KilledDuringALongStatementChangesNothingAndARerunFinishes) {
  STRATA_TEST_DATABASE(db);
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  TempDir dir;
  const std::vector<std::string> flags = GenerateBothDialects(dir);
  // A hand-written migration after the baseline with one long statement,
  // taken into the sum file by generate.
  dir.Write("migrations/postgres/0015_slow.up.sql", "CREATE TABLE slow_marker (id bigint);\nSELECT pg_sleep(60);\n");
  dir.Write("migrations/postgres/0015_slow.down.sql", "DROP TABLE slow_marker;\n");
  std::vector<std::string> generate = {"generate", "--checks", (dir / "checks").string()};
  generate.insert(generate.end(), flags.begin(), flags.end());
  ASSERT_EQ(RunStrata(generate, dir.path()).exit_code, 0);
  const std::string killed_url = db->url() + (db->url().find('?') == std::string::npos ? "?" : "&") +
                                 "options=-c%20client_connection_check_interval%3D100";
  std::vector<std::string> args = {STRATA_BINARY, "up", "--no-backup", "--allow-destructive", "--db", killed_url};
  args.insert(args.end(), flags.begin(), flags.end());
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<std::string> owned = args;
    std::vector<char*> argv;
    for (std::string& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, STRATA_BINARY, &quiet, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&quiet);
    // Wait (polling the server, not the clock) until the long statement
    // runs. The server shows the whole message the file went in. An earlier
    // poll's backend may still be exiting, its last query this one, which
    // names the statement too: only an active query that is not a poll counts.
    const std::string running =
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(60)%' AND query NOT LIKE "
        "'%pg_stat_activity%' AND state = 'active' AND pid <> pg_backend_pid() AND datname = current_database()";
    bool started = false;
    for (int i = 0; i < 100000 && !started; ++i) {
      started = PgQuery(db->url(), running) == "1";
      if (!started && waitpid(pid, nullptr, WNOHANG) == pid) break;
    }
    ASSERT_TRUE(started) << "strata up never reached the long statement";
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    bool ended = false;
    for (int i = 0; i < 100000 && !ended; ++i) ended = PgQuery(db->url(), running) == "0";
    ASSERT_TRUE(ended) << "the server never noticed that the client died";
    EXPECT_EQ(PgQuery(db->url(), "SELECT string_agg(version::text, ',' ORDER BY version) FROM strata_migrations"), "10");
    EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('slow_marker') IS NULL"), "t") << "the killed file rolled back";
    EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"), "0");
  }
  // A rerun finishes (the long statement made short).
  dir.Write("migrations/postgres/0015_slow.up.sql", "CREATE TABLE slow_marker (id bigint);\nSELECT pg_sleep(0);\n");
  ASSERT_EQ(RunStrata(generate, dir.path()).exit_code, 0);
  std::vector<std::string> rerun = {"up", "--no-backup", "--allow-destructive", "--db", db->url()};
  rerun.insert(rerun.end(), flags.begin(), flags.end());
  CommandResult up = RunStrata(rerun, dir.path());
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(schema->project.tags.size() + 1));
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
}

}  // namespace
}  // namespace strata::testing
