// Table digests on real files: two copies compare equal whatever order
// their rows were written in, and every kind of change to a value, a row or
// a column is found, with the table, the number of rows and the column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialect/table_digest.h"
#include "sqlite/connection.h"
#include "test_util.h"

namespace strata {
namespace {

class TableDigestTest : public ::testing::Test {
 protected:
  // The digests of every table of a database made by `sql`.
  std::vector<TableDigest> Digests(const std::string& sql) {
    const std::string path = (dir_ / ("db" + std::to_string(++files_) + ".sqlite")).string();
    Result<std::unique_ptr<sqlite::SqliteConnection>> db = sqlite::SqliteConnection::Open(path, {.create = true});
    EXPECT_TRUE(db.ok()) << db.status().message();
    Status s = (*db)->database().Exec(sql);
    EXPECT_TRUE(s.ok()) << s.message();
    Result<Schema> schema = (*db)->Inspect();
    EXPECT_TRUE(schema.ok()) << schema.status().message();
    Result<std::vector<TableDigest>> digests = (*db)->DigestTables(*schema);
    EXPECT_TRUE(digests.ok()) << digests.status().message();
    return digests.ok() ? *digests : std::vector<TableDigest>{};
  }

  // The findings of `changed` against the base data.
  std::vector<std::string> Changes(const std::string& changed) {
    std::vector<std::string> out;
    for (const DriftItem& d : CompareTableDigests(Digests(kBase), Digests(std::string(kBase) + changed)))
      out.push_back(d.table + ": " + d.finding);
    return out;
  }

  static constexpr const char* kBase =
      "CREATE TABLE notes (body TEXT, score REAL, raw BLOB, n INTEGER);"
      "INSERT INTO notes VALUES ('a', 1.5, x'00ff', 1), ('b', NULL, NULL, 2), ('b', NULL, NULL, 2), ('é', -0.25, x'', 3);"
      "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT) ;"
      "INSERT INTO tags (name) VALUES ('x'), ('y');";
  testing::TempDir dir_;
  int files_ = 0;
};

TEST_F(TableDigestTest, RowOrderAndRowidsDoNotMatter) {
  const std::vector<TableDigest> a = Digests(kBase);
  // The same rows written in another order, under other rowids.
  const std::vector<TableDigest> b = Digests(
      "CREATE TABLE notes (body TEXT, score REAL, raw BLOB, n INTEGER);"
      "INSERT INTO notes (rowid, body, score, raw, n) VALUES (40, 'é', -0.25, x'', 3), (7, 'b', NULL, NULL, 2), "
      "(9, 'a', 1.5, x'00ff', 1), (8, 'b', NULL, NULL, 2);"
      "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT) ;"
      "INSERT INTO tags (id, name) VALUES (2, 'y'), (1, 'x');");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].rows, 4);
  EXPECT_TRUE(CompareTableDigests(a, b).empty());
}

TEST_F(TableDigestTest, EveryChangeIsFoundWithTableRowsAndColumn) {
  EXPECT_EQ(Changes("UPDATE notes SET body = 'c' WHERE n = 1;"),
            std::vector<std::string>{"notes: 1 of its 4 row(s) are gone or changed; column \"body\" differs"});
  // The same bytes in another storage class are another value.
  EXPECT_EQ(Changes("UPDATE notes SET raw = CAST(raw AS TEXT) WHERE n = 1;"),
            std::vector<std::string>{"notes: 1 of its 4 row(s) are gone or changed; column \"raw\" differs"});
  EXPECT_EQ(Changes("UPDATE notes SET raw = x'00fe' WHERE n = 1;"),
            std::vector<std::string>{"notes: 1 of its 4 row(s) are gone or changed; column \"raw\" differs"});
  // One of two equal rows gone is a row gone, not nothing.
  EXPECT_EQ(Changes("DELETE FROM notes WHERE rowid = 3;"),
            std::vector<std::string>{"notes: 3 row(s) instead of 4; 1 of its 4 row(s) are gone or changed"});
  EXPECT_EQ(Changes("INSERT INTO tags (name) VALUES ('z');"),
            std::vector<std::string>{"tags: 3 row(s) instead of 2; 1 row(s) were added"});
  EXPECT_EQ(Changes("ALTER TABLE notes DROP COLUMN score;"),
            std::vector<std::string>{"notes: 4 of its 4 row(s) are gone or changed; column \"score\" is gone"});
  EXPECT_EQ(Changes("ALTER TABLE tags ADD COLUMN colour TEXT;"),
            std::vector<std::string>{"tags: 2 of its 2 row(s) are gone or changed; extra column \"colour\""});
  EXPECT_EQ(Changes("DROP TABLE tags; CREATE TABLE later (x); INSERT INTO later VALUES (1);"),
            (std::vector<std::string>{"tags: table is gone (it held 2 row(s))", "later: extra table with 1 row(s)"}));
}

}  // namespace
}  // namespace strata
