// The progress a runner shows for long statements: a copy (the heart of a
// rebuild) reports rows done out of the source's rows, estimated from
// SQLite's own counters; any other statement reports elapsed time only.
#include <gtest/gtest.h>

#include "sqlite/connection.h"
#include "sqlite/database.h"
#include "test_util.h"

namespace strata::sqlite {
namespace {

TEST(Progress, CopyReportsRowsDoneOutOfTheSourceRows) {
  testing::TempDir dir;
  const std::string path = (dir / "progress.db").string();
  {
    Result<Database> db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE src (id INTEGER PRIMARY KEY, v TEXT);"
                         "CREATE TABLE dst (id INTEGER PRIMARY KEY, v TEXT);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)"
                         " INSERT INTO src SELECT i, 'value ' || i FROM n;")
                    .ok());
  }
  Result<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path);
  ASSERT_TRUE(connection.ok());
  struct Seen {
    std::string statement;
    int64_t done, total;
  };
  std::vector<Seen> seen;
  (*connection)->set_progress([&](const Progress& p) { seen.push_back({p.statement, p.rows_done, p.rows_total}); });
  ScriptRun run{"0001_copy.up.sql", 1, "copy", "", true,
                "INSERT INTO dst (id, v) SELECT id, v FROM src;\n"
                "SELECT count(*) FROM src AS a JOIN src AS b ON b.id = a.id WHERE a.v <> b.v;\n",
                "sha256:0"};
  Result<ApplyOutcome> applied = (*connection)->Apply(run);
  ASSERT_TRUE(applied.ok()) << applied.status().message();

  std::vector<Seen> copy, other;
  for (const Seen& s : seen) (s.statement.starts_with("INSERT") ? copy : other).push_back(s);
  ASSERT_GT(copy.size(), 5u) << "400,000 rows take many progress calls";
  for (size_t i = 0; i < copy.size(); ++i) {
    EXPECT_EQ(copy[i].total, 400000);
    EXPECT_LE(copy[i].done, copy[i].total);
    if (i > 0) {
      EXPECT_GE(copy[i].done, copy[i - 1].done);
    }
  }
  EXPECT_GT(copy.front().done, 0);
  EXPECT_GE(copy.back().done, 360000) << "the estimate follows the copy to its end";
  ASSERT_FALSE(other.empty());
  for (const Seen& s : other) EXPECT_EQ(s.total, 0) << "only a copy knows its rows";
}

}  // namespace
}  // namespace strata::sqlite
