// `strata new`: a hand-written pair in the folder, accepted by `generate
// --check`, applied and rolled back by the runner in version order.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "migrate/scenario_harness.h"
#include "test_util.h"

namespace strata {
namespace {

using testing::RunStrata;

// A project with two tags and its generated migrations.
struct Project {
  testing::TempDir dir;
  explicit Project(const std::string& dialects = "[sqlite]") {
    dir.Write("schema/project.yaml", "project: p\ndialects: " + dialects + "\ntags: [a, b]\ndatabase: app.db\n");
    dir.Write("schema/t.yaml",
              "tables:\n"
              "  - name: t\n"
              "    columns:\n"
              "      - {name: id, type: INTEGER, primary_key: true}\n"
              "      - {name: note, type: TEXT}\n"
              "  - name: u\n"
              "    since: b\n"
              "    columns: [{name: id, type: INTEGER, primary_key: true}]\n");
    EXPECT_EQ(RunStrata({"generate"}, dir.path()).exit_code, 0);
  }
  std::string Read(const std::string& file) const { return testing::ReadFile(dir / file); }
  std::vector<std::string> Files(const std::string& folder = "migrations") const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir / folder))
      if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST(New, WritesAPairBetweenTheGeneratedOnesThatTheRunnerAppliesInOrder) {
  Project p;
  testing::CommandResult r = RunStrata({"new", "fill_notes", "--after", "10"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "migrations: 0011_fill_notes.up.sql and 0011_fill_notes.down.sql, hand-written, version 0011, "
                   "tag \"b\"; strata.sum updated\n");
  EXPECT_TRUE(p.Read("migrations/0011_fill_notes.up.sql")
                  .starts_with("-- strata migration 0011_fill_notes.up.sql (up), tag \"b\", hand-written\n"));
  r = RunStrata({"generate", "--check"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 0) << "a fresh pair is not stale: " << r.out;
  // Its author fills it in; `generate` records the new checksums.
  p.dir.Write("migrations/0011_fill_notes.up.sql",
              p.Read("migrations/0011_fill_notes.up.sql") +
                  "UPDATE t SET note = 'filled';\nINSERT INTO t VALUES (7, 'new');\n");
  p.dir.Write("migrations/0011_fill_notes.down.sql",
              p.Read("migrations/0011_fill_notes.down.sql") + "DELETE FROM t WHERE id = 7;\n");
  EXPECT_EQ(RunStrata({"generate", "--check"}, p.dir.path()).exit_code, 1) << "strata.sum no longer matches";
  ASSERT_EQ(RunStrata({"generate"}, p.dir.path()).exit_code, 0);
  ASSERT_EQ(RunStrata({"generate", "--check"}, p.dir.path()).exit_code, 0);

  r = RunStrata({"up", "--tag", "a"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string db = (p.dir / "app.db").string();
  EXPECT_EQ(testing::Query(db, "SELECT group_concat(version) FROM strata_migrations"), "10")
      << "0011 prepares tag b";
  r = RunStrata({"up"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::Query(db, "SELECT group_concat(version || ':' || tag) FROM strata_migrations ORDER BY version"),
            "10:a,11:b,20:b");
  EXPECT_EQ(testing::Query(db, "SELECT group_concat(note) FROM t"), "new");
  r = RunStrata({"status"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("0011_fill_notes.up.sql"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 applied, 0 pending"), std::string::npos) << r.out;
  r = RunStrata({"down", "--steps", "2", "--allow-destructive"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::Query(db, "SELECT group_concat(version) FROM strata_migrations"), "10");
  EXPECT_EQ(testing::Query(db, "SELECT count(*) FROM t"), "0");
}

TEST(New, ADestructiveLineAddedToTheHeadAsksForAllowDestructive) {
  Project p;
  ASSERT_EQ(RunStrata({"new", "purge", "--after", "10"}, p.dir.path()).exit_code, 0);
  std::string up = p.Read("migrations/0011_purge.up.sql");
  up.insert(up.find('\n') + 1, "-- DESTRUCTIVE: clears every note\n");
  p.dir.Write("migrations/0011_purge.up.sql", up + "UPDATE t SET note = NULL;\n");
  ASSERT_EQ(RunStrata({"generate"}, p.dir.path()).exit_code, 0);
  testing::CommandResult r = RunStrata({"up"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("clears every note"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-destructive"), std::string::npos) << r.err;
  r = RunStrata({"up", "--allow-destructive"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(New, TakesTheNextFreeVersionAfterTheLastAndThenTheOneAfterThat) {
  Project p;
  ASSERT_EQ(RunStrata({"new", "first"}, p.dir.path()).exit_code, 0);
  ASSERT_EQ(RunStrata({"new", "second"}, p.dir.path()).exit_code, 0);
  // 0010 is ten, not CLI11's octal eight.
  ASSERT_EQ(RunStrata({"new", "third", "--after", "0010"}, p.dir.path()).exit_code, 0);
  EXPECT_EQ(p.Files(), (std::vector<std::string>{"0010_a.down.sql", "0010_a.up.sql", "0011_third.down.sql",
                                                 "0011_third.up.sql", "0020_b.down.sql", "0020_b.up.sql",
                                                 "0021_first.down.sql", "0021_first.up.sql", "0022_second.down.sql",
                                                 "0022_second.up.sql", "strata.sum"}));
  EXPECT_EQ(RunStrata({"generate", "--check"}, p.dir.path()).exit_code, 0);
  EXPECT_EQ(RunStrata({"up"}, p.dir.path()).exit_code, 0);
}

TEST(New, RefusesBadNamesAndWritesNothing) {
  Project p;
  const std::string sum = p.Read("migrations/strata.sum");
  for (const char* name : {"two words", "a/b", "../escape", "", "-dash", "semi;colon"}) {
    testing::CommandResult r = RunStrata({"new", "--", name}, p.dir.path());
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find("cannot name a migration"), std::string::npos) << name << ": " << r.err;
    EXPECT_EQ(r.out, "") << name;
  }
  EXPECT_EQ(RunStrata({"new"}, p.dir.path()).exit_code, 2) << "a name is required";
  testing::CommandResult r = RunStrata({"new", "x", "--after", "2O"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"2O\" is not a version number such as 0020"), std::string::npos) << r.err;
  EXPECT_EQ(p.Files().size(), 5u);
  EXPECT_FALSE(std::filesystem::exists(p.dir / "escape.up.sql"));
  EXPECT_EQ(p.Read("migrations/strata.sum"), sum);
}

TEST(New, RefusesAFolderEditedSinceItsSumFile) {
  Project p;
  p.dir.Write("migrations/0020_b.up.sql", p.Read("migrations/0020_b.up.sql") + "-- edited\n");
  testing::CommandResult r = RunStrata({"new", "fill"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("0020_b.up.sql: edited after its checksum was recorded"), std::string::npos) << r.err;
  EXPECT_EQ(p.Files().size(), 5u);
}

TEST(New, RefusesWhenEveryVersionUpToTheNextGeneratedOneIsTaken) {
  Project p;
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(RunStrata({"new", "x" + std::to_string(i), "--after", "10"}, p.dir.path()).exit_code, 0);
  testing::CommandResult r = RunStrata({"new", "one_more", "--after", "10"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no free version after 0010"), std::string::npos) << r.err;
}

TEST(New, WritesTheSameVersionIntoEveryDialectsFolder) {
  Project p("[sqlite, postgres]");
  testing::CommandResult r = RunStrata({"new", "fill"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("migrations/postgres: 0021_fill.up.sql and 0021_fill.down.sql"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(p.dir / "migrations/0021_fill.up.sql"));
  EXPECT_TRUE(std::filesystem::exists(p.dir / "migrations/postgres/0021_fill.down.sql"));
  EXPECT_EQ(RunStrata({"generate", "--check"}, p.dir.path()).exit_code, 0);
  r = RunStrata({"new", "only_here", "--dialect", "postgres"}, p.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(p.dir / "migrations/postgres/0022_only_here.up.sql"));
  EXPECT_FALSE(std::filesystem::exists(p.dir / "migrations/0022_only_here.up.sql"));
  r = RunStrata({"new", "x", "--dialect", "oracle"}, p.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not generate for \"oracle\""), std::string::npos) << r.err;
}

}  // namespace
}  // namespace strata
