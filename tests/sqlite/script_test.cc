// The SQLite migration script renderer, on its own: the scripts it writes
// are self-contained (every temporary table a statement reads is created
// earlier in the same script), with a migration head or without one, and
// the head states what the runner reads back.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/strings.h"
#include "diff/differ.h"
#include "migrate/declarative.h"
#include "plan/migration_header.h"
#include "plan/sql_layout.h"
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

namespace strata {
namespace {

std::string Evaluate(const std::string& query) {
  Result<sqlite::Database> db = sqlite::Database::Open(":memory:");
  if (!db.ok()) return "error: " + db.status().message();
  Result<std::string> value = db->QueryString(query);
  return value.ok() ? *value : "error: " + value.status().message();
}

// The layout of generated SQL changes where lines break, never what the SQL
// says: quoted text, quoted names and comments are never cut.
TEST(SqlLayout, WrappingKeepsQuotedTextAndCommentsWhole) {
  const std::string sql =
      "SELECT 'one two three four five six' || ' ' || \"x y\" || ' it''s here' || coalesce(NULL, 'seven eight') "
      "AS k FROM (SELECT 'nine' AS \"x y\") -- a comment with 'quotes' and spaces that must stay on its line";
  const std::string wrapped = WrapSql(sql, 30);
  EXPECT_NE(wrapped, sql) << "a 200-character line is wrapped";
  size_t longest = 0;
  for (size_t start = 0; start < wrapped.size();) {
    size_t end = wrapped.find('\n', start);
    if (end == std::string::npos) end = wrapped.size();
    const std::string line = wrapped.substr(start, end - start);
    if (line.find("--") == std::string::npos) longest = std::max(longest, line.size());
    start = end + 1;
  }
  EXPECT_LE(longest, 40u) << wrapped;
  for (const char* whole : {"'one two three four five six'", "\"x y\"", "' it''s here'",
                            "-- a comment with 'quotes' and spaces that must stay on its line"})
    EXPECT_NE(wrapped.find(whole), std::string::npos) << whole << " in\n" << wrapped;
  EXPECT_EQ(Evaluate(wrapped), Evaluate(sql));
  EXPECT_EQ(Evaluate(wrapped), "one two three four five six nine it's hereseven eight");
}

TEST(SqlLayout, ALongLiteralInPartsIsTheSameText) {
  const std::string text =
      "id INTEGER 0 1, user_id TEXT 1 0, it's a name, month_year TEXT 1 0, voice_minutes_used INTEGER 0 0, "
      "images_generated INTEGER 0 0, averyveryveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces";
  const std::string parts = LiteralInParts(text, 40);
  EXPECT_NE(parts.find(" || "), std::string::npos) << parts;
  EXPECT_EQ(Evaluate("SELECT " + parts), text);
  EXPECT_EQ(Evaluate("SELECT " + LiteralInParts("short", 40)), "short");
  EXPECT_EQ(LiteralInParts("short", 40), "'short'");
}

}  // namespace
}  // namespace strata
