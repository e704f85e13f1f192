// The history keeps what was applied, on PostgreSQL: the recorded texts,
// `down` from them after the files changed, `strata repair`, an older
// strata's history table upgraded in place, and `plan` against a URL.
#include <filesystem>

#include <gtest/gtest.h>

#include "pg_test_util.h"
#include "e2e/history_project.h"
#include "test_util.h"

namespace strata::testing {
namespace {

constexpr const char* kProject = "project: p\ndialect: postgres\ntags: [a, b]\n";

class PgHistory {
 public:
  PgHistory(const TempDir& dir, std::string url) : dir_(dir), url_(std::move(url)) {
    dir_.Write("schema/project.yaml", kProject);
    dir_.Write("schema/items.yaml", kHistoryItems);
    EXPECT_EQ(Run({"generate"}).exit_code, 0);
  }
  CommandResult Run(std::vector<std::string> args) const {
    if (args.front() != "generate") args.insert(args.end(), {"--db", url_});
    return RunStrata(args, dir_.path());
  }
  std::string Columns(const std::string& table) const {
    return PgQuery(url_, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                         "WHERE table_schema = current_schema() AND table_name = '" + table + "'");
  }
  std::string File(const std::string& name) const { return ReadFile(dir_ / "migrations" / name); }

 private:
  const TempDir& dir_;
  std::string url_;
};

TEST(PgHistory, DownRunsTheRecordedTextAndRepairReRecordsAnEdit) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  PgHistory h(dir, db->url());
  CommandResult r = h.Run({"up", "--no-backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT string_agg(version || ':' || length(up_sql) || ':' || length(down_sql), ',' "
                               "ORDER BY version) FROM strata_migrations"),
            "10:" + std::to_string(h.File("0010_a.up.sql").size()) + ":" + std::to_string(h.File("0010_a.down.sql").size()) +
                ",20:" + std::to_string(h.File("0020_b.up.sql").size()) + ":" +
                std::to_string(h.File("0020_b.down.sql").size()));
  ASSERT_EQ(PgQuery(db->url(), "INSERT INTO items (id, name, note) VALUES (1, 'salt', 'coarse'), (2, 'pepper', NULL)"), "");

  dir.Write("schema/items.yaml", kHistoryItemsEdited);
  ASSERT_EQ(h.Run({"generate"}).exit_code, 0);
  r = h.Run({"status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("0020_b.up.sql was edited after it was applied"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`strata repair 0020_b.up.sql`"), std::string::npos) << r.out;
  const std::string recorded = PgQuery(db->url(), "SELECT checksum FROM strata_migrations WHERE version = 20");
  r = h.Run({"repair", "--dry-run"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("0020_b.up.sql: would re-record checksum"), std::string::npos) << r.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT checksum FROM strata_migrations WHERE version = 20"), recorded);

  r = h.Run({"down", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("running the down text recorded when it was applied (0020_b.down.sql was edited since)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(h.Columns("items"), "id,name");
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM items"), "2");
  r = h.Run({"up", "--no-backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(h.Columns("items"), "id,name,memo");

  // A reviewed edit kept: repair makes the history record it.
  dir.Write("migrations/0020_b.up.sql", h.File("0020_b.up.sql") + "-- reviewed\n");
  r = h.Run({"status"});
  EXPECT_EQ(r.exit_code, 1);
  r = h.Run({"repair", "0020_b.up.sql"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0020_b.up.sql: re-recorded checksum"), std::string::npos) << r.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT up_sql LIKE '%-- reviewed' || chr(10) FROM strata_migrations WHERE version = 20"),
            "t");
  r = h.Run({"status"});
  EXPECT_EQ(r.out.find("MISMATCH"), std::string::npos) << r.out;
}

TEST(PgHistory, AnOlderHistoryTableIsUpgradedOnTheFirstWrite) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  PgHistory h(dir, db->url());
  std::string err;
  ASSERT_EQ(RunPsql(db->url(),
                    "CREATE TABLE strata_migrations (version bigint PRIMARY KEY, name text NOT NULL, tag text NOT NULL, "
                    "checksum text, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint);",
                    &err),
            0)
      << err;
  ASSERT_EQ(RunPsql(db->url(), h.File("0010_a.up.sql"), &err), 0) << err;
  ASSERT_EQ(PgQuery(db->url(), "INSERT INTO items (id, name) VALUES (1, 'salt')"), "");
  CommandResult r = h.Run({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 applied, 1 pending"), std::string::npos) << r.out;
  r = h.Run({"up", "--no-backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(h.Columns("strata_migrations"), "version,name,tag,checksum,applied_at,duration_ms,up_sql,down_sql");
  EXPECT_EQ(PgQuery(db->url(), "SELECT string_agg(version || ':' || (up_sql IS NOT NULL), ',' ORDER BY version) FROM "
                               "strata_migrations"),
            "10:false,20:true");
  r = h.Run({"down", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(h.Columns("items"), "id,name");
}

TEST(PgHistory, PlanAndStatusAgainstAPostgresUrl) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  PgHistory h(dir, db->url());
  CommandResult r = h.Run({"plan"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-- ===== 0010_a.up.sql"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-- ===== 0020_b.up.sql"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("2 pending migration(s)"), std::string::npos) << r.err;
  r = h.Run({"status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 applied, 2 pending"), std::string::npos) << r.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT to_regclass('strata_migrations') IS NULL"), "t") << "nothing was created";
}

}  // namespace
}  // namespace strata::testing
