// The history keeps what was applied: `down` after the files changed,
// `status` explaining a mismatch, `strata repair`, an older strata's
// history table, and `status`/`plan` of a database that is missing or has
// no history. The strata binary against real SQLite files.
#include <filesystem>

#include <gtest/gtest.h>

#include "e2e/history_project.h"
#include "migrate/scenario_harness.h"
#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::Query;

constexpr const char* kProject = "project: p\ntags: [a, b]\ndatabase: app.db\n";

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("schema/project.yaml", kProject);
    dir_.Write("schema/items.yaml", testing::kHistoryItems);
    ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  }
  testing::CommandResult Strata(const std::vector<std::string>& args) { return testing::RunStrata(args, dir_.path()); }
  std::string Db() const { return (dir_ / "app.db").string(); }
  void Exec(const std::string& sql) {
    std::string err;
    ASSERT_EQ(testing::RunSqliteShell(Db(), sql, false, &err), 0) << err;
  }
  std::string File(const std::string& name) const { return testing::ReadFile(dir_ / "migrations" / name); }
  // Applied through tag b, with rows, then the YAML of tag b edited and
  // the files regenerated: the applied 0020 files are not the files now.
  void AppliedThenRegenerated() {
    ASSERT_EQ(Strata({"up"}).exit_code, 0);
    Exec("INSERT INTO items (id, name, note) VALUES (1, 'salt', 'coarse'), (2, 'pepper', NULL), (3, 'thyme', 'dry');");
    applied_up_ = File("0020_b.up.sql");
    applied_down_ = File("0020_b.down.sql");
    dir_.Write("schema/items.yaml", testing::kHistoryItemsEdited);
    ASSERT_EQ(Strata({"generate"}).exit_code, 0);
    ASSERT_NE(File("0020_b.up.sql"), applied_up_);
  }
  std::string Columns() const { return Query(Db(), "SELECT group_concat(name) FROM pragma_table_info('items')"); }

  testing::TempDir dir_;
  std::string applied_up_, applied_down_;
};

TEST_F(HistoryTest, TheHistoryRecordsTheUpAndDownTextsOfEachMigration) {
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM strata_migrations WHERE up_sql IS NOT NULL AND down_sql IS NOT NULL"),
            "2");
  EXPECT_EQ(Query(Db(), "SELECT length(down_sql) FROM strata_migrations WHERE version = 20"),
            std::to_string(File("0020_b.down.sql").size()));
  EXPECT_EQ(Query(Db(), "SELECT length(up_sql) FROM strata_migrations WHERE version = 10"),
            std::to_string(File("0010_a.up.sql").size()));
}

TEST_F(HistoryTest, StatusExplainsAMismatchAndTheThreeWaysOut) {
  AppliedThenRegenerated();
  testing::CommandResult status = Strata({"status"});
  EXPECT_EQ(status.exit_code, 1) << status.out << status.err;
  for (const char* expected :
       {"0020_b.up.sql was edited after it was applied", "git checkout -- migrations/0020_b.up.sql",
        "`strata repair 0020_b.up.sql` re-records its checksum",
        "roll it back: `strata down` runs the down text recorded when it was applied"})
    EXPECT_NE(status.out.find(expected), std::string::npos) << expected << " in\n" << status.out;
  testing::CommandResult json = Strata({"status", "--format", "json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_NE(json.out.find("\"checksum_mismatch\":true,\"problem\":\"edited after it was applied\",\"resolve\":["
                          "\"put the file back as it was applied: `git checkout -- migrations/0020_b.up.sql`"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("`strata repair 0020_b.up.sql`"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"file\":\"0010_a.up.sql\",\"tag\":\"a\",\"applied\":true,\"applied_at\""),
            std::string::npos);
  // A refused `up` points at the explanation.
  testing::CommandResult up = Strata({"up"});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("`strata status` shows the ways out"), std::string::npos) << up.err;
}

