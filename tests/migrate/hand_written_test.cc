// `strata new`'s library side: the next free version, the pair's head, and
// that the runner and the generator accept the pair as it is written.
#include "migrate/hand_written.h"

#include <gtest/gtest.h>

#include "migrate/generator.h"
#include "migrate/runner.h"
#include "plan/migration_header.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

MigrationFiles Versions(std::initializer_list<const char*> names) {
  MigrationFiles files;
  for (const char* name : names) files[name] = "";
  return files;
}

TEST(NextFreeVersion, FollowsTheHighestVersionUnlessToldWhere) {
  const MigrationFiles generated = Versions({"0010_a.up.sql", "0010_a.down.sql", "0020_b.up.sql", "0030_c.up.sql"});
  EXPECT_EQ(*NextFreeVersion(generated), 31);
  EXPECT_EQ(*NextFreeVersion(generated, 20), 21);
  EXPECT_EQ(*NextFreeVersion(generated, 10), 11);
  EXPECT_EQ(*NextFreeVersion(generated, 25), 26) << "after a version no file has";
  MigrationFiles with_hand = generated;
  with_hand["0021_fill.up.sql"] = "";
  with_hand["0022_more.down.sql"] = "";
  EXPECT_EQ(*NextFreeVersion(with_hand, 20), 23) << "a version taken by either file of a pair is taken";
  EXPECT_EQ(*NextFreeVersion(with_hand, 21), 23);
  EXPECT_EQ(*NextFreeVersion(with_hand), 31) << "the highest version is still 0030";
  EXPECT_EQ(*NextFreeVersion({}), 1);
}

TEST(NextFreeVersion, NeverTakesAVersionKeptForAGeneratedMigration) {
  MigrationFiles full = Versions({"0010_a.up.sql", "0020_b.up.sql"});
  for (int v = 11; v <= 19; ++v) full[MigrationFileNameFor(v, "x", true)] = "";
  Result<int64_t> none = NextFreeVersion(full, 10);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(none.status().message(),
            "no free version after 0010: every one before 0020, which is kept for a generated migration, is taken");
  EXPECT_FALSE(NextFreeVersion(Versions({"0029_z.up.sql"})).ok()) << "0030 is the next generated version";
  EXPECT_FALSE(NextFreeVersion(full, -1).ok());
  // The generator numbers by the same step.
  for (int tag = 0; tag < 5; ++tag) EXPECT_EQ(VersionForTag(tag) % kGeneratedVersionStep, 0) << tag;
}

class HandWrittenPairTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics d;
    schema_ = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
    ASSERT_TRUE(schema_);
    Result<MigrationFiles> committed = ReadMigrationDir(testing::SourceDir() / "migrations");
    ASSERT_TRUE(committed.ok());
    committed_ = *committed;
  }
  // The committed folder with `pair` in it.
  MigrationFiles With(const HandWrittenPair& pair) const {
    MigrationFiles files = committed_;
    for (const auto& [name, content] : pair.files) files[name] = content;
    return files;
  }
  std::optional<VersionedSchema> schema_;
  MigrationFiles committed_;
};

TEST_F(HandWrittenPairTest, HasTheHeadOfEveryMigrationMarkedHandWritten) {
  Result<HandWrittenPair> pair = NewHandWrittenPair(committed_, schema_->project, 21, "backfill_bios");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  EXPECT_EQ(pair->up_file, "0021_backfill_bios.up.sql");
  EXPECT_EQ(pair->down_file, "0021_backfill_bios.down.sql");
  EXPECT_EQ(pair->tag, "phase2") << "between 0020 (phase1) and 0030 (phase2) it prepares phase2";
  EXPECT_EQ(pair->files.size(), 3u);
  const std::string& up = pair->files.at(pair->up_file);
  EXPECT_TRUE(up.starts_with("-- strata migration 0021_backfill_bios.up.sql (up), tag \"phase2\", hand-written\n"))
      << up;
  EXPECT_TRUE(up.ends_with("\n\n")) << "a head, then the author's SQL";
  EXPECT_NE(pair->files.at(pair->down_file).find("undoes 0021_backfill_bios.up.sql"), std::string::npos);
  for (const std::string& file : {pair->up_file, pair->down_file}) {
    const MigrationFacts facts = ReadMigrationFacts(pair->files.at(file));
    EXPECT_FALSE(facts.generated) << file;
    EXPECT_FALSE(facts.own_transaction) << file << ": the runner must wrap and record it";
    EXPECT_EQ(facts.tag, "phase2") << file;
  }
}

