// Per-dialect type overrides on SQLite: the `sqlite` override is the type
// SQLite is given (CREATE TABLE, ADD COLUMN, rebuilds, postchecks, drift),
// and another dialect's override is invisible here, even when it is the
// only thing about a column that changes.
#include <gtest/gtest.h>

#include "diff/differ.h"
#include "migrate/generator.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"
#include "sqlite/sqlite_dialect.h"
#include "yaml/load_helper.h"

namespace strata::sqlite {
namespace {

const char* kProject =
    "project: test\n"
    "dialects: [sqlite, postgres]\n"
    "tags: [a, b]\n";

// At tag b, `email` changes only its PostgreSQL type, `note` only its SQLite one.
const char* kTables = R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: price
        type: DECIMAL(10,2)
        dialect_types: {postgres: 'numeric(12,2)', sqlite: INTEGER}
      - name: email
        type: TEXT
        dialect_types: {postgres: citext}
        changes:
          b: {dialect_types: {postgres: varchar(320)}}
      - name: note
        type: TEXT
        changes:
          b: {dialect_types: {sqlite: CLOB}}
)";

VersionedSchema Load(const std::string& tables = kTables) {
  testing::LoadOutcome r = testing::LoadFiles({{"schema/t.yaml", tables}}, kProject);
  EXPECT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  return r.schema ? *r.schema : VersionedSchema{};
}

Column Col(std::string name, std::string type, std::map<std::string, std::string, std::less<>> overrides) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.dialect_types = std::move(overrides);
  return c;
}

TEST(SqliteDialectTypes, TheWriterGivesSqliteItsOwnOverrideOnly) {
  EXPECT_EQ(ColumnDefinitionSql(Col("price", "DECIMAL(10,2)", {{"sqlite", "INTEGER"}, {"postgres", "numeric(12,2)"}})),
            "\"price\" INTEGER");
  EXPECT_EQ(ColumnDefinitionSql(Col("email", "TEXT", {{"postgres", "citext"}})), "\"email\" TEXT");
  EXPECT_EQ(DeclaredType(Col("legacy", "TEXT", {{"sqlite", "UNSIGNED BIG INT"}})), "UNSIGNED BIG INT");
}

TEST(SqliteDialectTypes, NormalizeKeepsTheSqliteTypeAndDropsOtherDialects) {
  const Schema b = Load().At(1);
  const Schema normalized = MakeDialect()->Normalize(b);
  const Table& t = normalized.tables.at(0);
  EXPECT_EQ(t.FindColumn("price")->type, "INTEGER");
  EXPECT_FALSE(t.FindColumn("price")->verbatim_type) << "a known type, as inspection reads it back";
  EXPECT_EQ(t.FindColumn("note")->type, "CLOB");
  EXPECT_EQ(t.FindColumn("email")->type, "TEXT");
  for (const Column& c : t.columns) EXPECT_TRUE(c.dialect_types.empty()) << c.name;
  // The same as a database created from the schema, and a second pass changes nothing.
  EXPECT_EQ(AsInspected(normalized), normalized);
}

TEST(SqliteDialectTypes, AChangeOfAnotherDialectsOverrideIsNoChangeHere) {
  const VersionedSchema schema = Load();
  const Schema a = schema.At(0), b = schema.At(1);
  // The neutral diff sees both columns change type...
  const std::vector<Change> changes = Diff(a, b);
  ASSERT_EQ(changes.size(), 1u);
  const auto& modify = std::get<ModifyTable>(changes[0]);
  ASSERT_EQ(modify.changes.size(), 2u);
  for (const TableChange& c : modify.changes) EXPECT_TRUE(std::get<ModifyColumn>(c).aspects & kColumnType);
  EXPECT_EQ(Describe(changes[0]),
            "modify table \"t\"\n"
            "  alter column \"t\".\"email\" (type TEXT (postgres: citext) -> TEXT (postgres: varchar(320)))\n"
            "  alter column \"t\".\"note\" (type TEXT -> TEXT (sqlite: CLOB))");
  // ...and SQLite keeps only its own.
  const std::vector<Change> resolved = ResolveDialectTypes(changes, kDialectName);
  ASSERT_EQ(resolved.size(), 1u);
  const auto& kept = std::get<ModifyTable>(resolved[0]);
  ASSERT_EQ(kept.changes.size(), 1u);
  const auto& note = std::get<ModifyColumn>(kept.changes[0]);
  EXPECT_EQ(note.to.name, "note");
  EXPECT_EQ(note.from.type, "TEXT");
  EXPECT_EQ(note.to.type, "CLOB");
  // PostgreSQL, the other way round.
  const std::vector<Change> for_postgres = ResolveDialectTypes(changes, "postgres");
  ASSERT_EQ(for_postgres.size(), 1u);
  const auto& pg = std::get<ModifyTable>(for_postgres[0]);
  ASSERT_EQ(pg.changes.size(), 1u);
  EXPECT_EQ(std::get<ModifyColumn>(pg.changes[0]).to.name, "email");
  EXPECT_EQ(std::get<ModifyColumn>(pg.changes[0]).to.type, "varchar(320)");
  // After Normalize, the diff itself finds only SQLite's change.
  const std::vector<Change> normalized = Diff(MakeDialect()->Normalize(a), MakeDialect()->Normalize(b));
  ASSERT_EQ(normalized.size(), 1u);
  EXPECT_EQ(std::get<ModifyTable>(normalized[0]).changes.size(), 1u);
}

