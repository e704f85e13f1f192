// The runner end to end: the strata binary against real database files.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "migrate/scenario_harness.h"
#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::Query;
using testing::RunStrata;

// A copy of the repository's schema and migrations in a temporary folder,
// so a test can edit or add migration files.
class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::SourceDir() / "schema", dir_ / "schema", fs::copy_options::recursive);
    fs::copy(testing::SourceDir() / "migrations", dir_ / "migrations", fs::copy_options::recursive);
  }
  testing::CommandResult Strata(std::vector<std::string> args) { return RunStrata(args, dir_.path()); }
  void ConcurrentRunsApplyEachMigrationOnce(bool wal);
  void KilledDuringARebuildLosesNothing(bool wal);
  std::string Db() const { return (dir_ / "chefsocial.db").string(); }
  void Exec(const std::string& sql) {
    std::string err;
    ASSERT_EQ(testing::RunSqliteShell(Db(), sql, false, &err), 0) << err;
  }
  // Adds a hand-written migration and regenerates the sum file.
  void AddMigration(const std::string& name, const std::string& sql) {
    dir_.Write("migrations/" + name, sql);
    ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  }
  testing::TempDir dir_;
};

// Realistic baseline data, with what the baseline allowed and phase1
// forbids: duplicate usage months and an orphaned conversation.
const char* kBaselineData = R"(
INSERT INTO users (id, email, password_hash, name, restaurant_name) VALUES
  ('u1', 'chef@bistro.fr', 'h1', 'Anne', 'Bistro'), ('u2', 'cook@diner.us', 'h2', 'Bob', 'Diner'),
  ('u3', 'owner@cafe.it', 'h3', 'Carla', 'Cafe');
INSERT INTO conversations (user_id, transcript, language) VALUES
  ('u1', 'special of the day', 'fr'), ('u2', 'burger launch', 'en'), ('ghost', 'orphan from a deleted user', 'en');
INSERT INTO content (user_id, title, platform, viral_score) VALUES ('u1', 'Tarte', 'instagram', 8), ('u3', 'Espresso', 'tiktok', 6);
INSERT INTO user_features (user_id, feature_key) VALUES ('u1', 'voice_content_creation'), ('u2', 'analytics_insights');
INSERT INTO usage_tracking (user_id, month_year, voice_minutes_used, images_generated) VALUES
  ('u1', '2026-10', 30, 2), ('u1', '2026-10', 12, 1), ('u2', '2026-10', 5, 0), ('u1', '2026-11', 7, 3);
)";

