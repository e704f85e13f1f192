#include "migrate/migration_dir.h"

#include <gtest/gtest.h>

#include "base/sha256.h"
#include "migrate/generator.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(MigrationFileName, ParsesTheDbmateConvention) {
  auto up = ParseMigrationFileName("0020_phase1.up.sql");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->version, 20);
  EXPECT_EQ(up->name, "phase1");
  EXPECT_TRUE(up->up);
  EXPECT_FALSE(ParseMigrationFileName("0020_phase1.down.sql")->up);
  EXPECT_FALSE(ParseMigrationFileName("phase1.up.sql"));
  EXPECT_FALSE(ParseMigrationFileName("0020_.up.sql"));
  EXPECT_FALSE(ParseMigrationFileName("0020_x.sql"));
  EXPECT_EQ(MigrationFileNameFor(20, "phase1", false), "0020_phase1.down.sql");
}

TEST(SumFile, DetectsEditedMissingAndExtraFiles) {
  MigrationFiles files = {{"0010_a.up.sql", "CREATE TABLE a(x);"}, {"0010_a.down.sql", "DROP TABLE a;"}};
  files[std::string(kSumFile)] = RenderSumFile(files);
  EXPECT_TRUE(VerifySumFile(files).empty());

  MigrationFiles edited = files;
  edited["0010_a.up.sql"] += "\n-- tweak";
  ASSERT_EQ(VerifySumFile(edited).size(), 1u);
  EXPECT_EQ(VerifySumFile(edited)[0].ToString(), "0010_a.up.sql: edited after its checksum was recorded");

  MigrationFiles missing = files;
  missing.erase("0010_a.down.sql");
  EXPECT_EQ(VerifySumFile(missing)[0].kind, SumMismatch::kMissing);

  MigrationFiles extra = files;
  extra["0015_fix.up.sql"] = "UPDATE a SET x = 1;";
  EXPECT_EQ(VerifySumFile(extra)[0].ToString(), "0015_fix.up.sql: not listed in strata.sum");

  MigrationFiles forged = files;
  forged[std::string(kSumFile)] += "0099_x.up.sql h1:00\n";
  EXPECT_EQ(VerifySumFile(forged)[0].kind, SumMismatch::kSumFileEdited);
}

TEST(Generator, IsDeterministicAndKeepsHandWrittenMigrations) {
  Diagnostics d;
  auto schema = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  auto dialect = sqlite::MakeDialect();
  MigrationFiles hand = {{"0015_backfill.up.sql", "UPDATE users SET status = 'active';"}};
  GenerateResult a = GenerateMigrations(*schema, *dialect, hand);
  GenerateResult b = GenerateMigrations(*schema, *dialect, hand);
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.files.size(), 12u);  // 5 pairs, the hand-written file, the sum
  EXPECT_EQ(a.files.at("0015_backfill.up.sql"), hand.at("0015_backfill.up.sql"));
  EXPECT_TRUE(VerifySumFile(a.files).empty());
}

TEST(Generator, CommittedMigrationsAreWhatTheSchemaProduces) {
  Diagnostics d;
  auto schema = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  Result<MigrationFiles> committed = ReadMigrationDir(testing::SourceDir() / "migrations");
  ASSERT_TRUE(committed.ok());
  GenerateResult expected = GenerateMigrations(*schema, *sqlite::MakeDialect(), *committed);
  EXPECT_EQ(OutOfDateFiles(expected.files, *committed), std::vector<std::string>{})
      << "run `strata generate` and commit migrations/";
}

}  // namespace
}  // namespace strata