TEST_F(HistoryTest, DownRunsTheRecordedTextAfterTheFilesWereRegenerated) {
  AppliedThenRegenerated();
  testing::CommandResult down = Strata({"down", "--allow-destructive"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_NE(down.err.find("note: 0020_b.down.sql: running the down text recorded when it was applied "
                          "(0020_b.down.sql was edited since)"),
            std::string::npos)
      << down.err;
  EXPECT_EQ(Columns(), "id,name") << "the column the applied file added is gone";
  EXPECT_EQ(Query(Db(), "SELECT group_concat(name) FROM items ORDER BY id"), "salt,pepper,thyme");
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10");
  // The way forward: the files as they are now.
  testing::CommandResult up = Strata({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(Columns(), "id,name,memo");
  EXPECT_EQ(Strata({"status"}).exit_code, 0);
}

TEST_F(HistoryTest, DownRunsTheRecordedTextWhenTheFilesAreGone) {
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  Exec("INSERT INTO items (id, name, note) VALUES (1, 'salt', 'coarse'), (2, 'pepper', NULL);");
  fs::remove(dir_ / "migrations/0020_b.up.sql");
  fs::remove(dir_ / "migrations/0020_b.down.sql");
  testing::CommandResult status = Strata({"status"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.out.find("0020_b.up.sql was recorded as applied, but its files are gone"), std::string::npos)
      << status.out;
  testing::CommandResult down = Strata({"down", "--allow-destructive"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.err.find("note: 0020_b.down.sql: running the down text recorded when it was applied (its files are "
                          "gone)"),
            std::string::npos)
      << down.err;
  EXPECT_EQ(Columns(), "id,name");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM items"), "2");
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10");
}

// A reviewed edit of a hand-written migration: repair re-records it.
TEST_F(HistoryTest, RepairDryRunChangesNothingAndRepairFixesStatus) {
  dir_.Write("migrations/0015_backfill.up.sql", "UPDATE items SET name = upper(name);\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);  // re-sums the hand-written file
  ASSERT_EQ(Strata({"create", "--tag", "a"}).exit_code, 0);
  Exec("INSERT INTO items VALUES (1, 'salt'), (2, 'pepper');");
  ASSERT_EQ(Strata({"up", "--to", "15"}).exit_code, 0) << "adopts tag a, runs the backfill";
  ASSERT_EQ(Query(Db(), "SELECT group_concat(name) FROM items"), "SALT,PEPPER");
  dir_.Write("migrations/0015_backfill.up.sql", "-- upper-case names, reviewed\nUPDATE items SET name = upper(name);\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  ASSERT_EQ(Strata({"status"}).exit_code, 1);
  const std::string before = testing::Dump(Db());

  testing::CommandResult dry = Strata({"repair", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 1) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("0015_backfill.up.sql: would re-record checksum sha256:"), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find("0010_a"), std::string::npos) << "unchanged files are not listed: " << dry.out;
  EXPECT_NE(dry.out.find("dry run, nothing was changed"), std::string::npos) << dry.out;
  EXPECT_EQ(testing::Dump(Db()), before);
  EXPECT_EQ(Strata({"status"}).exit_code, 1);

  testing::CommandResult wrong = Strata({"repair", "0099_nothing.up.sql"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("0099_nothing.up.sql: no such migration file"), std::string::npos) << wrong.err;
  testing::CommandResult pending = Strata({"repair", "migrations/0020_b.up.sql"});
  EXPECT_EQ(pending.exit_code, 2);
  EXPECT_NE(pending.err.find("is not applied"), std::string::npos) << pending.err;
  EXPECT_EQ(testing::Dump(Db()), before);

  testing::CommandResult repair = Strata({"repair", "migrations/0015_backfill.up.sql"});
  EXPECT_EQ(repair.exit_code, 0) << repair.out << repair.err;
  EXPECT_NE(repair.out.find("0015_backfill.up.sql: re-recorded checksum"), std::string::npos) << repair.out;
  testing::CommandResult status = Strata({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out;
  EXPECT_EQ(status.out.find("MISMATCH"), std::string::npos) << status.out;
  EXPECT_EQ(Query(Db(), "SELECT up_sql LIKE '-- upper-case names, reviewed%' FROM strata_migrations WHERE version = 15"),
            "1");
  EXPECT_EQ(Query(Db(), "SELECT group_concat(name) FROM items"), "SALT,PEPPER") << "the data is not touched";
  testing::CommandResult again = Strata({"repair"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to repair"), std::string::npos) << again.out;
}

// A history table in the shape an older strata created: read as it is,
// upgraded by the first write, and old rows keep today's rules.
TEST_F(HistoryTest, AnOlderHistoryTableIsUpgradedOnTheFirstWrite) {
  Exec("CREATE TABLE strata_migrations (\"version\" INTEGER PRIMARY KEY, \"name\" TEXT NOT NULL, \"tag\" TEXT NOT NULL, "
       "\"checksum\" TEXT, \"applied_at\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
       "\"duration_ms\" INTEGER);");
  std::string err;
  ASSERT_EQ(testing::RunSqliteShell(Db(), File("0010_a.up.sql"), false, &err), 0) << err;
  Exec("INSERT INTO items VALUES (1, 'salt');");
  ASSERT_EQ(Query(Db(), "SELECT count(*) FROM pragma_table_info('strata_migrations') WHERE name = 'up_sql'"), "0");

  testing::CommandResult status = Strata({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("1 applied, 1 pending"), std::string::npos) << status.out;
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  EXPECT_EQ(Query(Db(), "SELECT group_concat(name) FROM pragma_table_info('strata_migrations') WHERE name LIKE '%_sql'"),
            "up_sql,down_sql");
  EXPECT_EQ(Query(Db(), "SELECT group_concat(version || ':' || (up_sql IS NOT NULL)) FROM strata_migrations"),
            "10:0,20:1");
  EXPECT_EQ(Strata({"status"}).exit_code, 0);
  // The new row rolls back from its file; the old one too, as before.
  ASSERT_EQ(Strata({"down", "--allow-destructive"}).exit_code, 0);
  EXPECT_EQ(Columns(), "id,name");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM items"), "1");
}

TEST_F(HistoryTest, AnOldRowWithoutTextIsStillRefusedAfterAnEdit) {
  ASSERT_EQ(Strata({"up"}).exit_code, 0);
  Exec("UPDATE strata_migrations SET up_sql = NULL, down_sql = NULL;");
  dir_.Write("schema/items.yaml", testing::kHistoryItemsEdited);
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  testing::CommandResult down = Strata({"down", "--allow-destructive"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("0020_b.up.sql was edited after it was applied"), std::string::npos) << down.err;
  EXPECT_EQ(Columns(), "id,name,note");
  testing::CommandResult status = Strata({"status"});
  EXPECT_NE(status.out.find("the history holds no down text for it"), std::string::npos) << status.out;
}

TEST_F(HistoryTest, StatusAndPlanOfAMissingDatabaseShowEverythingPending) {
  const std::string missing = (dir_ / "not-yet.db").string();
  testing::CommandResult status = Strata({"status", "--db", missing});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.out.find("applied  "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("does not exist yet (`strata up` creates it); 0 applied, 2 pending"), std::string::npos)
      << status.out;
  testing::CommandResult json = Strata({"status", "--db", missing, "--format", "json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("{\"ok\":true,\"exists\":false,\"applied\":0,\"pending\":2"), std::string::npos) << json.out;
  testing::CommandResult plan = Strata({"plan", "--db", missing});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("-- ===== 0020_b.up.sql"), std::string::npos);
  EXPECT_NE(plan.err.find("2 pending migration(s) ("), std::string::npos) << plan.err;
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(HistoryTest, StatusSaysWhetherADatabaseWithoutHistoryIsAdoptable) {
  ASSERT_EQ(Strata({"create", "--tag", "a"}).exit_code, 0);
  Exec("INSERT INTO items VALUES (1, 'salt');");
  testing::CommandResult r = Strata({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("has tables but no strata history; its schema is tag \"a\", so `strata up` adopts it"),
            std::string::npos)
      << r.out;

  fs::remove(Db());
  ASSERT_EQ(Strata({"create", "--tag", "b"}).exit_code, 0);
  r = Strata({"status", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"adoption\":{\"adoptable\":true,\"tag\":\"b\",\"command\":\"strata baseline --tag b\""),
            std::string::npos)
      << r.out;
  // At the last tag, nothing is left for `up` to apply, and it says so by
  // not promising it.
  r = Strata({"status"});
  EXPECT_NE(r.out.find("its schema is tag \"b\", so `strata baseline --tag b` adopts it\n"), std::string::npos)
      << r.out;
  // The command it names works.
  ASSERT_EQ(Strata({"baseline", "--tag", "b"}).exit_code, 0);
  EXPECT_EQ(Strata({"status"}).exit_code, 0);

  fs::remove(Db());
  Exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, colour TEXT); CREATE TABLE extra (x);");
  r = Strata({"status"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("is not adoptable as it is"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("extra"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("colour"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strata
