// A column's per-dialect type overrides (`dialect_types`): what the loader
// accepts, every bad input with its exact position and message, and the
// writer (`strata inspect`'s output) giving back what it was given.
#include <gtest/gtest.h>

#include "yaml/load_helper.h"
#include "yaml/writer.h"

namespace strata {
namespace {

using testing::LoadFiles;

const char* kBothDialects =
    "project: test\n"
    "dialects: [sqlite, postgres]\n"
    "tags: [a, b, c]\n";

testing::LoadOutcome LoadForBoth(const std::string& tables) {
  return LoadFiles({{"schema/t.yaml", tables}}, kBothDialects);
}

void ExpectErrors(const testing::LoadOutcome& r, const std::vector<std::string>& expected) {
  EXPECT_FALSE(r.schema) << "a schema with errors must not be returned";
  EXPECT_EQ(r.diagnostics, expected);
}

const Column& ColumnOf(const Schema& s, const std::string& name) {
  const Column* c = s.tables.at(0).FindColumn(name);
  EXPECT_NE(c, nullptr) << name;
  static const Column none;
  return c ? *c : none;
}

TEST(DialectTypes, AreReadAsWrittenAndChangeByTagAsAWhole) {
  testing::LoadOutcome r = LoadForBoth(R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        dialect_types: {postgres: citext}
        changes:
          b: {dialect_types: {postgres: varchar(320), sqlite: CLOB}}
          c: {dialect_types: {}}
      - name: price
        type: DECIMAL(10,2)
        dialect_types:
          sqlite: INTEGER
          postgres: " numeric(12, 2) "
      - name: legacy
        sql_type: MEDIUMTEXT
        dialect_types: {postgres: double precision}
        changes:
          b: {type: TEXT}
)");
  ASSERT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  const Schema a = r.schema->At(0), b = r.schema->At(1), c = r.schema->At(2);

  const Column& email = ColumnOf(a, "email");
  EXPECT_EQ(email.type, "TEXT");
  ASSERT_NE(email.DialectType("postgres"), nullptr);
  EXPECT_EQ(*email.DialectType("postgres"), "citext");
  EXPECT_EQ(email.DialectType("sqlite"), nullptr) << "SQLite uses the type";
  // A change's map replaces the old one; {} drops every override.
  EXPECT_EQ(ColumnOf(b, "email").dialect_types,
            (decltype(email.dialect_types){{"postgres", "varchar(320)"}, {"sqlite", "CLOB"}}));
  EXPECT_TRUE(ColumnOf(c, "email").dialect_types.empty());
  EXPECT_EQ(ColumnOf(c, "email").type, "TEXT");

  // Trimmed, otherwise as written; the type stays canonical.
  const Column& price = ColumnOf(a, "price");
  EXPECT_EQ(price.type, "DECIMAL(10,2)");
  EXPECT_EQ(price.dialect_types, (decltype(price.dialect_types){{"postgres", "numeric(12, 2)"}, {"sqlite", "INTEGER"}}));

  // An override sits beside a verbatim type too, and a change of the type keeps it.
  EXPECT_TRUE(ColumnOf(a, "legacy").verbatim_type);
  EXPECT_EQ(*ColumnOf(a, "legacy").DialectType("postgres"), "double precision");
  EXPECT_EQ(ColumnOf(b, "legacy").type, "TEXT");
  EXPECT_EQ(*ColumnOf(b, "legacy").DialectType("postgres"), "double precision");
}

TEST(DialectTypes, EveryBadOverrideIsReportedAtItsPosition) {
  ExpectErrors(LoadForBoth(R"(tables:
  - name: t
    columns:
      - {name: a, type: TEXT, dialect_types: {postgress: citext}}
      - {name: b, type: TEXT, dialect_types: {mysql: text, Postgres: text}}
      - {name: c, type: TEXT, dialect_types: {postgres: "citext; DROP TABLE t"}}
      - {name: d, type: TEXT, dialect_types: {postgres: 'numeric(10'}}
      - {name: e, type: TEXT, dialect_types: {postgres: text -- note}}
      - {name: f, type: TEXT, dialect_types: {sqlite: ''}}
      - {name: g, type: TEXT, dialect_types: {postgres: }}
      - {name: h, type: TEXT, dialect_types: citext}
      - {name: i, type: TEXT, dialect_types: [postgres, citext]}
      - {name: j, type: TEXT, dialect_types: {postgres: [citext]}}
      - {name: k, type: TEXT, dialect_types: {postgres: citext, postgres: text}}
      - {name: l, type: TEXT, dialect_types: {postgres: "text /* x */"}}
      - {name: m, type: TEXT, dialect_types: {postgres: "\"char\""}}
)"),
               {"schema/t.yaml:4:47: error: undeclared dialect \"postgress\" in dialect_types; the project generates "
                "for \"sqlite\" and \"postgres\" (did you mean \"postgres\"?)",
                "schema/t.yaml:5:47: error: undeclared dialect \"mysql\" in dialect_types; the project generates for "
                "\"sqlite\" and \"postgres\"; an override applies to a dialect listed under `dialects:` in the "
                "project file",
                "schema/t.yaml:5:60: error: undeclared dialect \"Postgres\" in dialect_types; the project generates "
                "for \"sqlite\" and \"postgres\" (did you mean \"postgres\"?)",
                "schema/t.yaml:6:57: error: dialect_types \"postgres\": \"citext; DROP TABLE t\" is not a type name: "
                "it may hold words, numbers and one parenthesised list",
                "schema/t.yaml:7:57: error: dialect_types \"postgres\": \"numeric(10\" is not a type name: it may "
                "hold words, numbers and one parenthesised list",
                "schema/t.yaml:8:57: error: dialect_types \"postgres\": \"text -- note\" is not a type name: it may "
                "hold words, numbers and one parenthesised list",
                "schema/t.yaml:9:55: error: dialect_types \"sqlite\" is empty; give the type sqlite should use, or "
                "leave the dialect out",
                "schema/t.yaml:10:47: error: dialect_types \"postgres\" is empty; give the type postgres should use, "
                "or leave the dialect out",
                "schema/t.yaml:11:46: error: dialect_types must be a map of keys, found a scalar",
                "schema/t.yaml:12:46: error: dialect_types must be a map of keys, found a list",
                "schema/t.yaml:13:57: error: dialect_types \"postgres\" must be a single value, found a list",
                "schema/t.yaml:14:65: error: duplicate key \"postgres\" in dialect_types\n"
                "schema/t.yaml:14:47: note: first defined here",
                "schema/t.yaml:15:57: error: dialect_types \"postgres\": \"text /* x */\" is not a type name: it may "
                "hold words, numbers and one parenthesised list",
                "schema/t.yaml:16:57: error: dialect_types \"postgres\": \"\\\"char\\\"\" is not a type name: it may "
                "hold words, numbers and one parenthesised list"});
}

TEST(DialectTypes, ACommaInAFlowMapIsExplainedOnce) {
  // YAML ends a plain value at a comma inside {...}: "numeric(10" and a key "2)".
  ExpectErrors(LoadForBoth(R"(tables:
  - name: t
    columns:
      - {name: price, type: TEXT, dialect_types: {postgres: numeric(10,2), sqlite: INTEGER}}
)"),
               {"schema/t.yaml:4:61: error: dialect_types \"postgres\": \"numeric(10\" is not a type name: it may "
                "hold words, numbers and one parenthesised list; in a map written {...} a comma ends the value, so "
                "quote a type that holds one: {postgres: 'numeric(10,2)'}"});
}

TEST(DialectTypes, OnlyForADialectTheProjectGeneratesFor) {
  // An override for a dialect the project does not list would never be
  // rendered or checked: refused, with the way to make it count.
  ExpectErrors(LoadFiles({{"schema/t.yaml", R"(tables:
  - name: t
    columns:
      - name: email
        type: TEXT
        dialect_types:
          postgres: citext
)"}}),
               {"schema/t.yaml:7:11: error: undeclared dialect \"postgres\" in dialect_types; the project generates "
                "for \"sqlite\"; an override applies to a dialect listed under `dialects:` in the project file"});
}

TEST(DialectTypes, SqlTypeRefusesACommentThatWouldHideTheRestOfTheColumn) {
  // The same check as an override's: "-- ..." would swallow NOT NULL, DEFAULT and the comma after the type.
  ExpectErrors(testing::LoadOne(R"(tables:
  - name: t
    columns:
      - {name: a, sql_type: TEXT -- legacy, nullable: false}
)"),
               {"schema/t.yaml:4:29: error: sql_type \"TEXT -- legacy\" is not a type name: it may hold words, "
                "numbers and one parenthesised list"});
}

TEST(DialectTypes, TheWriterRoundTripsThem) {
  testing::LoadOutcome r = LoadForBoth(R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: email, type: TEXT, nullable: false, dialect_types: {postgres: citext}}
      - name: price
        type: DECIMAL(10,2)
        dialect_types: {postgres: 'numeric(12,2)', sqlite: INTEGER}
      - {name: ratio, sql_type: DOUBLE PRECISION, dialect_types: {postgres: double precision}}
      - {name: plain, type: TEXT}
)");
  ASSERT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  const Schema written = r.schema->Latest();
  const std::map<std::string, std::string> files = yaml::WriteSchemaFiles(r.schema->project, written);
  ASSERT_TRUE(files.count("tables/t.yaml"));
  const std::string& table = files.at("tables/t.yaml");
  EXPECT_NE(table.find("dialect_types: {postgres: citext}"), std::string::npos) << table;
  EXPECT_EQ(table.find("name: plain\n        type: TEXT\n        dialect_types"), std::string::npos)
      << "no key for a column without overrides:\n" << table;

  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& [name, text] : files)
    if (name != "project.yaml") sources.emplace_back("schema/" + name, text);
  testing::LoadOutcome again = LoadFiles(sources, files.at("project.yaml"));
  ASSERT_TRUE(again.schema) << ::testing::PrintToString(again.diagnostics) << "\n" << table;
  const Schema read = again.schema->Latest();
  ASSERT_EQ(read.tables.size(), 1u);
  ASSERT_EQ(read.tables[0].columns.size(), written.tables[0].columns.size());
  for (size_t i = 0; i < read.tables[0].columns.size(); ++i) {
    const Column &x = written.tables[0].columns[i], &y = read.tables[0].columns[i];
    EXPECT_EQ(x.type, y.type) << x.name;
    EXPECT_EQ(x.verbatim_type, y.verbatim_type) << x.name;
    EXPECT_EQ(x.dialect_types, y.dialect_types) << x.name;
  }
}

}  // namespace
}  // namespace strata
