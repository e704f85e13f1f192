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
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Lengths at the block and padding boundaries, through whichever
  // compression the processor gets (SHA extensions or the portable loop).
  std::string text;
  for (int i = 0; i < 130; ++i) text += static_cast<char>('a' + i % 26);
  const std::pair<size_t, const char*> cases[] = {
    {55, "595615dbe4f0f407ae397d08b4c2cb870cb9b0e11937416f950c5160acf9c005"},
    {56, "784f623b787495078e93ff28a25b581df0584055a7e71d8cd90c454716b92f51"},
    {63, "5ca3e1ef5207490eac01a795e5cc94d59582a5118bf9534665c8668d87aa647c"},
    {64, "2fcd5a0d60e4c941381fcc4e00a4bf8be422c3ddfafb93c809e8d1e2bfffae8e"},
    {65, "1b3cd1877ab2f2f19f7be001722554f336cb799df0329de0bb4c118dc6abc06d"},
    {119, "faef67da856d6fd9c8d12f9ed0a4fefd3cf0ce085ab43e2907418d457e3c354b"},
    {120, "c9512b08619c19fbb503c7da6b46ef20301e5f7a7a5f43989182398536f5c5c8"},
    {128, "6c05be2c4268843ae47e68e611277ce62c02153f2f4d2e1e2a1a4b44f766cf74"},
  };
  for (const auto& [size, digest] : cases) EXPECT_EQ(Sha256Hex(text.substr(0, size)), digest) << size;
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
