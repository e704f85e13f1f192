// `strata verify` end to end: the binary on a ChefSocial snapshot with rows
// in every table, at phase3 with phase4 pending. A sound migration passes
// every step; a down file that loses a column's data and an up file that
// leaves drift fail, naming the table and what differs; the snapshot is
// byte for byte what it was, whatever the outcome.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/sha256.h"
#include "json_checker.h"
#include "migrate/scenario_harness.h"
#include "scoped_env.h"
#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;

// Rows in every table of phase2: a few written out (with NULLs, REALs,
// BLOBs and non-ASCII text), a few hundred generated.
const char* kPhase2Data = R"(
INSERT INTO users (id, email, password_hash, name, restaurant_name, brand_colors, preferred_language, email_verified) VALUES
  ('u1', 'chef@bistro.fr', 'h1', 'Anne', 'Bistro Ãngel', '["#aa0000"]', 'fr', 1),
  ('u2', 'cook@diner.us', 'h2', 'Bob', 'Diner', NULL, 'en', 0),
  ('u3', 'owner@cafe.it', 'h3', 'Carla', NULL, NULL, 'it', 1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO users (id, email, password_hash, name, restaurant_name, trial_ends_at)
  SELECT 'g' || i, 'g' || i || '@example.com', hex(randomblob(8)), 'Guest ' || i, 'Place ' || i, '2027-01-0' || (i % 9 + 1) FROM n;
INSERT INTO conversations (user_id, transcript, image_analysis, language) VALUES
  ('u1', 'special of the day', x'89504e47', 'fr'), ('u2', 'burger launch', NULL, 'en');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO conversations (user_id, transcript, language) SELECT 'g' || (i % 300 + 1), 'talk ' || i, 'en' FROM n;
INSERT INTO content (user_id, title, platform, viral_score, scheduled_for) VALUES
  ('u1', 'Tarte', 'instagram', 8, '2026-12-01 10:00'), ('u3', 'Espresso', 'tiktok', 6, NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
INSERT INTO content (user_id, title, platform, viral_score, engagement_data)
  SELECT 'g' || (i % 300 + 1), 'Post ' || i, 'instagram', i % 10 + 1, '{"likes": ' || (i * 1.5) || '}' FROM n;
INSERT INTO user_features (user_id, feature_key) VALUES ('u1', 'voice_content_creation'), ('u2', 'analytics_insights');
INSERT INTO usage_tracking (user_id, month_year, voice_minutes_used, images_generated) VALUES
  ('u1', '2026-10', 42, 3), ('u2', '2026-10', 5, 0), ('u1', '2026-11', 7, 3);
INSERT INTO admin_users (id, email, password_hash, name, role) VALUES ('a1', 'ops@chefsocial.app', 'h', 'Ops', 'owner');
INSERT INTO audit_logs (user_id, admin_id, action, entity_type, entity_id) VALUES
  ('u1', 'a1', 'login', 'user', 'u1'), (NULL, 'a1', 'export', 'content', '7');
INSERT INTO user_sessions (id, user_id, jwt_token, expires_at) VALUES ('s1', 'u1', 'tok', '2026-12-31');
)";

// The rows of the tables phase3 adds.
const char* kPhase3Data = R"(
INSERT INTO teams (id, owner_id, name, max_members) VALUES ('t1', 'u1', 'Bistro crew', 5);
INSERT INTO team_members (team_id, user_id, role, invited_by) VALUES ('t1', 'u1', 'owner', NULL), ('t1', 'u2', 'editor', 'u1');
INSERT INTO user_profiles (user_id, bio, timezone) VALUES ('u1', 'Chef since 1999', 'Europe/Paris'), ('u2', NULL, 'UTC');
INSERT INTO notifications (user_id, type, title, message) VALUES ('u1', 'billing', 'Trial', 'ends soon');
INSERT INTO content_calendar (user_id, content_id, title, scheduled_date) VALUES ('u1', 1, 'Tarte', '2026-12-01');
)";

