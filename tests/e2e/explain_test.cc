// `strata explain` as a user runs it: ChefSocial at phase4 (the seed's two
// indexes that duplicate UNIQUE constraints, the declared queries that read
// a large table in full), a small schema that passes and then fails, JSON,
// exit codes, and a database file left byte for byte as it was.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::RunStrata;

TEST(ExplainCli, ChefSocialAtPhase4PassesAndReportsTheSeedsRedundantIndexes) {
  testing::TempDir dir;
  fs::copy(testing::SourceDir() / "schema", dir.path() / "schema", fs::copy_options::recursive);
  testing::CommandResult created = RunStrata({"create", "--db", "chefsocial.db", "--tag", "phase4"}, dir.path());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string before = testing::ReadFile(dir / "chefsocial.db");

  testing::CommandResult r = RunStrata({"explain", "--tag", "phase4"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("idx_users_email ON users (email): the same as UNIQUE constraint sqlite_autoindex_users_"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("idx_usage_user_month ON usage_tracking (user_id, month_year): the same as UNIQUE constraint "
                       "sqlite_autoindex_usage_tracking_1 (user_id, month_year)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("DROP INDEX \"idx_users_email\";"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("query login_by_email: search users via sqlite_autoindex_users_"), std::string::npos) << r.out;
  // The schema declares the indexes its session and notification queries need.
  EXPECT_NE(r.out.find("query active_session_by_token: search user_sessions via idx_user_sessions_token"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("FAIL:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CREATE INDEX \"idx_teams_owner_id\" ON \"teams\" (\"owner_id\")"), std::string::npos)
      << "a foreign key child without an index is still advised: " << r.out;
  EXPECT_NE(r.out.find("chefsocial.db: index plans at tag \"phase4\": ok\n"), std::string::npos) << r.out;

  testing::CommandResult json = RunStrata({"explain", "--format", "json"}, dir.path());
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(json.out.starts_with("{\"ok\":true,\"tag\":\"phase4\",\"queries\":[{\"name\":\"login_by_email\""))
      << json.out;
  EXPECT_NE(json.out.find("\"index\":\"idx_usage_user_month\",\"columns\":\"(user_id, month_year)\","
                          "\"covered_by\":\"sqlite_autoindex_usage_tracking_1\""),
            std::string::npos)
      << json.out;

  EXPECT_EQ(testing::ReadFile(dir / "chefsocial.db"), before) << "explain must leave the file as it was";
}

constexpr const char* kProject = "project: shop\ndialect: sqlite\ntags: [v1]\n";
constexpr const char* kTables =
    "tables:\n"
    "  - name: orders\n"
    "    large: true\n"
    "    columns:\n"
    "      - {name: id, type: INTEGER, primary_key: true}\n"
    "      - {name: customer, type: TEXT}\n"
    "      - {name: status, type: TEXT}\n"
    "    indexes:\n"
    "      - {name: idx_orders_customer, columns: [customer]}\n";

TEST(ExplainCli, PassesWhenEveryQuerySearchesAndFailsOnAScan) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", kProject);
  dir.Write("schema/tables.yaml", kTables);
  dir.Write("schema/queries.yaml",
            "queries:\n  - name: orders_of_customer\n    sql: SELECT id, status FROM orders WHERE customer = ?\n");
  ASSERT_EQ(RunStrata({"create", "--db", "shop.db"}, dir.path()).exit_code, 0);

  testing::CommandResult ok = RunStrata({"explain", "--db", "shop.db"}, dir.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("query orders_of_customer: search orders via idx_orders_customer\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("missing indexes (0):\n  none\nredundant indexes (0):\n  none\n"), std::string::npos) << ok.out;

  dir.Write("schema/queries.yaml",
            "queries:\n  - name: orders_of_customer\n    sql: SELECT id, status FROM orders WHERE customer = ?\n"
            "  - name: orders_by_status\n    sql: SELECT id FROM orders WHERE status = ?\n");
  testing::CommandResult failed = RunStrata({"explain", "--db", "shop.db"}, dir.path());
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_NE(failed.out.find("orders (large): query orders_by_status reads every row\n"
                            "    CREATE INDEX \"idx_orders_status\" ON \"orders\" (\"status\");"),
            std::string::npos)
      << failed.out;
}

TEST(ExplainCli, UsageErrorsExitTwo) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", kProject);
  dir.Write("schema/tables.yaml", kTables);
  ASSERT_EQ(RunStrata({"create", "--db", "shop.db"}, dir.path()).exit_code, 0);
  EXPECT_EQ(RunStrata({"explain", "--db", "shop.db", "--tag", "v9"}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunStrata({"explain", "--db", "missing.db"}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunStrata({"explain", "--db", "shop.db", "--format", "junit"}, dir.path()).exit_code, 2);
}

// Plan regressions as a CI gate: tag against tag, and a database snapshot
// against schema/, without a database to plan on.
TEST(ExplainCli, BaseComparesPlansBetweenTagsAndFailsOnALargeTableRegression) {
  testing::TempDir dir;
  fs::copy(testing::SourceDir() / "schema", dir / "schema", fs::copy_options::recursive);
  testing::CommandResult r = RunStrata({"explain", "--base", "phase3", "--tag", "phase4"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("index plans from tag \"phase3\" to tag \"phase4\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 regressed on a large table"), std::string::npos) << r.out;
  // Back from phase4 to phase3: the indexes phase4 adds go, and the large tables scan.
  r = RunStrata({"explain", "--base", "phase4", "--tag", "phase3", "--format", "json"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("\"ok\":false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"verdict\":\"REGRESSED\""), std::string::npos) << r.out;
  r = RunStrata({"explain", "--base", "phase4", "--tag", "phase3", "--format", "junit"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("<testsuite name=\"strata explain --base\""), std::string::npos) << r.out;
  // A database as the base: its inspected schema against schema/.
  ASSERT_EQ(RunStrata({"create", "--db", "snapshot.db", "--tag", "phase3"}, dir.path()).exit_code, 0);
  r = RunStrata({"explain", "--base", "snapshot.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("index plans from snapshot.db to tag \"phase4\""), std::string::npos) << r.out;
  // Neither a tag nor a database.
  r = RunStrata({"explain", "--base", "phase9"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--base \"phase9\" is neither a tag of the project"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace strata