TEST(SqliteDialectTypes, GeneratedMigrationsUseTheSqliteOverride) {
  const GenerateResult generated = GenerateMigrations(Load(), *MakeDialect(), {});
  const std::string& a = generated.files.at("0010_a.up.sql");
  EXPECT_NE(a.find("  \"price\" INTEGER,\n  \"email\" TEXT,\n  \"note\" TEXT\n"), std::string::npos) << a;
  // The postcheck expects what the table was given.
  EXPECT_NE(a.find("'id INTEGER 0 1, price INTEGER 0 0, email TEXT 0 0, ' || 'note TEXT 0 0'"), std::string::npos)
      << a;
  EXPECT_EQ(a.find("citext"), std::string::npos);
  EXPECT_EQ(a.find("numeric"), std::string::npos);

  // At b only `note` changes for SQLite: a rebuild with CLOB; `email`'s
  // PostgreSQL type is no business of this file.
  const std::string& b = generated.files.at("0020_b.up.sql");
  EXPECT_NE(b.find("-- changes: rebuild \"t\": column type change cannot use ALTER TABLE"), std::string::npos) << b;
  EXPECT_NE(b.find("  \"note\" CLOB\n"), std::string::npos) << b;
  EXPECT_EQ(b.find("varchar"), std::string::npos) << b;
  const std::string& down = generated.files.at("0020_b.down.sql");
  EXPECT_NE(down.find("  \"note\" TEXT\n"), std::string::npos) << down;
}

TEST(SqliteDialectTypes, OnlyAPostgresOverrideChangingPlansNothing) {
  const GenerateResult generated = GenerateMigrations(Load(R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        dialect_types: {postgres: citext}
        changes:
          b: {dialect_types: {postgres: varchar(320)}}
)"),
                                                      *MakeDialect(), {});
  const std::string& b = generated.files.at("0020_b.up.sql");
  EXPECT_EQ(b.find("-- changes:"), std::string::npos) << b;
  EXPECT_EQ(b.find("CREATE TABLE \"t"), std::string::npos) << "no rebuild:\n" << b;
}

// A type change is destructive when the new affinity is stricter: SQLite
// converts what it can and keeps the rest as it was, or a STRICT table
// refuses it.
TEST(SqliteDialectTypes, NarrowingFollowsTheAffinityOrder) {
  const DiffOptions rules = MakeDialect()->DiffRules();
  ASSERT_NE(rules.narrows, nullptr);
  const auto narrows = [&](const std::string& from, const std::string& to) {
    return rules.narrows(Column{.name = "c", .type = from}, Column{.name = "c", .type = to});
  };
  EXPECT_FALSE(narrows("INTEGER", "TEXT"));
  EXPECT_FALSE(narrows("INTEGER", "REAL"));
  EXPECT_FALSE(narrows("TEXT", "BLOB"));
  EXPECT_FALSE(narrows("TEXT", "ANY"));
  EXPECT_TRUE(narrows("TEXT", "INTEGER"));
  EXPECT_TRUE(narrows("REAL", "INTEGER"));
  EXPECT_TRUE(narrows("ANY", "TEXT"));
  EXPECT_TRUE(narrows("TEXT", "POINT")) << "\"INT\" anywhere gives INTEGER affinity";
}

TEST(SqliteDialectTypes, SqliteChecksItsOverrideItself) {
  // validate.cc sees INTEGER; SQLite is given BIGINT, and refuses AUTOINCREMENT on it.
  const VersionedSchema schema = Load(R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true, dialect_types: {sqlite: BIGINT}}
)");
  std::vector<std::string> problems;
  for (const SchemaProblem& p : MakeDialect()->Problems(schema.Latest()))
    problems.push_back(p.pos.ToString() + ": " + p.message);
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "schema/t.yaml:2:11: table \"t\": AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY (code 1)"}));
}

}  // namespace
}  // namespace strata::sqlite