TEST_F(HandWrittenPairTest, IsFiledByTheRunnerUnderItsTagAndKeptByTheGenerator) {
  Result<HandWrittenPair> pair = NewHandWrittenPair(committed_, schema_->project, 21, "backfill_bios");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  const MigrationFiles files = With(*pair);
  EXPECT_TRUE(VerifySumFile(files).empty()) << "the sum file covers the pair";
  Result<std::vector<MigrationEntry>> entries = LoadMigrations(files, schema_->project);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[2].version, 21);
  EXPECT_EQ((*entries)[2].tag, "phase2");
  EXPECT_FALSE(RunOf((*entries)[2], true).own_transaction);
  // `generate --check` compares the folder with this: nothing is stale.
  const GenerateResult expected = GenerateMigrations(*schema_, *sqlite::MakeDialect(), files);
  EXPECT_EQ(OutOfDateFiles(expected.files, files), std::vector<std::string>{});
}

TEST_F(HandWrittenPairTest, AfterTheLastGeneratedVersionBelongsToTheLastTag) {
  Result<HandWrittenPair> pair = NewHandWrittenPair(committed_, schema_->project, *NextFreeVersion(committed_), "tidy");
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  EXPECT_EQ(pair->version, 51);
  EXPECT_EQ(pair->tag, "phase4");
}

TEST_F(HandWrittenPairTest, RefusesBadNamesAndVersions) {
  for (const char* name : {"", "two words", "a/b", "../up", "a\\b", "tab\there", "-leading-dash"}) {
    Result<HandWrittenPair> pair = NewHandWrittenPair(committed_, schema_->project, 21, name);
    ASSERT_FALSE(pair.ok()) << name;
    EXPECT_EQ(pair.status().code(), StatusCode::kInvalidInput) << name;
    EXPECT_NE(pair.status().message().find("cannot name a migration"), std::string::npos) << pair.status().message();
  }
  EXPECT_NE(NewHandWrittenPair(committed_, schema_->project, 30, "x").status().message().find("kept for a generated"),
            std::string::npos);
  EXPECT_NE(NewHandWrittenPair(committed_, schema_->project, 20, "x").status().message().find("kept for a generated"),
            std::string::npos);
  Result<HandWrittenPair> first = NewHandWrittenPair(committed_, schema_->project, 21, "fill");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(NewHandWrittenPair(With(*first), schema_->project, 21, "other").status().message(),
            "version 0021 is taken by 0021_fill.down.sql");
  EXPECT_FALSE(NewHandWrittenPair({}, schema_->project, 1, "x").ok()) << "nothing to file it between";
}

TEST_F(HandWrittenPairTest, RefusesAFolderThatDiffersFromItsSumFile) {
  MigrationFiles edited = committed_;
  edited["0020_phase1.up.sql"] += "-- changed\n";
  Result<HandWrittenPair> pair = NewHandWrittenPair(edited, schema_->project, 21, "fill");
  ASSERT_FALSE(pair.ok());
  EXPECT_EQ(pair.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(pair.status().message().find("0020_phase1.up.sql: edited after its checksum was recorded"),
            std::string::npos)
      << pair.status().message();
}

}  // namespace
}  // namespace strata