std::string FileHash(const fs::path& path) { return Sha256Hex(testing::ReadFile(path)); }

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::SourceDir() / "schema", dir_ / "schema", fs::copy_options::recursive);
    fs::copy(testing::SourceDir() / "migrations", dir_ / "migrations", fs::copy_options::recursive);
    fs::create_directories(dir_ / "snapshots");
  }

  // A populated snapshot at `tag`, made by the migrations themselves.
  void MakeSnapshot(const std::string& tag) {
    CommandResult up = Strata({"up", "--db", Snapshot(), "--tag", tag, "--no-backup"});
    ASSERT_EQ(up.exit_code, 0) << up.err;
    std::string err;
    ASSERT_EQ(testing::RunSqliteShell(Snapshot(), kPhase2Data, true, &err), 0) << err;
    if (tag == "phase3") {
      ASSERT_EQ(testing::RunSqliteShell(Snapshot(), kPhase3Data, true, &err), 0) << err;
    }
    before_ = FileHash(Snapshot());
  }

  // A hand-written migration between phase3 and phase4, with the sum file
  // regenerated as `strata new` would.
  void AddMigration(const std::string& up, const std::string& down) {
    dir_.Write("migrations/0045_hand.up.sql", up);
    dir_.Write("migrations/0045_hand.down.sql", down);
    CommandResult generate = Strata({"generate"});
    ASSERT_EQ(generate.exit_code, 0) << generate.err;
  }

  // Verify, with the copy made in a folder of the test's own.
  CommandResult Verify(std::vector<std::string> args = {}) {
    testing::ScopedEnv tmpdir("TMPDIR", (dir_ / "tmp").string());
    fs::create_directories(dir_ / "tmp");
    args.insert(args.begin(), {"verify", "--db", Snapshot()});
    CommandResult r = Strata(args);
    // The snapshot is only read, and the copy is gone.
    EXPECT_EQ(FileHash(Snapshot()), before_) << "the snapshot was written";
    std::vector<std::string> left;
    for (const fs::directory_entry& e : fs::directory_iterator(dir_ / "snapshots")) left.push_back(e.path().filename());
    EXPECT_EQ(left, std::vector<std::string>{"snapshot.db"}) << "files beside the snapshot";
    EXPECT_TRUE(fs::is_empty(dir_ / "tmp")) << "the temporary copy was left behind";
    return r;
  }

  CommandResult Strata(const std::vector<std::string>& args) { return testing::RunStrata(args, dir_.path()); }
  std::string Snapshot() const { return (dir_ / "snapshots" / "snapshot.db").string(); }

  testing::TempDir dir_;
  std::string before_;
};

// The line of a step in the text report, or "" when it has none.
std::string StepLine(const std::string& out, const std::string& step) {
  for (size_t start = 0; start < out.size();) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    if (line.starts_with(step + " ")) return line;
    start = end + 1;
  }
  return "";
}

const std::vector<std::string> kSteps = {"copy", "up", "schema", "checks", "down", "restored-schema", "restored-data",
                                         "up-again"};

