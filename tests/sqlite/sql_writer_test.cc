#include "sqlite/sql_writer.h"

#include <gtest/gtest.h>

namespace strata::sqlite {
namespace {

TEST(SqlWriter, QuotesIdentifiersAndStrings) {
  EXPECT_EQ(QuoteIdentifier("users"), "\"users\"");
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(QuoteString("it's"), "'it''s'");
}

TEST(SqlWriter, RendersLiteralsSoTheyReadBackAsTheSameType) {
  EXPECT_EQ(RenderLiteral(Value::Null()), "NULL");
  EXPECT_EQ(RenderLiteral(Value::Bool(false)), "FALSE");
  EXPECT_EQ(RenderLiteral(Value::Int(-3)), "-3");
  EXPECT_EQ(RenderLiteral(Value::Real(2)), "2.0");
  EXPECT_EQ(RenderLiteral(Value::Real(1.5)), "1.5");
  EXPECT_EQ(RenderLiteral(Value::Text("en")), "'en'");
  EXPECT_EQ(RenderDefault(DefaultValue::Sql("CURRENT_TIMESTAMP")), "CURRENT_TIMESTAMP");
  EXPECT_EQ(RenderDefault(DefaultValue::Sql("datetime('now')")), "(datetime('now'))");
}

TEST(SqlWriter, CreateTableQuotesEveryIdentifier) {
  Table t;
  t.name = "order";  // a keyword: only quoting makes it usable
  Column id{.name = "id", .type = "INTEGER", .primary_key = true, .autoincrement = true};
  Column from{.name = "from", .type = "TEXT", .nullable = false,
              .default_value = DefaultValue::Literal(Value::Text("x")), .collation = "NOCASE"};
  t.columns = {id, from};
  t.foreign_keys.push_back({{"from"}, "select", {"key"}, FkAction::kCascade, FkAction::kNoAction, {}});
  t.checks.push_back({"short", "length(\"from\") < 10", {}});
  EXPECT_EQ(CreateTableSql(t),
            "CREATE TABLE \"order\" (\n"
            "  \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            "  \"from\" TEXT NOT NULL DEFAULT 'x' COLLATE NOCASE,\n"
            "  FOREIGN KEY (\"from\") REFERENCES \"select\" (\"key\") ON DELETE CASCADE,\n"
            "  CONSTRAINT \"short\" CHECK (length(\"from\") < 10)\n"
            ")");
  Index i{.name = "idx", .parts = {{.column = "from", .descending = true}}, .where = "\"from\" <> ''"};
  EXPECT_EQ(CreateIndexSql(t, i), "CREATE INDEX \"idx\" ON \"order\" (\"from\" DESC) WHERE \"from\" <> ''");
}

}  // namespace
}  // namespace strata::sqlite
