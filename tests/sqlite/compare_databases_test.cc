// Comparing two databases reads only the tables stored differently (with
// the tables a foreign key joins them to). The script `strata diff` prints
// from that partial reading must be the script a reading of every table
// gives, byte for byte: these tests make both and compare them, over the
// ChefSocial tags and over hand-made differences of every kind.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "migrate/declarative.h"
#include "sqlite/database.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

class CompareDatabases : public ::testing::Test {
 protected:
  std::unique_ptr<Connection> Open(const std::string& name) {
    Result<std::unique_ptr<Connection>> c = dialect_->Open((dir_ / name).string(), {.create = true});
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  void Exec(const std::string& name, const std::string& sql) {
    Result<sqlite::Database> db = sqlite::Database::Open((dir_ / name).string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(db->Exec(sql).ok()) << db->LastError(sql).message();
  }
  // The diff script from every table and from the partial reading must be
  // the same; returns how many tables the partial reading took per side.
  size_t ExpectSameScript(const std::string& a, const std::string& b) {
    std::unique_ptr<Connection> from = Open(a), to = Open(b);
    if (!from || !to) return 0;
    Result<Schema> whole_from = from->Inspect(), whole_to = to->Inspect();
    EXPECT_TRUE(whole_from.ok() && whole_to.ok());
    Result<std::pair<Schema, Schema>> partial = InspectForComparison(*from, *to);
    EXPECT_TRUE(partial.ok()) << partial.status().message();
    if (!whole_from.ok() || !whole_to.ok() || !partial.ok()) return 0;
    const DeclarativeOptions options{.allow_destructive = true};
    const DeclarativeScript whole = PlanDeclarative(*dialect_, *whole_from, *whole_to, options);
    const DeclarativeScript part = PlanDeclarative(*dialect_, partial->first, partial->second, options);
    EXPECT_EQ(whole.sql, part.sql) << a << " -> " << b;
    EXPECT_EQ(whole.changes.size(), part.changes.size());
    return std::max(partial->first.tables.size(), partial->second.tables.size());
  }

  testing::TempDir dir_;
  std::unique_ptr<Dialect> dialect_ = sqlite::MakeDialect();
};

TEST_F(CompareDatabases, EveryPairOfChefSocialTagsGivesTheScriptOfAWholeReading) {
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  const int tags = schema->project.last_tag() + 1;
  for (int i = 0; i < tags; ++i) {
    std::unique_ptr<Connection> db = Open(fmt::format("tag{}.db", i));
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->CreateSchema(dialect_->Normalize(schema->At(i))).ok());
  }
  for (int i = 0; i < tags; ++i)
    for (int j = 0; j < tags; ++j)
      if (i != j) ExpectSameScript(fmt::format("tag{}.db", i), fmt::format("tag{}.db", j));
  // A tag against itself: nothing read, nothing to do.
  EXPECT_EQ(ExpectSameScript("tag0.db", "tag0.db"), 0u);
}

// 40 tables in a chain of foreign keys (each points at the one before),
// two indexes and a trigger each, and a view over every tenth.
std::string ChainSql() {
  std::string sql = "BEGIN;";
  for (int t = 0; t < 40; ++t) {
    sql += fmt::format("CREATE TABLE t{0} (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER DEFAULT 0, c REAL{1});",
                       t, t == 0 ? "" : fmt::format(", p INTEGER REFERENCES t{}(id)", t - 1));
    sql += fmt::format("CREATE INDEX t{0}_a ON t{0}(a); CREATE UNIQUE INDEX t{0}_bc ON t{0}(b, c);", t);
    sql += fmt::format("CREATE TRIGGER t{0}_touch AFTER UPDATE ON t{0} BEGIN SELECT 1; END;", t);
    if (t % 10 == 0) sql += fmt::format("CREATE VIEW v{0} AS SELECT id, a FROM t{0};", t);
  }
  return sql + "COMMIT;";
}

TEST_F(CompareDatabases, EachKindOfDifferenceGivesTheScriptOfAWholeReadingFromAFewTables) {
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"a column added", "ALTER TABLE t5 ADD COLUMN d TEXT;"},
      {"a column dropped", "DROP INDEX t6_bc; ALTER TABLE t6 DROP COLUMN c;"},
      {"a type changed (a rebuild; its child's keys are checked)",
       "PRAGMA foreign_keys = OFF; BEGIN; CREATE TABLE n (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT DEFAULT 0, "
       "c REAL, p INTEGER REFERENCES t6(id)); INSERT INTO n SELECT * FROM t7; DROP TABLE t7; ALTER TABLE n RENAME TO "
       "t7; CREATE INDEX t7_a ON t7(a); CREATE UNIQUE INDEX t7_bc ON t7(b, c); CREATE TRIGGER t7_touch AFTER UPDATE "
       "ON t7 BEGIN SELECT 1; END; COMMIT;"},
      {"the key its children point at changed (their keys are checked after the rebuild)",
       "PRAGMA foreign_keys = OFF; BEGIN; CREATE TABLE n (id INTEGER PRIMARY KEY COLLATE NOCASE, a TEXT NOT NULL, b "
       "INTEGER DEFAULT 0, c REAL, p INTEGER REFERENCES t13(id)); INSERT INTO n SELECT * FROM t14; DROP TABLE t14; "
       "ALTER TABLE n RENAME TO t14; CREATE INDEX t14_a ON t14(a); CREATE UNIQUE INDEX t14_bc ON t14(b, c); CREATE "
       "TRIGGER t14_touch AFTER UPDATE ON t14 BEGIN SELECT 1; END; COMMIT;"},
      {"an index dropped", "DROP INDEX t8_a;"},
      {"an index added", "CREATE INDEX t9_c ON t9(c);"},
      {"a trigger changed", "DROP TRIGGER t11_touch; CREATE TRIGGER t11_touch AFTER INSERT ON t11 BEGIN SELECT 2; END;"},
      {"a table added with a key to an unchanged one",
       "CREATE TABLE extra (id INTEGER PRIMARY KEY, t INTEGER REFERENCES t12(id));"},
      {"a leaf table dropped", "DROP VIEW IF EXISTS v39; DROP TRIGGER t39_touch; DROP TABLE t39;"},
      {"a view changed", "DROP VIEW v20; CREATE VIEW v20 AS SELECT id, a, b FROM t20;"},
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    SCOPED_TRACE(changes[i].first);
    const std::string a = fmt::format("a{}.db", i), b = fmt::format("b{}.db", i);
    Exec(a, ChainSql());
    Exec(b, ChainSql());
    // Rows differ too: a database's rows are data, never part of the script.
    Exec(b, "INSERT INTO t0 (a) VALUES ('x');" + changes[i].second);
    const size_t read = ExpectSameScript(a, b);
    // The changed table and its neighbours by foreign key, not all 40.
    EXPECT_LE(read, 4u);
    ExpectSameScript(b, a);
  }
  Exec("all-a.db", ChainSql());
  Exec("all-b.db", ChainSql());
  std::string every;
  for (const auto& [what, sql] : changes) every += sql;
  Exec("all-b.db", every);
  ExpectSameScript("all-a.db", "all-b.db");
  ExpectSameScript("all-b.db", "all-a.db");
}

}  // namespace
}  // namespace strata
