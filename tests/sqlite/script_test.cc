// The SQLite migration script renderer, on its own: the scripts it writes
// are self-contained (every temporary table a statement reads is created
// earlier in the same script), with a migration head or without one, and
// the head states what the runner reads back.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "base/strings.h"
#include "diff/differ.h"
#include "migrate/declarative.h"
#include "plan/migration_header.h"
#include "sqlite/connection.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

// The temp tables `script` reads or writes before creating them.
std::vector<std::string> TempTablesUsedBeforeCreation(const std::string& script) {
  std::set<std::string> created;
  std::vector<std::string> missing;
  for (const sqlite::ScriptStatement& s : sqlite::SplitStatements(script)) {
    const std::vector<sqlite::SqlToken> tokens = sqlite::TokenizeSql(s.sql);
    for (size_t i = 0; i + 2 < tokens.size(); ++i) {
      if (tokens[i].IsWord("TEMP") && tokens[i + 1].IsWord("TABLE")) {
        size_t name = i + 2;
        if (tokens[name].IsWord("IF")) name += 3;  // IF NOT EXISTS
        if (name < tokens.size()) created.insert(AsciiLower(tokens[name].text));
      }
      if (tokens[i].IsWord("TEMP") && tokens[i + 1].IsPunct('.') && !tokens[i + 2].text.empty()) {
        const std::string table = AsciiLower(tokens[i + 2].text);
        const bool dropping = i >= 4 && tokens[i - 1].IsWord("EXISTS") && tokens[i - 4].IsWord("DROP");
        if (!dropping && !created.contains(table)) missing.push_back(table + " at line " + std::to_string(s.line));
      }
    }
  }
  return missing;
}

class ScriptRenderer : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics d;
    std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
    ASSERT_TRUE(schema) << "the ChefSocial schema loads";
    schema_ = std::move(*schema);
  }
  VersionedSchema schema_;
  std::unique_ptr<Dialect> dialect_ = sqlite::MakeDialect();
};

TEST_F(ScriptRenderer, EveryCommittedMigrationCreatesTheTempTablesItReads) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::SourceDir() / "migrations")) {
    if (entry.path().extension() != ".sql") continue;
    ++files;
    const std::string sql = testing::ReadFile(entry.path());
    EXPECT_EQ(TempTablesUsedBeforeCreation(sql), std::vector<std::string>{}) << entry.path();
    const MigrationFacts facts = ReadMigrationFacts(sql);
    EXPECT_TRUE(facts.generated) << entry.path();
    EXPECT_TRUE(facts.own_transaction) << entry.path();
    EXPECT_FALSE(facts.outside_transaction) << entry.path();
  }
  EXPECT_GE(files, 8);
}

TEST_F(ScriptRenderer, AScriptWithoutAHeadIsSelfContainedToo) {
  // From nothing to the last tag, and from the first tag to the last with
  // rebuilds and snapshots: `strata diff` output, which has no migration head.
  for (int from : {-1, 0}) {
    const Schema before = from < 0 ? Schema{} : schema_.At(from);
    DeclarativeScript script = PlanDeclarative(*dialect_, dialect_->Normalize(before),
                                               dialect_->Normalize(schema_.Latest()), {.allow_destructive = true});
    ASSERT_FALSE(script.sql.empty());
    EXPECT_EQ(TempTablesUsedBeforeCreation(script.sql), std::vector<std::string>{}) << script.sql;
    const MigrationFacts facts = ReadMigrationFacts(script.sql);
    EXPECT_FALSE(facts.generated) << "not a migration: no first line a runner would take for one";
    EXPECT_TRUE(facts.own_transaction);
    EXPECT_TRUE(script.sql.find("INSERT INTO \"strata_migrations\"") == std::string::npos)
        << "a script that is not a migration records no history";
  }
}

TEST_F(ScriptRenderer, TheHeadListsTheChangesAndTheDestructiveOnes) {
  Plan plan = dialect_->PlanMigration(dialect_->Normalize(schema_.At(0)), dialect_->Normalize(schema_.At(1)),
                                      Diff(dialect_->Normalize(schema_.At(0)), dialect_->Normalize(schema_.At(1))),
                                      {.up = true});
  plan.steps.push_back({.comment = "an index built later", .sql = {"CREATE INDEX IF NOT EXISTS i ON users (id)"},
                        .outside_transaction = true});
  plan.destructive_changes.push_back("drop column \"users\".\"x\"");
  const std::string sql = dialect_->RenderMigration(
      plan, {.file_name = "0020_phase1.up.sql", .version = 20, .name = "phase1", .tag = "phase1"});
  const MigrationFacts facts = ReadMigrationFacts(sql);
  EXPECT_EQ(facts.tag, "phase1");
  EXPECT_TRUE(facts.outside_transaction);
  EXPECT_EQ(facts.destructive, (std::vector<std::string>{"drop column \"users\".\"x\""}));
  EXPECT_NE(sql.find("-- changes: an index built later\n"), std::string::npos);
  // The outside-transaction step comes after COMMIT.
  const size_t commit = sql.rfind("COMMIT;");
  const size_t index = sql.find("CREATE INDEX IF NOT EXISTS i ON users");
  ASSERT_NE(commit, std::string::npos);
  ASSERT_NE(index, std::string::npos);
  EXPECT_GT(index, commit);
}

}  // namespace
}  // namespace strata