TEST_F(VerifyTest, ChefSocialAtPhase3WithPhase4PendingPasses) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 pending migration(s) from tag \"phase3\" to \"phase4\""), std::string::npos) << r.out;
  for (const std::string& step : kSteps) EXPECT_TRUE(StepLine(r.out, step).ends_with(" ok")) << step << "\n" << r.out;
  EXPECT_NE(r.out.find("applied: 0050_phase4.up.sql"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rolled back: 0050_phase4.down.sql"), std::string::npos) << r.out;
  // 303 users, 402 conversations, 252 contents, 9 features and 16 rows in the other ten tables.
  EXPECT_NE(r.out.find("every table holds the snapshot's rows (14 table(s), 982 row(s))"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8 step(s) passed, 0 skipped: ok"), std::string::npos) << r.out;
  // The snapshot still records phase3: verify applied nothing to it.
  EXPECT_EQ(testing::Query(Snapshot(), "SELECT max(version) FROM strata_migrations"), "40");
}

TEST_F(VerifyTest, ADownThatLosesAColumnsDataFailsNamingTableAndColumn) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  AddMigration("UPDATE users SET restaurant_name = upper(restaurant_name);\n",
               "-- The names were upper-cased; the old spelling is not kept anywhere.\n"
               "UPDATE users SET restaurant_name = NULL;\n");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(StepLine(r.out, "restored-data").ends_with(" FAILED")) << r.out;
  // 302 of the 303 users had a restaurant name.
  EXPECT_NE(r.out.find("  users: 302 of its 303 row(s) are gone or changed; column \"restaurant_name\" differs\n"),
            std::string::npos)
      << r.out;
  // Only that table, and the steps that do not depend on it, pass.
  EXPECT_NE(r.out.find("1 table(s) do not hold the snapshot's rows"), std::string::npos) << r.out;
  for (const char* step : {"copy", "up", "schema", "checks", "down", "restored-schema", "up-again"})
    EXPECT_TRUE(StepLine(r.out, step).ends_with(" ok")) << step << "\n" << r.out;
  EXPECT_NE(r.out.find("verify FAILED: 1 of 8 step(s) failed"), std::string::npos) << r.out;
}

TEST_F(VerifyTest, AnUpThatLeavesDriftFailsNamingIt) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  AddMigration("CREATE INDEX hand_made ON notifications (type);\n", "DROP INDEX hand_made;\n");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(StepLine(r.out, "schema").ends_with(" FAILED")) << r.out;
  EXPECT_NE(r.out.find("the schema differs from tag \"phase4\" in 1 way(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  notifications: extra index \"hand_made\"\n"), std::string::npos) << r.out;
  // The down files still run, restore the snapshot, and the up runs again.
  for (const char* step : {"down", "restored-schema", "restored-data", "up-again"})
    EXPECT_TRUE(StepLine(r.out, step).ends_with(" ok")) << step << "\n" << r.out;
}

TEST_F(VerifyTest, ADownThatLeavesATableBehindFailsTheSchemaComparison) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  AddMigration("CREATE TABLE menu_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
               "INSERT INTO menu_items (name) VALUES ('Tarte'), ('Espresso');\n",
               "SELECT 1;\n");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("  menu_items: extra table\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  menu_items: extra table with 2 row(s)\n"), std::string::npos) << r.out;
  EXPECT_TRUE(StepLine(r.out, "restored-schema").ends_with(" FAILED")) << r.out;
  // Up again fails too: the table it creates is still there.
  EXPECT_TRUE(StepLine(r.out, "up-again").ends_with(" FAILED")) << r.out;
  EXPECT_NE(r.out.find("table menu_items already exists"), std::string::npos) << r.out;
}

TEST_F(VerifyTest, JsonAndJUnitReportEveryStep) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  AddMigration("CREATE INDEX hand_made ON notifications (type);\n", "DROP INDEX hand_made;\n");
  CommandResult json = Verify({"--format", "json", "--junit", (dir_ / "verify.xml").string()});
  EXPECT_EQ(json.exit_code, 1) << json.out << json.err;
  EXPECT_TRUE(testing::JsonChecker(json.out).Valid()) << json.out;
  EXPECT_NE(json.out.find("{\"ok\":false,"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"from_tag\":\"phase3\",\"to_tag\":\"phase4\",\"pending\":[\"0045_hand.up.sql\","
                          "\"0050_phase4.up.sql\"]"),
            std::string::npos)
      << json.out;
  for (const std::string& step : kSteps)
    EXPECT_NE(json.out.find("{\"name\":\"" + step + "\",\"state\":\"" + (step == "schema" ? "failed" : "passed")),
              std::string::npos)
        << step << "\n" << json.out;
  EXPECT_NE(json.out.find("\"findings\":[\"notifications: extra index \\\"hand_made\\\"\"]"), std::string::npos)
      << json.out;

  const std::string xml = testing::ReadFile(dir_ / "verify.xml");
  EXPECT_NE(xml.find("<testsuite name=\"strata verify\" tests=\"8\" failures=\"1\" errors=\"0\">"), std::string::npos)
      << xml;
  for (const std::string& step : kSteps)
    EXPECT_NE(xml.find("<testcase name=\"" + step + "\" classname=\"strata.verify\""), std::string::npos) << step;
  EXPECT_NE(xml.find("notifications: extra index &quot;hand_made&quot;"), std::string::npos) << xml;
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    EXPECT_EQ(std::system(("xmllint --noout '" + (dir_ / "verify.xml").string() + "' 2>/dev/null").c_str()), 0) << xml;
  }

  CommandResult junit = Verify({"--format", "junit"});
  EXPECT_EQ(junit.exit_code, 1);
  EXPECT_EQ(junit.out, xml);
}