TEST_F(RunnerTest, ChefSocialBaselineToPhase4AndBack) {
  ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
  Exec(kBaselineData);

  // Phase1 enforces foreign keys: the orphan is refused, named, nothing changes.
  std::string before = testing::Dump(Db());
  testing::CommandResult refused = Strata({"up"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("0020_phase1.up.sql"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("(orphans)"), std::string::npos) << refused.err;
  EXPECT_EQ(testing::Dump(Db()), before);

  Exec("DELETE FROM conversations WHERE user_id = 'ghost';");
  testing::CommandResult up = Strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("5 applied, 0 pending"), std::string::npos) << up.out;
  // The declared fix merged the duplicate month, summing its counters.
  EXPECT_EQ(Query(Db(), "SELECT user_id, month_year, voice_minutes_used, images_generated FROM usage_tracking ORDER BY id"),
            "u1|2026-10|42|3\nu2|2026-10|5|0\nu1|2026-11|7|3");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), "18");
  EXPECT_EQ(Query(Db(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(Db(), "PRAGMA foreign_key_check"), "");

  testing::CommandResult down = Strata({"down", "--tag", "baseline", "--allow-destructive"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.out.find("1 applied, 4 pending"), std::string::npos) << down.out;
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM users"), "3");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM usage_tracking"), "3");
  testing::CommandResult again = Strata({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM strata_migrations"), "5");
}

TEST_F(RunnerTest, AdoptsALiveDatabaseThatIsTheBaseline) {
  // The application created the tables itself, with no strata history.
  std::string baseline = testing::ReadFile(dir_ / "migrations" / "0010_baseline.up.sql");
  ASSERT_EQ(Strata({"create", "--tag", "baseline"}).exit_code, 0);
  testing::CommandResult up = Strata({"up", "--tag", "phase1"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.err.find("adopted: 0010_baseline.up.sql"), std::string::npos) << up.err;
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10,20");

  // A database that is something else is refused, with the differences.
  fs::remove(Db());
  Exec("CREATE TABLE users (id TEXT PRIMARY KEY);");
  testing::CommandResult other = Strata({"up"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("no strata history"), std::string::npos) << other.err;
}

TEST_F(RunnerTest, AFailingMigrationChangesNothingAndNamesTheStatement) {
  ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
  AddMigration("0015_backfill.up.sql",
               "UPDATE users SET status = 'active';\n"
               "INSERT INTO users (id, email, password_hash, name) VALUES ('x', 'x@x', 'h', 'X');\n"
               "INSERT INTO no_such_table VALUES (1);\n");
  Exec("INSERT INTO users (id, email, password_hash, name, status) VALUES ('u1', 'a@b', 'h', 'A', 'inactive');");
  std::string before = testing::Dump(Db());
  testing::CommandResult r = Strata({"up", "--no-backup"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("0015_backfill.up.sql:3: no such table: no_such_table"), std::string::npos) << r.err;
  EXPECT_EQ(testing::Dump(Db()), before);
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10");
}

TEST_F(RunnerTest, EditedAppliedMigrationIsReportedAndRefused) {
  ASSERT_EQ(Strata({"up", "--tag", "phase1"}).exit_code, 0);
  fs::path file = dir_ / "migrations" / "0020_phase1.up.sql";
  dir_.Write("migrations/0020_phase1.up.sql", testing::ReadFile(file) + "\n-- edited\n");
  testing::CommandResult status = Strata({"status"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.out.find("0020_phase1.up.sql: edited after its checksum was recorded"), std::string::npos)
      << status.out;
  testing::CommandResult up = Strata({"up"});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("0020_phase1.up.sql"), std::string::npos) << up.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "20");

}

TEST_F(RunnerTest, EditedHandWrittenMigrationIsCaughtByTheHistoryChecksum) {
  AddMigration("0015_backfill.up.sql", "UPDATE users SET status = 'active';\n");
  ASSERT_EQ(Strata({"up", "--tag", "phase1"}).exit_code, 0);
  // The sum file is regenerated after the edit, so only the checksum the
  // history recorded at apply time can tell.
  AddMigration("0015_backfill.up.sql", "UPDATE users SET status = 'inactive';\n");
  testing::CommandResult status = Strata({"status", "--format", "json"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.out.find("\"file\":\"0015_backfill.up.sql\",\"tag\":\"phase1\",\"applied\":true"),
            std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"checksum_mismatch\":true"), std::string::npos) << status.out;
  testing::CommandResult up = Strata({"up"});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("0015_backfill.up.sql was edited after it was applied"), std::string::npos) << up.err;
}

// A hand-written migration carries the tag of the generated file after it;
// applied on its own, the database is not at that tag yet, and the next
// `up` must not take the difference for a change by hand.
TEST_F(RunnerTest, AHandWrittenMigrationAppliedAloneIsNotDrift) {
  AddMigration("0025_backfill.up.sql", "UPDATE users SET status = 'active' WHERE status IS NULL;\n");
  ASSERT_EQ(Strata({"up", "--tag", "phase1", "--no-backup"}).exit_code, 0);
  testing::CommandResult r = Strata({"up", "--to", "25", "--no-backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "25");
  r = Strata({"up", "--no-backup"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("differs from tag"), std::string::npos) << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "50");
}

TEST_F(RunnerTest, DestructiveMigrationsNeedTheFlag) {
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  Exec("INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'a@x', 'h', 'A');"
       "INSERT INTO subscriptions (id, user_id, plan_name, status) VALUES ('s1', 'u1', 'pro', 'active'),"
       " ('s2', 'u1', 'team', 'canceled');");
  testing::CommandResult r = Strata({"down"});
  EXPECT_EQ(r.exit_code, 1) << "a safety refusal, not a usage error";
  // Each step says what it puts at stake.
  EXPECT_NE(r.err.find("0050_phase4.down.sql: drop table \"subscriptions\" (2 rows)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0050_phase4.down.sql: drop table \"invoices\" (0 rows)"), std::string::npos) << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "50");
  // Every destructive step of every file the run would apply is listed.
  r = Strata({"down", "--steps", "3"});
  EXPECT_EQ(r.exit_code, 1);
  for (const char* file : {"0050_phase4.down.sql: drop table", "0040_phase3.down.sql: drop table",
                           "0030_phase2.down.sql: drop table"})
    EXPECT_NE(r.err.find(file), std::string::npos) << file << " in " << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "50");
  // More steps than are applied is a mistake, not "all of them".
  r = Strata({"down", "--steps", "99", "--allow-destructive"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--steps 99 is more than the 5 migration(s) applied"), std::string::npos) << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "50");
  r = Strata({"down", "--allow-destructive"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("  removed: drop table \"subscriptions\" (2 rows)"), std::string::npos)
      << "a summary of what went: " << r.err;
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "40");
}

TEST_F(RunnerTest, TagAndVersionSelection) {
  ASSERT_EQ(Strata({"up", "--tag", "phase2"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT group_concat(tag) FROM strata_migrations"), "baseline,phase1,phase2");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM sqlite_schema WHERE name = 'teams'"), "0");
  ASSERT_EQ(Strata({"up", "--to", "40"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "40");
  ASSERT_EQ(Strata({"down", "--to", "20", "--allow-destructive"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10,20");
  ASSERT_EQ(Strata({"down", "--steps", "2", "--allow-destructive"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM strata_migrations"), "0");
  EXPECT_EQ(Strata({"up", "--tag", "phase9"}).exit_code, 2);
}

TEST_F(RunnerTest, PlanPrintsWithoutApplying) {
  ASSERT_EQ(Strata({"up", "--tag", "phase3"}).exit_code, 0);
  std::string before = testing::Dump(Db());
  testing::CommandResult plan = Strata({"plan"});
  EXPECT_EQ(plan.exit_code, 0);
  EXPECT_NE(plan.out.find("-- ===== 0050_phase4.up.sql (tag \"phase4\")"), std::string::npos);
  EXPECT_EQ(plan.out.find("0040_phase3.up.sql (tag"), std::string::npos);
  EXPECT_EQ(testing::Dump(Db()), before);
}

TEST_F(RunnerTest, BackupRestoreRoundTrip) {
  ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
  Exec("INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'a@b', 'h', 'A');");
  std::string at_baseline = testing::Dump(Db());
  testing::CommandResult up = Strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  // `up` backed the database up first.
  std::vector<fs::path> backups;
  for (const auto& e : fs::directory_iterator(dir_ / "backups")) backups.push_back(e.path());
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(testing::Dump(backups[0].string()), at_baseline);
  ASSERT_EQ(Strata({"restore", "--from", backups[0].string()}).exit_code, 0);
  EXPECT_EQ(testing::Dump(Db()), at_baseline);
  testing::CommandResult manual = Strata({"backup"});
  EXPECT_EQ(manual.exit_code, 0);
  EXPECT_TRUE(fs::exists(dir_ / testing::Trimmed(manual.out))) << manual.out;
}

// `up` copies the database first only when a pending file can lose data
// even when it succeeds; a generated file that keeps every row rolls back
// as a whole, so its transaction is the backup.
TEST_F(RunnerTest, UpBacksUpOnlyWhenAPendingFileCanLoseData) {
  const auto backups = [&] {
    size_t n = 0;
    if (fs::exists(dir_ / "backups"))
      for (const auto& e : fs::directory_iterator(dir_ / "backups")) n += e.is_regular_file() ? 1 : 0;
    return n;
  };
  ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
  Exec(kBaselineData);
  Exec("DELETE FROM conversations WHERE user_id = 'ghost';");
  // phase1 merges duplicate usage months with a data fix: rows go away.
  testing::CommandResult r = Strata({"up", "--tag", "phase1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("backup: backups/chefsocial-"), std::string::npos) << r.err;
  EXPECT_EQ(backups(), 1u);
  // phase2 only adds: no copy, and the run says why.
  r = Strata({"up", "--tag", "phase2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("backup: none needed (every pending file keeps every row and rolls back on failure"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(backups(), 1u);
  // Asked for, it is taken anyway.
  r = Strata({"up", "--tag", "phase3", "--backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("backup: backups/chefsocial-"), std::string::npos) << r.err;
  EXPECT_EQ(backups(), 2u);
}

// Versions are written as in file names: 0020 is twenty, not octal 16.
TEST_F(RunnerTest, ToVersionReadsZeroPaddedVersionsAsDecimal) {
  testing::CommandResult plan = Strata({"plan", "--to", "0020"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("0020_"), std::string::npos) << plan.out;
  testing::CommandResult up = Strata({"up", "--to", "0020", "--no-backup"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10,20");
  EXPECT_EQ(Strata({"up", "--to", "20x"}).exit_code, 2);
}

TEST_F(RunnerTest, SingleTransactionIsAllOrNothing) {
  AddMigration("0045_bad.up.sql", "INSERT INTO no_such_table VALUES (1);\n");
  testing::CommandResult r = Strata({"up", "--single-transaction"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("0045_bad.up.sql:1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Db()) && Query(Db(), "SELECT count(*) FROM sqlite_schema") != "0")
      << "nothing of the first four migrations may remain";

  fs::remove(dir_ / "migrations" / "0045_bad.up.sql");
  AddMigration("0045_vacuum.up.sql", "VACUUM;\n");
  testing::CommandResult refused = Strata({"up", "--single-transaction"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("0045_vacuum.up.sql:1: cannot run inside a single transaction"), std::string::npos)
      << refused.err;

  fs::remove(dir_ / "migrations" / "0045_vacuum.up.sql");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  testing::CommandResult ok = Strata({"up", "--single-transaction"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM strata_migrations WHERE checksum LIKE 'sha256:%'"), "5");
}

TEST_F(RunnerTest, ConcurrentRunsApplyEachMigrationOnce) { ConcurrentRunsApplyEachMigrationOnce(false); }

// The same in WAL mode, where readers do not block the writer.
TEST_F(RunnerTest, ConcurrentRunsApplyEachMigrationOnceInWalMode) { ConcurrentRunsApplyEachMigrationOnce(true); }

void RunnerTest::ConcurrentRunsApplyEachMigrationOnce(bool wal) {
  if (wal) {
    ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
    ASSERT_EQ(Query(Db(), "SELECT 1"), "1");
    Exec("PRAGMA journal_mode = WAL;");
    ASSERT_EQ(Query(Db(), "PRAGMA journal_mode"), "wal");
  }
  std::vector<pid_t> children;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      testing::CommandResult r = RunStrata({"up", "--no-backup"}, dir_.path());
      dir_.Write("runner" + std::to_string(i) + ".err", r.err);
      _exit(r.exit_code);
    }
    children.push_back(pid);
  }
  int succeeded = 0;
  std::string failures;
  for (size_t i = 0; i < children.size(); ++i) {
    int status = 0;
    waitpid(children[i], &status, 0);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    succeeded += ok;
    if (!ok) failures += testing::ReadFile(dir_ / ("runner" + std::to_string(i) + ".err"));
  }
  EXPECT_EQ(succeeded, 8) << failures;
  EXPECT_EQ(Query(Db(), "SELECT count(*), count(DISTINCT version) FROM strata_migrations"), "5|5");
  EXPECT_EQ(Query(Db(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), "18");
}

// SIGKILL `strata up` at random moments while it rebuilds a 200,000-row
// table: every time the file is intact, at the old or the new version, with
// every row; the next `up` finishes the job.
TEST_F(RunnerTest, KilledDuringARebuildLosesNothing) { KilledDuringARebuildLosesNothing(false); }

// The same in WAL mode: a kill leaves committed frames in the -wal file and
// none of an unfinished transaction.
TEST_F(RunnerTest, KilledDuringARebuildInWalModeLosesNothing) { KilledDuringARebuildLosesNothing(true); }

void RunnerTest::KilledDuringARebuildLosesNothing(bool wal) {
  ASSERT_EQ(Strata({"up", "--tag", "baseline"}).exit_code, 0);
  Exec("INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'a@b', 'h', 'A');"
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
       "INSERT INTO usage_tracking (user_id, month_year, voice_minutes_used) SELECT 'u1', printf('%04d-%02d', 1000 + i / 12, 1 + i % 12), i FROM n;");
  if (wal) Exec("PRAGMA journal_mode = WAL;");
  const fs::path pristine = dir_ / "pristine.db";
  fs::copy_file(Db(), pristine);
  std::mt19937 random(20261125);
  int killed_mid_run = 0;
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    fs::copy_file(pristine, Db(), fs::copy_options::overwrite_existing);
    for (const char* suffix : {"-journal", "-wal", "-shm"}) fs::remove(dir_ / ("chefsocial.db" + std::string(suffix)));
    pid_t pid = fork();
    if (pid == 0) {
      if (chdir(dir_.path().c_str()) != 0) _exit(126);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execl(STRATA_BINARY, "strata", "up", "--tag", "phase1", "--no-backup", static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 400)(random)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    killed_mid_run += WIFSIGNALED(status);
    EXPECT_EQ(Query(Db(), "PRAGMA integrity_check"), "ok");
    if (wal) {
      EXPECT_EQ(Query(Db(), "PRAGMA journal_mode"), "wal");
    }
    std::string version = Query(Db(), "SELECT max(version) FROM strata_migrations");
    EXPECT_TRUE(version == "10" || version == "20") << version;
    EXPECT_EQ(Query(Db(), "SELECT count(*), sum(voice_minutes_used) FROM usage_tracking"), "200000|20000100000");
    if (version == "10") {
      EXPECT_EQ(Query(Db(), "SELECT count(*) FROM pragma_table_info('usage_tracking')"), "6");
    }
    testing::CommandResult finish = Strata({"up", "--tag", "phase1", "--no-backup"});
    ASSERT_EQ(finish.exit_code, 0) << finish.err;
    EXPECT_EQ(Query(Db(), "SELECT max(version) FROM strata_migrations"), "20");
    EXPECT_EQ(Query(Db(), "SELECT count(*), sum(voice_minutes_used) FROM usage_tracking"), "200000|20000100000");
  }
  EXPECT_GE(killed_mid_run, 10) << "most rounds must kill the run before it finishes";
}

// Adoption at a later tag: a database made by hand at phase2 is baselined
// there (its migrations recorded, none run), then `up` takes it on; a
// baseline at the wrong tag lists the differences and records nothing.
TEST_F(RunnerTest, BaselineAdoptsADatabaseAtALaterTag) {
  ASSERT_EQ(Strata({"create", "--tag", "phase2"}).exit_code, 0);
  Exec("INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'a@b', 'h', 'A');");
  const std::string before = testing::Dump(Db());
  testing::CommandResult wrong = Strata({"baseline", "--tag", "phase1"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("the database is not at tag \"phase1\"; it differs in 3 way(s)"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("user_sessions"), std::string::npos) << wrong.err;
  EXPECT_EQ(testing::Dump(Db()), before) << "a refused baseline records nothing";

  testing::CommandResult right = Strata({"baseline", "--tag", "phase2"});
  ASSERT_EQ(right.exit_code, 0) << right.err;
  EXPECT_NE(right.out.find("3 applied, 2 pending"), std::string::npos) << right.out;
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10,20,30");
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  EXPECT_EQ(Strata({"drift"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM users"), "1");
  EXPECT_EQ(Strata({"baseline", "--tag", "phase2"}).exit_code, 2) << "a managed database is not baselined again";
}

// `down` compares first too: a hand-made column on a table the down file
// drops would go with it, unannounced.
TEST(RunnerDrift, DownRefusesADatabaseChangedByHandUntilAllowed) {
  testing::TempDir dir;
  fs::copy(testing::SourceDir() / "schema", dir / "schema", fs::copy_options::recursive);
  fs::copy(testing::SourceDir() / "migrations", dir / "migrations", fs::copy_options::recursive);
  ASSERT_EQ(RunStrata({"up", "--tag", "phase3", "--no-backup"}, dir.path()).exit_code, 0);
  std::string err;
  ASSERT_EQ(testing::RunSqliteShell((dir / "chefsocial.db").string(),
                                    "INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'a@x', 'h', 'A');"
                                    "ALTER TABLE users ADD COLUMN nickname TEXT;",
                                    false, &err),
            0)
      << err;
  testing::CommandResult r = RunStrata({"down", "--no-backup", "--allow-destructive"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("the database differs from tag \"phase3\", where its history says it is, so the down files "
                       "could fail half way or drop what they did not create; nothing was rolled back (1 "
                       "difference(s); `strata drift` shows them):\n  users: extra column \"nickname\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Query((dir / "chefsocial.db").string(), "SELECT max(version) FROM strata_migrations"), "40");
  r = RunStrata({"down", "--no-backup", "--allow-destructive", "--allow-drift"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Query((dir / "chefsocial.db").string(), "SELECT max(version) FROM strata_migrations"), "30");
  EXPECT_EQ(Query((dir / "chefsocial.db").string(), "SELECT nickname IS NULL FROM users"), "1");
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// A migration that fails on a database someone changed by hand says how the
// database differs from where its history says it is, and names drift.
TEST(RunnerDrift, FailedMigrationNamesTheHandMadeDifference) {
  testing::TempDir dir;
  fs::copy(testing::SourceDir() / "schema", dir / "schema", fs::copy_options::recursive);
  fs::copy(testing::SourceDir() / "migrations", dir / "migrations", fs::copy_options::recursive);
  ASSERT_EQ(RunStrata({"up", "--tag", "phase3", "--no-backup"}, dir.path()).exit_code, 0);
  std::string err;
  ASSERT_EQ(testing::RunSqliteShell((dir / "chefsocial.db").string(), "CREATE INDEX hand_made ON conversations (language);",
                                    false, &err),
            0)
      << err;
  // Refused before anything runs, with the difference.
  testing::CommandResult r = RunStrata({"up", "--no-backup"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the database differs from tag \"phase3\", where its history says it is"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was applied (1 difference(s); `strata drift` shows them):\n  conversations: extra "
                       "index \"hand_made\"\nundo the change by hand, or pass --allow-drift"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Query((dir / "chefsocial.db").string(), "SELECT max(version) FROM strata_migrations"), "40");
  // Let through, the migration's own postcheck fails, and says why.
  r = RunStrata({"up", "--no-backup", "--allow-drift"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the database differs from tag \"phase3\", where its history says it is (1 difference(s); "
                       "`strata drift` shows them):\n  conversations: extra index \"hand_made\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Query((dir / "chefsocial.db").string(), "SELECT max(version) FROM strata_migrations"), "40");
}

}  // namespace
}  // namespace strata
