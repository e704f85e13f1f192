// The statement splitter and the redaction of passwords: no server needed.
#include <gtest/gtest.h>

#include "base/strings.h"
#include "postgres/pg.h"
#include "postgres/splitter.h"

namespace strata::postgres {
namespace {

std::vector<std::string> Texts(const std::string& script) {
  std::vector<std::string> out;
  for (const SqlStatement& s : SplitStatements(script)) out.push_back(s.sql);
  return out;
}

TEST(PgSplitter, SemicolonsInsideQuotesCommentsAndDollarBodiesDoNotSplit) {
  EXPECT_EQ(Texts("SELECT 'a;b'; SELECT \"x;y\" FROM t;"),
            (std::vector<std::string>{"SELECT 'a;b'", "SELECT \"x;y\" FROM t"}));
  EXPECT_EQ(Texts("SELECT E'it\\'s; here'; SELECT 'it''s; here';"),
            (std::vector<std::string>{"SELECT E'it\\'s; here'", "SELECT 'it''s; here'"}));
  EXPECT_EQ(Texts("DO $strata$ BEGIN PERFORM 1; END $strata$; DO $$ BEGIN NULL; END $$;"),
            (std::vector<std::string>{"DO $strata$ BEGIN PERFORM 1; END $strata$", "DO $$ BEGIN NULL; END $$"}));
  EXPECT_EQ(Texts("/* a /* nested; */ still; */ SELECT 1; -- not; here\nSELECT 2"),
            (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(Texts("SELECT $1, a$b FROM t;"), (std::vector<std::string>{"SELECT $1, a$b FROM t"}));
}

TEST(PgSplitter, EachStatementKnowsItsFirstLine) {
  std::vector<SqlStatement> s = SplitStatements("-- header\n\nBEGIN;\nSELECT\n 'a\nb';\n\n/* c\n */ COMMIT;");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].line, 3);
  EXPECT_EQ(s[1].line, 4);
  EXPECT_EQ(s[2].line, 9);
  EXPECT_EQ(LeadingWords("  create  unique index concurrently \"i\" on t (a)", 4), "CREATE UNIQUE INDEX CONCURRENTLY");
}

TEST(PgRedaction, APasswordNeverAppears) {
  EXPECT_EQ(RedactedTarget("postgresql://alice:s3cret@db.example:5432/app?sslmode=require"),
            "postgresql://alice:***@db.example:5432/app?sslmode=require");
  EXPECT_EQ(RedactedTarget("host=db user=alice password=s3cret dbname=app"), "host=db user=alice password=*** dbname=app");
  EXPECT_EQ(RedactedTarget("host=db password = 'a b\\'c' dbname=app"), "host=db password = *** dbname=app");
  EXPECT_EQ(RedactedTarget("postgres:///app?host=/tmp&password=s3cret&user=x"), "postgres:///app?host=/tmp&password=***&user=x");
  EXPECT_EQ(RedactedTarget("postgres://alice@host/app"), "postgres://alice@host/app");
}

}  // namespace
}  // namespace strata::postgres
