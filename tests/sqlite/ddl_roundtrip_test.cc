// The DDL strata renders must create exactly the model: for every ChefSocial
// table at every tag, create it in a real SQLite file, read it back through
// pragma_table_xinfo, pragma_index_list / pragma_index_xinfo and
// pragma_foreign_key_list, and compare with the model.
#include <gtest/gtest.h>

#include "schema/versioned.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"
#include "schema_compare.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

class DdlRoundTrip : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    Diagnostics d;
    schema_ = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  }
  static inline std::optional<VersionedSchema> schema_;
};

TEST_P(DdlRoundTrip, EveryTableReadsBackAsTheModel) {
  ASSERT_TRUE(schema_);
  std::optional<int> tag = schema_->project.TagIndex(GetParam());
  ASSERT_TRUE(tag);
  const Schema expected = schema_->At(*tag);

  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "chefsocial.db").string());
  ASSERT_TRUE(db.ok()) << db.status().message();
  Status created = sqlite::CreateSchema(*db, expected);
  ASSERT_TRUE(created.ok()) << created.message();

  Result<Schema> actual = sqlite::InspectSchema(*db);
  ASSERT_TRUE(actual.ok()) << actual.status().message();
  ASSERT_EQ(actual->tables.size(), expected.tables.size());
  for (const Table& want : expected.tables) {
    SCOPED_TRACE("table " + want.name);
    const Table* got = actual->FindTable(want.name);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(testing::AsPragmasSeeIt(*got), testing::AsPragmasSeeIt(want)) << sqlite::CreateTableSql(want);
    if (!want.rows.empty()) {
      Result<int64_t> rows =
          db->QueryInt("SELECT count(*) FROM " + sqlite::QuoteIdentifier(want.name));
      ASSERT_TRUE(rows.ok());
      EXPECT_EQ(*rows, static_cast<int64_t>(want.rows.size()));
    }
  }
  // Rendered SQL must also pass SQLite's own consistency check.
  Result<std::string> check = db->QueryString("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, "ok");
}

INSTANTIATE_TEST_SUITE_P(ChefSocial, DdlRoundTrip,
                         ::testing::Values("baseline", "phase1", "phase2", "phase3", "phase4"));

TEST(DdlRoundTrip, AllSeventeenTablesAreCovered) {
  Diagnostics d;
  std::optional<VersionedSchema> vs = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(vs);
  EXPECT_EQ(vs->Latest().tables.size(), 17u);
}

TEST(Inspect, ReadsCompositeKeysPartialDescendingIndexesAndActions) {
  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "t.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec(R"(
    CREATE TABLE p(a INT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
    CREATE TABLE c(id INTEGER PRIMARY KEY AUTOINCREMENT, a INT, b TEXT DEFAULT 'it''s',
                   n REAL DEFAULT -1.5, t TEXT DEFAULT (datetime('now')),
                   FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE CASCADE ON UPDATE SET NULL);
    CREATE INDEX c_part ON c (a DESC, b COLLATE NOCASE) WHERE a > 0 AND b <> 'WHERE';
  )").ok());
  Result<Schema> s = sqlite::InspectSchema(*db);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const Table* p = s->FindTable("p");
  const Table* c = s->FindTable("c");
  ASSERT_TRUE(p && c);
  EXPECT_TRUE(p->without_rowid);
  EXPECT_EQ(p->primary_key, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(c->columns[0].autoincrement);
  EXPECT_EQ(c->columns[2].default_value, DefaultValue::Literal(Value::Text("it's")));
  EXPECT_EQ(c->columns[3].default_value, DefaultValue::Literal(Value::Real(-1.5)));
  EXPECT_EQ(c->columns[4].default_value, DefaultValue::Sql("datetime('now')"));
  ASSERT_EQ(c->foreign_keys.size(), 1u);
  EXPECT_EQ(c->foreign_keys[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c->foreign_keys[0].on_delete, FkAction::kCascade);
  EXPECT_EQ(c->foreign_keys[0].on_update, FkAction::kSetNull);
  ASSERT_EQ(c->indexes.size(), 1u);
  EXPECT_TRUE(c->indexes[0].parts[0].descending);
  EXPECT_EQ(c->indexes[0].parts[1].collation, "NOCASE");
  EXPECT_EQ(c->indexes[0].where, "a > 0 AND b <> 'WHERE'");
}

TEST(CreateSchema, RefusesADatabaseThatHoldsTablesAndChangesNothing) {
  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "t.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("CREATE TABLE mine(x); INSERT INTO mine VALUES (1);").ok());
  Schema s;
  s.tables.push_back(Table{.name = "t", .columns = {Column{.name = "a", .type = "TEXT"}}});
  Status st = sqlite::CreateSchema(*db, s);
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM sqlite_schema"), 1);
}

TEST(CreateSchema, AFailingStatementLeavesTheDatabaseEmpty) {
  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "t.db").string());
  ASSERT_TRUE(db.ok());
  Schema s;
  s.tables.push_back(Table{.name = "a", .columns = {Column{.name = "x", .type = "TEXT"}}});
  // A CHECK the YAML marks as SQL but which is not valid SQL.
  s.tables.push_back(Table{.name = "b", .columns = {Column{.name = "y", .type = "TEXT", .check = "y >"}}});
  Status st = sqlite::CreateSchema(*db, s);
  EXPECT_EQ(st.code(), StatusCode::kDatabase);
  EXPECT_NE(st.message().find("CREATE TABLE \"b\""), std::string::npos) << st.message();
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM sqlite_schema"), 0);
}

}  // namespace
}  // namespace strata
