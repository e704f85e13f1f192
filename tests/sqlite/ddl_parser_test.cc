// The DDL parser reads what the pragmas do not report from CREATE TABLE
// text written by any hand: quotes of every style, comments, nested
// parentheses, and CHECK or COLLATE words where they are not constraints.
#include <gtest/gtest.h>

#include "sqlite/ddl_parser.h"

namespace strata::sqlite {
namespace {

TEST(DdlParser, ColumnCollationsAndChecks) {
  ParsedCreateTable t = ParseCreateTable(
      "CREATE TABLE \"t\" (\n"
      "  \"id\" INTEGER PRIMARY KEY,\n"
      "  [email] TEXT NOT NULL COLLATE nocase,\n"
      "  `score` INTEGER CHECK (score BETWEEN 1 AND 10),\n"
      "  plain TEXT COLLATE BINARY\n"
      ")");
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_EQ(t.columns[1].name, "email");
  EXPECT_EQ(t.columns[1].collation, "NOCASE");
  EXPECT_EQ(t.columns[2].name, "score");
  EXPECT_EQ(t.columns[2].check, "score BETWEEN 1 AND 10");
  EXPECT_EQ(t.columns[3].collation, "") << "BINARY is the default and reads as none";
  EXPECT_TRUE(t.checks.empty());
}

TEST(DdlParser, TableChecksWithNamesAndNestedParentheses) {
  ParsedCreateTable t = ParseCreateTable(
      "create table t(a int, b int,\n"
      "  constraint a_positive check (a > 0),\n"
      "  CHECK ((a + b) * 2 < (10)),\n"
      "  PRIMARY KEY (a, b),\n"
      "  FOREIGN KEY (b) REFERENCES p(id) ON DELETE CASCADE\n"
      ") WITHOUT ROWID");
  ASSERT_EQ(t.columns.size(), 2u);
  ASSERT_EQ(t.checks.size(), 2u);
  EXPECT_EQ(t.checks[0].name, "a_positive");
  EXPECT_EQ(t.checks[0].expr, "a > 0");
  EXPECT_EQ(t.checks[1].name, "");
  EXPECT_EQ(t.checks[1].expr, "(a + b) * 2 < (10)");
}

TEST(DdlParser, WordsInsideStringsCommentsAndDefaultsAreNotConstraints) {
  ParsedCreateTable t = ParseCreateTable(
      "CREATE TABLE t (\n"
      "  a TEXT DEFAULT 'x, CHECK (1), COLLATE NOCASE', -- b TEXT COLLATE RTRIM,\n"
      "  /* c TEXT CHECK (0), */ \"we\"\"ird, name\" TEXT DEFAULT ('y' COLLATE NOCASE),\n"
      "  d VARCHAR(10, 2) CHECK (d <> ')') CHECK (length(d) < 5)\n"
      ")");
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[0].name, "a");
  EXPECT_EQ(t.columns[0].collation, "");
  EXPECT_EQ(t.columns[0].check, "");
  EXPECT_EQ(t.columns[1].name, "we\"ird, name");
  EXPECT_EQ(t.columns[1].collation, "") << "the COLLATE belongs to the default expression";
  EXPECT_EQ(t.columns[2].check, "(d <> ')') AND (length(d) < 5)");
}

TEST(DdlParser, ColumnConflictClausesBelongToTheConstraintBeforeThem) {
  ParsedCreateTable t = ParseCreateTable(
      "CREATE TABLE t (\n"
      "  id INTEGER PRIMARY KEY ON CONFLICT REPLACE AUTOINCREMENT,\n"
      "  email TEXT NOT NULL ON CONFLICT ignore UNIQUE on conflict Replace,\n"
      "  n INT CONSTRAINT n_set NOT NULL ON CONFLICT FAIL DEFAULT 0 CHECK (n >= 0),\n"
      "  code TEXT UNIQUE ON CONFLICT ROLLBACK REFERENCES p (code) ON DELETE CASCADE ON UPDATE SET NULL,\n"
      "  loose TEXT NULL ON CONFLICT REPLACE UNIQUE,\n"
      "  quiet TEXT DEFAULT 'NOT NULL ON CONFLICT REPLACE' NOT NULL\n"
      ")");
  ASSERT_EQ(t.columns.size(), 6u);
  constexpr ConflictResolution kAbort = ConflictResolution::kAbort;
  EXPECT_EQ(t.columns[0].primary_key_on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(t.columns[1].not_null_on_conflict, ConflictResolution::kIgnore);
  EXPECT_EQ(t.columns[1].unique_on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(t.columns[2].not_null_on_conflict, ConflictResolution::kFail);
  EXPECT_EQ(t.columns[2].check, "n >= 0");
  EXPECT_EQ(t.columns[3].unique_on_conflict, ConflictResolution::kRollback);
  EXPECT_EQ(t.columns[3].not_null_on_conflict, kAbort) << "ON DELETE and ON UPDATE are not conflict clauses";
  // SQLite ignores a clause after NULL; so does the parser.
  EXPECT_EQ(t.columns[4].not_null_on_conflict, kAbort);
  EXPECT_EQ(t.columns[4].unique_on_conflict, kAbort);
  EXPECT_EQ(t.columns[5].not_null_on_conflict, kAbort) << "the words are a string";
  ASSERT_EQ(t.foreign_keys.size(), 1u);
  EXPECT_EQ(t.foreign_keys[0].ref_table, "p");

  ParsedCreateTable k = ParseCreateTable("CREATE TABLE k (k TEXT PRIMARY KEY DESC ON CONFLICT IGNORE NOT NULL)");
  ASSERT_EQ(k.columns.size(), 1u);
  EXPECT_EQ(k.columns[0].primary_key_on_conflict, ConflictResolution::kIgnore) << "after the key's direction";
  EXPECT_EQ(k.columns[0].not_null_on_conflict, kAbort);
}

TEST(DdlParser, TableKeysWithConflictClauses) {
  ParsedCreateTable t = ParseCreateTable(
      "create table t (a text, b text, c int, d int,\n"
      "  constraint pk primary key (a collate nocase, \"b\" desc) on conflict ignore,\n"
      "  CONSTRAINT bc UNIQUE (b, c) ON CONFLICT FAIL,\n"
      "  UNIQUE ([d])\n"
      "  CHECK (c > 0) ON CONFLICT REPLACE,\n"
      "  CHECK (d > 0),\n"
      "  FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE\n"
      ")");
  ASSERT_EQ(t.columns.size(), 4u);
  ASSERT_TRUE(t.primary_key);
  EXPECT_EQ(t.primary_key->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.primary_key->on_conflict, ConflictResolution::kIgnore);
  ASSERT_EQ(t.uniques.size(), 2u);
  EXPECT_EQ(t.uniques[0].columns, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(t.uniques[0].on_conflict, ConflictResolution::kFail);
  EXPECT_EQ(t.uniques[1].columns, std::vector<std::string>{"d"});
  EXPECT_EQ(t.uniques[1].on_conflict, ConflictResolution::kAbort);
  // A CHECK's clause means nothing to SQLite and is dropped.
  ASSERT_EQ(t.checks.size(), 2u);
  EXPECT_EQ(t.checks[0].expr, "c > 0");
  EXPECT_EQ(t.checks[1].expr, "d > 0");
  ASSERT_EQ(t.foreign_keys.size(), 1u);
  EXPECT_FALSE(ParseCreateTable("CREATE TABLE t (a INTEGER PRIMARY KEY)").primary_key);
}

TEST(DdlParser, CreateTableAsSelectHasNoColumnList) {
  EXPECT_TRUE(ParseCreateTable("CREATE TABLE t AS SELECT (1) AS a").columns.empty());
  EXPECT_TRUE(ParseCreateTable("CREATE TABLE t (a").columns.empty()) << "unterminated";
}

TEST(DdlParser, CanonicalSqlIgnoresSpacingCaseAndNeedlessQuotes) {
  EXPECT_EQ(CanonicalSql("\"Score\"  BETWEEN 1 and\n10"), CanonicalSql("score between 1 AND 10"));
  EXPECT_EQ(CanonicalSql("a>0"), CanonicalSql("a > 0"));
  EXPECT_EQ(CanonicalSql("[a] <= `b`"), "a <= b");
  EXPECT_NE(CanonicalSql("a = 'X'"), CanonicalSql("a = 'x'")) << "string literals keep their case";
  EXPECT_EQ(CanonicalSql("\"two words\" = 1"), "\"two words\" = 1");
  EXPECT_NE(CanonicalSql("a > 0"), CanonicalSql("a >= 0"));
}

}  // namespace
}  // namespace strata::sqlite