TEST_F(VerifyTest, AFailedUpSkipsTheStepsAfterIt) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  AddMigration("INSERT INTO no_such_table VALUES (1);\n", "SELECT 1;\n");
  CommandResult r = Verify({"--format", "junit"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("tests=\"8\" failures=\"1\" errors=\"0\" skipped=\"6\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0045_hand.up.sql:1: no such table: no_such_table"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<skipped message=\"an earlier step failed\"/>"), std::string::npos) << r.out;
}

TEST_F(VerifyTest, ASnapshotChangedByHandFailsTheUpUnlessAllowed) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  std::string err;
  ASSERT_EQ(testing::RunSqliteShell(Snapshot(), "CREATE INDEX hand_made ON notifications (type);", true, &err), 0)
      << err;
  before_ = FileHash(Snapshot());
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(StepLine(r.out, "up").ends_with(" FAILED")) << r.out;
  EXPECT_NE(r.out.find("the database differs from tag \"phase3\", where its history says it is"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  notifications: extra index \"hand_made\"\n"), std::string::npos) << r.out;
  EXPECT_TRUE(StepLine(r.out, "down").ends_with(" skipped")) << r.out;

  // Allowed, the migrations run; the index is still not in the schema.
  r = Verify({"--allow-drift"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(StepLine(r.out, "up").ends_with(" ok")) << r.out;
  EXPECT_TRUE(StepLine(r.out, "schema").ends_with(" FAILED")) << r.out;
  EXPECT_TRUE(StepLine(r.out, "restored-data").ends_with(" ok")) << r.out;
}

TEST_F(VerifyTest, TagLimitsWhatIsAppliedAndNothingPendingPasses) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase2"));
  CommandResult r = Verify({"--tag", "phase3"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 pending migration(s) from tag \"phase2\" to \"phase3\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("applied: 0040_phase3.up.sql"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("0050_phase4"), std::string::npos) << r.out;

  r = Verify({"--to", "30"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("nothing pending"), std::string::npos) << r.out;
  EXPECT_TRUE(StepLine(r.out, "schema").ends_with(" ok")) << r.out;
  EXPECT_TRUE(StepLine(r.out, "down").ends_with(" skipped")) << r.out;
  EXPECT_NE(r.out.find("no migration was applied, so there is nothing to roll back"), std::string::npos) << r.out;
}

TEST_F(VerifyTest, UsageErrorsExitTwo) {
  ASSERT_NO_FATAL_FAILURE(MakeSnapshot("phase3"));
  CommandResult r = Verify({"--tag", "phase9"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("unknown tag \"phase9\""), std::string::npos) << r.err;

  r = Strata({"verify", "--db", (dir_ / "missing.db").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "missing.db"));

  r = Strata({"verify", "--db", "postgresql://user:secret@localhost/app"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("verify works on SQLite snapshots only for now"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << r.err;
}

TEST_F(VerifyTest, ShellCompletionKnowsTheVerb) {
  CommandResult r = Strata({"completion", "bash"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("    verify) flags='"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--junit"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strata
