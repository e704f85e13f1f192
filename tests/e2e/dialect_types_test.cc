// Per-dialect type overrides through the strata binary: a bad one stops
// `validate` at its position, and on SQLite a populated database is
// migrated to the type its `sqlite` override names, rows and all.
#include <gtest/gtest.h>

#include "sqlite/database.h"
#include "test_util.h"

namespace strata {
namespace {

using testing::RunStrata;

constexpr const char* kProject = "project: p\ndialects: [sqlite, postgres]\ntags: [a, b]\ndatabase: app.db\n";

TEST(CliDialectTypes, ValidateReportsABadOverrideAtItsPositionAndExitsTwo) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", kProject);
  dir.Write("schema/t.yaml",
            "tables:\n"
            "  - name: t\n"
            "    columns:\n"
            "      - {name: id, type: INTEGER, primary_key: true}\n"
            "      - name: email\n"
            "        type: TEXT\n"
            "        dialect_types: {postgresql: citext}\n"
            "      - name: body\n"
            "        type: TEXT\n"
            "        dialect_types:\n"
            "          postgres: text); DROP TABLE t; --\n");
  for (const char* command : {"validate", "generate"}) {
    testing::CommandResult r = RunStrata({command}, dir.path());
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_EQ(r.err,
              "schema/t.yaml:7:25: error: undeclared dialect \"postgresql\" in dialect_types; the project generates "
              "for \"sqlite\" and \"postgres\" (did you mean \"postgres\"?)\n"
              "schema/t.yaml:11:21: error: dialect_types \"postgres\": \"text); DROP TABLE t; --\" is not a type "
              "name: it may hold words, numbers and one parenthesised list\n"
              "2 error(s), 0 warning(s)\n")
        << command;
    EXPECT_EQ(r.out, "") << command;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "migrations")) << "generate wrote nothing";
}

TEST(CliDialectTypes, ATypeAnyColumnNeedsAPostgresOverride) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", kProject);
  const std::string table = "tables:\n  - name: t\n    columns:\n      - {name: id, type: INTEGER, primary_key: true}\n";
  dir.Write("schema/t.yaml", table + "      - {name: payload, type: ANY}\n");
  testing::CommandResult r = RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("schema/t.yaml:5:16: error: postgres: schema at tag \"a\": column \"t\".\"payload\": type ANY "
                       "(SQLite's STRICT \"any value\") has no PostgreSQL equivalent; give the column a PostgreSQL "
                       "type with `dialect_types: {postgres: ...}` (jsonb, text, ...)"),
            std::string::npos)
      << r.err;
  dir.Write("schema/t.yaml", table + "      - {name: payload, type: ANY, dialect_types: {postgres: jsonb}}\n");
  r = RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Rules that belong to one engine are that dialect's to report: SQLite's
// rowid options, and PostgreSQL's assigning a key only to identity columns.
TEST(CliDialectTypes, EachDialectReportsTheRulesOfItsEngine) {
  testing::TempDir dir;
  const auto validate = [&](const std::string& dialects, const std::string& table) {
    dir.Write("schema/project.yaml", "project: p\ndialects: [" + dialects + "]\ntags: [a]\ndatabase: app.db\n");
    dir.Write("schema/t.yaml", "tables:\n  - name: t\n" + table);
    return RunStrata({"validate"}, dir.path());
  };
  const std::string no_key = "    without_rowid: true\n    columns:\n      - {name: v, type: TEXT}\n";
  testing::CommandResult r = validate("sqlite", no_key);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("schema/t.yaml:2:11: error: schema at tag \"a\": table \"t\": PRIMARY KEY missing on table t"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(validate("postgres", no_key).exit_code, 0) << "PostgreSQL tables have no rowid to drop";

  const std::string autoincrement =
      "    without_rowid: true\n    columns:\n      - {name: id, type: INTEGER, primary_key: true, autoincrement: "
      "true}\n";
  r = validate("sqlite", autoincrement);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("AUTOINCREMENT not allowed on WITHOUT ROWID tables"), std::string::npos) << r.err;

  const std::string rows_without_key =
      "    columns:\n"
      "      - {name: id, type: INTEGER, primary_key: true}\n"
      "      - {name: v, type: TEXT}\n"
      "    rows:\n"
      "      key: [v]\n"
      "      values:\n"
      "        - {v: x}\n";
  EXPECT_EQ(validate("sqlite", rows_without_key).exit_code, 0) << "SQLite assigns the rowid";
  r = validate("sqlite, postgres", rows_without_key);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("schema/t.yaml:9:11: error: postgres: schema at tag \"a\": table \"t\" row: no value for "
                       "primary key column \"id\"; PostgreSQL assigns one only to an identity column"),
            std::string::npos)
      << r.err;
}

