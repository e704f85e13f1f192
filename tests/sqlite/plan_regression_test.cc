// Plan regressions between two tags, planned by SQLite on two empty
// in-memory databases: a dropped index turns a search into a scan (failing
// on a large table), a dropped composite index brings a sort back, a
// dropped column makes a query stop running; ChefSocial's phase3 to phase4
// only gets better.
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "migrate/plan_regression.h"
#include "report/plan_change_report.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

VersionedSchema Load(const std::filesystem::path& dir) {
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(dir, d);
  EXPECT_TRUE(schema.has_value()) << (d.items().empty() ? "" : d.items().front().ToString());
  return schema ? *schema : VersionedSchema{};
}

const PlanChange* Find(const std::vector<PlanChange>& changes, const std::string& query) {
  for (const PlanChange& c : changes)
    if (c.query == query) return &c;
  return nullptr;
}

TEST(PlanRegression, DroppedIndexesAndColumnsAreRegressionsAndOnlyLargeTablesFail) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a, b]\n");
  dir.Write("schema/tables.yaml", R"(tables:
  - name: users
    large: true
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: email, type: TEXT}
      - {name: status, type: TEXT}
      - {name: created_at, type: DATETIME}
      - {name: nickname, type: TEXT, removed: b}
    indexes:
      - {name: idx_users_email, columns: [email], removed: b}
      - {name: idx_users_status_created, columns: [status, created_at], removed: b}
  - name: settings
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: name, type: TEXT}
    indexes:
      - {name: idx_settings_name, columns: [name], removed: b}
)");
  dir.Write("schema/queries.yaml", R"(queries:
  - {name: by_email, sql: "SELECT id FROM users WHERE email = ?"}
  - {name: recent_active, sql: "SELECT id FROM users WHERE status = 'active' ORDER BY created_at DESC LIMIT 20"}
  - {name: by_id, sql: "SELECT email FROM users WHERE id = ?"}
  - {name: setting, sql: "SELECT id FROM settings WHERE name = ?"}
  - {name: nicknames, sql: "SELECT nickname FROM users WHERE id = ?", removed: b}
)");
  const VersionedSchema schema = Load(dir / "schema");
  std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
  // The query of tag a that reads a dropped column: compare a's queries on b.
  Schema b_with_old_queries = schema.At(1);
  b_with_old_queries.queries = schema.At(0).queries;
  Result<std::vector<PlanChange>> changes = ComparePlansBetween(*dialect, schema.At(0), b_with_old_queries);
  ASSERT_TRUE(changes.ok()) << changes.status().message();

  const PlanChange* by_email = Find(*changes, "by_email");
  ASSERT_NE(by_email, nullptr);
  ASSERT_EQ(by_email->worse.size(), 1u);
  EXPECT_EQ(by_email->worse[0], "users: covering index via idx_users_email became full scan");
  EXPECT_TRUE(by_email->large);

  const PlanChange* recent = Find(*changes, "recent_active");
  ASSERT_NE(recent, nullptr);
  EXPECT_NE(std::find(recent->worse.begin(), recent->worse.end(), "new temp b-tree for ORDER BY"), recent->worse.end())
      << recent->after;

  const PlanChange* by_id = Find(*changes, "by_id");
  ASSERT_NE(by_id, nullptr);
  EXPECT_FALSE(by_id->regressed()) << by_id->after;
  EXPECT_EQ(by_id->before, by_id->after);

  const PlanChange* setting = Find(*changes, "setting");
  ASSERT_NE(setting, nullptr);
  EXPECT_TRUE(setting->regressed());
  EXPECT_FALSE(setting->large) << "settings is not large: worse, but not a failure";

  const PlanChange* nicknames = Find(*changes, "nicknames");
  ASSERT_NE(nicknames, nullptr);
  ASSERT_EQ(nicknames->worse.size(), 1u);
  EXPECT_TRUE(nicknames->worse[0].starts_with("no longer runs: ")) << nicknames->worse[0];
  EXPECT_NE(nicknames->worse[0].find("nickname"), std::string::npos) << nicknames->worse[0];

  EXPECT_TRUE(AnyLargeRegression(*changes));
  const report::PlanChangeReport report{"tag \"a\"", "b", *changes};
  const std::string text = report::PlanChangeText(report);
  EXPECT_NE(text.find("REGRESSED by_email: full scan users"), std::string::npos) << text;
  EXPECT_NE(text.find("worse     setting:"), std::string::npos) << text;
  EXPECT_NE(text.find("5 query plan(s) compared: 3 regressed on a large table, 1 worse elsewhere"), std::string::npos)
      << text;
  EXPECT_NE(report::PlanChangeJson(report).find("\"ok\":false"), std::string::npos);
  EXPECT_NE(report::PlanChangeJunit(report).find("failures=\"3\""), std::string::npos) << report::PlanChangeJunit(report);

  // The other way round, every change is an improvement.
  Result<std::vector<PlanChange>> back = ComparePlansBetween(*dialect, schema.At(1), schema.At(0));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_FALSE(AnyLargeRegression(*back));
  for (const PlanChange& c : *back) EXPECT_FALSE(c.regressed()) << c.query << ": " << c.worse.front();
}

TEST(PlanRegression, ChefSocialPhase3ToPhase4OnlyGetsBetter) {
  const VersionedSchema schema = Load(testing::SourceDir() / "schema");
  std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
  const int phase3 = *schema.project.TagIndex("phase3"), phase4 = *schema.project.TagIndex("phase4");
  Result<std::vector<PlanChange>> changes = ComparePlansBetween(*dialect, schema.At(phase3), schema.At(phase4));
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  EXPECT_EQ(changes->size(), schema.At(phase4).queries.size());
  int better = 0;
  for (const PlanChange& c : *changes) {
    EXPECT_FALSE(c.regressed()) << c.query << ": " << c.worse.front() << "\n  was: " << c.before << "\n  now: " << c.after;
    better += !c.better.empty();
  }
  EXPECT_GT(better, 0) << "phase4 adds the indexes the queries use";
}

}  // namespace
}  // namespace strata