// The rows of `sql`, columns joined by "|", one row per line.
std::string Rows(sqlite::Database& db, const std::string& sql) {
  Result<sqlite::Statement> stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return "";
  std::string out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok() || !*row) break;
    for (int i = 0; i < stmt->column_count(); ++i) out += (i ? "|" : "") + stmt->Text(i);
    out += "\n";
  }
  return out;
}

TEST(CliDialectTypes, ASqliteOverrideMigratesAPopulatedDatabase) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", kProject);
  // At tag b, `amount` gets an SQLite type of its own (cents as INTEGER) and
  // `email` a new PostgreSQL one, which SQLite never sees.
  dir.Write("schema/t.yaml",
            "tables:\n"
            "  - name: t\n"
            "    columns:\n"
            "      - {name: id, type: INTEGER, primary_key: true}\n"
            "      - name: email\n"
            "        type: TEXT\n"
            "        nullable: false\n"
            "        dialect_types: {postgres: citext}\n"
            "        changes:\n"
            "          b: {dialect_types: {postgres: varchar(320)}}\n"
            "      - name: amount\n"
            "        type: DECIMAL(10,2)\n"
            "        changes:\n"
            "          b: {dialect_types: {sqlite: INTEGER}}\n"
            "    indexes:\n"
            "      - {name: idx_t_email, columns: [email], unique: true}\n");
  ASSERT_EQ(RunStrata({"generate"}, dir.path()).exit_code, 0);
  testing::CommandResult r = RunStrata({"up", "--tag", "a"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "app.db").string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    EXPECT_EQ(Rows(*db, "SELECT type FROM pragma_table_info('t') WHERE name = 'amount'"), "DECIMAL(10,2)\n");
    ASSERT_TRUE(db->Exec("INSERT INTO t (id, email, amount) VALUES (1, 'a@x', 1250), (2, 'b@x', 399)").ok());
  }
  // INTEGER affinity is narrower than DECIMAL's: a type change like any other.
  r = RunStrata({"up"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("0020_b.up.sql is destructive (alter column \"t\".\"amount\" (type DECIMAL(10,2) -> INTEGER))"),
            std::string::npos)
      << r.err;
  r = RunStrata({"up", "--allow-destructive"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "app.db").string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    EXPECT_EQ(Rows(*db, "SELECT name, type FROM pragma_table_info('t') ORDER BY cid"),
              "id|INTEGER\nemail|TEXT\namount|INTEGER\n");
    EXPECT_EQ(Rows(*db, "SELECT id, email, amount, typeof(amount) FROM t ORDER BY id"),
              "1|a@x|1250|integer\n2|b@x|399|integer\n");
    EXPECT_EQ(Rows(*db, "SELECT name FROM pragma_index_list('t') WHERE origin = 'c'"), "idx_t_email\n");
  }
  r = RunStrata({"drift"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no drift at tag \"b\""), std::string::npos) << r.out;
  EXPECT_EQ(RunStrata({"generate", "--check"}, dir.path()).exit_code, 0);

  // Back down: the type the column had, the rows still there.
  r = RunStrata({"down"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "app.db").string());
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(Rows(*db, "SELECT type FROM pragma_table_info('t') WHERE name = 'amount'"), "DECIMAL(10,2)\n");
  EXPECT_EQ(Rows(*db, "SELECT count(*) FROM t"), "2\n");
  EXPECT_EQ(RunStrata({"drift"}, dir.path()).exit_code, 0);
}

}  // namespace
}  // namespace strata
