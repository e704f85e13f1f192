// Every kind of bad input the loader must report, each with its exact
// position and message. All errors of a run are reported together, and a
// run with any error returns no schema.
#include <gtest/gtest.h>

#include "test_util.h"
#include "yaml/load_helper.h"

namespace strata {
namespace {

using testing::LoadFiles;
using testing::LoadOne;

// Expects the load to fail with exactly `expected` (sorted by position).
void ExpectErrors(const testing::LoadOutcome& r, const std::vector<std::string>& expected) {
  EXPECT_FALSE(r.schema) << "a schema with errors must not be returned";
  EXPECT_EQ(r.diagnostics, expected);
}

TEST(Diagnostics, MalformedYaml) {
  ExpectErrors(LoadOne("tables:\n  - name: x\n    columns: [\n"),
               {"schema/t.yaml:4:1: error: end of sequence flow not found"});
  ExpectErrors(LoadOne("tables:\n  - name: x\n   bad indent: 1\n"),
               {"schema/t.yaml:3:4: error: end of sequence not found"});
}

TEST(Diagnostics, DuplicateTableInOneFile) {
  ExpectErrors(LoadOne(R"(tables:
  - name: usage_tracking
    columns: [{name: id, type: INTEGER}]
  - name: Usage_Tracking
    columns: [{name: id, type: INTEGER}]
)"),
               {"schema/t.yaml:4:11: error: duplicate table \"Usage_Tracking\"\n"
                "schema/t.yaml:2:11: note: first defined here"});
}

TEST(Diagnostics, DuplicateTableAcrossFiles) {
  const char* table = "tables:\n  - name: usage_tracking\n    columns: [{name: id, type: INTEGER}]\n";
  ExpectErrors(LoadFiles({{"schema/a.yaml", table}, {"schema/b.yaml", table}}),
               {"schema/b.yaml:2:11: error: duplicate table \"usage_tracking\"\n"
                "schema/a.yaml:2:11: note: first defined here"});
}

TEST(Diagnostics, TriggerOrViewSqlMustBeItsCreateStatement) {
  ExpectErrors(LoadOne(R"(tables:
  - name: orders
    columns: [{name: id, type: INTEGER}]
    triggers:
      - name: t
        sql: BEFORE DELETE ON orders BEGIN SELECT 1; END
views:
  - name: v
    sql: SELECT * FROM orders
)"),
               {"schema/t.yaml:6:14: error: the sql of a trigger must be its whole CREATE TRIGGER statement",
                "schema/t.yaml:9:10: error: the sql of a view must be its whole CREATE VIEW statement"});
}

TEST(Diagnostics, DuplicateColumn) {
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    columns:
      - {name: email, type: TEXT}
      - {name: EMAIL, type: TEXT}
)"),
               {"schema/t.yaml:5:16: error: duplicate column \"EMAIL\" in table \"users\"\n"
                "schema/t.yaml:4:16: note: first defined here"});
}

TEST(Diagnostics, DuplicateYamlKeyIsNotSilentlyIgnored) {
  // yaml-cpp keeps both pairs and operator[] would find the first.
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    columns:
      - name: email
        type: TEXT
        type: INTEGER
)"),
               {"schema/t.yaml:6:9: error: duplicate key \"type\" in column\n"
                "schema/t.yaml:5:9: note: first defined here"});
}

TEST(Diagnostics, UnknownTypeSuggestsTheNearestOne) {
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    columns:
      - {name: a, type: TXET}
      - {name: b, type: VARCHAR(x)}
      - {name: c, type: WIBBLE}
      - {name: d, type: MEDIUMTEXT}
)"),
               {"schema/t.yaml:4:25: error: unknown type \"TXET\"; did you mean \"TEXT\"?",
                "schema/t.yaml:5:25: error: unknown type \"VARCHAR(x)\"; did you mean \"VARCHAR\"?",
                "schema/t.yaml:6:25: error: unknown type \"WIBBLE\"; a type strata does not know (a legacy database's) can be kept verbatim with \"sql_type\"",
                "schema/t.yaml:7:25: error: unknown type \"MEDIUMTEXT\"; a type strata does not know (a legacy "
                "database's) can be kept verbatim with \"sql_type\""});
}

TEST(Diagnostics, UnknownKeySuggestsTheNearestOne) {
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    descripton: accounts
    columns:
      - name: email
        type: TEXT
        nulable: false
        colour: blue
)"),
               {"schema/t.yaml:3:5: error: unknown key \"descripton\" in table; did you mean "
                "\"description\"?",
                "schema/t.yaml:7:9: error: unknown key \"nulable\" in column; did you mean \"nullable\"?",
                "schema/t.yaml:8:9: error: unknown key \"colour\" in column"});
}

TEST(Diagnostics, MissingRequiredKeysAndWrongShapes) {
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    columns:
      - name: email
      - type: TEXT
      - {name: ok, type: TEXT, nullable: maybe}
  - columns: oops
)"),
               {"schema/t.yaml:4:9: error: column is missing the required key \"type\"",
                "schema/t.yaml:5:9: error: column is missing the required key \"name\"",
                "schema/t.yaml:6:42: error: \"nullable\" must be true or false, found \"maybe\"",
                "schema/t.yaml:7:5: error: table is missing the required key \"name\""});
}

const char* kParents = R"(tables:
  - name: users
    columns:
      - {name: id, type: TEXT, primary_key: true}
      - {name: email, type: TEXT}
)";

TEST(Diagnostics, ForeignKeyToMissingTableOrColumn) {
  ExpectErrors(LoadFiles({{"schema/a.yaml", kParents}, {"schema/b.yaml", R"(tables:
  - name: content
    columns:
      - {name: user_id, type: TEXT}
    foreign_keys:
      - columns: [user_id]
        references: {table: userz, columns: [id]}
      - columns: [user_id]
        references: {table: users, columns: [idd]}
      - columns: [author_id]
        references: {table: users}
)"}}),
               {"schema/b.yaml:6:9: error: foreign key references table \"userz\", which does not exist",
                "schema/b.yaml:8:9: error: foreign key references column \"users.idd\", which does not "
                "exist\nschema/a.yaml:2:11: note: table \"users\" is defined here",
                "schema/b.yaml:10:9: error: foreign key names column \"author_id\", which table "
                "\"content\" does not have"});
}

TEST(Diagnostics, ForeignKeyColumnCountMismatchAndNonUniqueParent) {
  ExpectErrors(LoadFiles({{"schema/a.yaml", kParents}, {"schema/b.yaml", R"(tables:
  - name: content
    columns:
      - {name: user_id, type: TEXT}
    foreign_keys:
      - columns: [user_id]
        references: {table: users, columns: [id, email]}
      - columns: [user_id]
        references: {table: users, columns: [email]}
)"}}),
               {"schema/b.yaml:6:9: error: foreign key has 1 column(s) but references 2 column(s) of "
                "\"users\"",
                "schema/b.yaml:8:9: error: foreign key references \"email\" of \"users\", which is "
                "neither its primary key nor unique (SQLite reports \"foreign key mismatch\" on every "
                "write)"});
}

TEST(Diagnostics, IndexOnMissingColumn) {
  ExpectErrors(LoadOne(R"(tables:
  - name: usage_tracking
    columns:
      - {name: user_id, type: TEXT}
    indexes:
      - name: idx_usage_month
        columns: [user_id, month_year DESC]
      - name: idx_bad_order
        columns: [user_id DOWN]
)"),
               {"schema/t.yaml:6:15: error: index \"idx_usage_month\" names column \"month_year\", "
                "which table \"usage_tracking\" does not have",
                "schema/t.yaml:9:18: error: index column \"user_id DOWN\" must be a column name or a "
                "parenthesised expression, optionally followed by COLLATE name and ASC or DESC"});
}

TEST(Diagnostics, UndeclaredTag) {
  ExpectErrors(LoadOne(R"(tables:
  - name: users
    since: phase7
    columns:
      - {name: id, type: TEXT, since: phse1}
)"),
               {"schema/t.yaml:3:12: error: undeclared tag \"phase7\"; the project declares "
                "\"baseline\", \"phase1\" and \"phase2\" (did you mean \"phase1\"?)",
                "schema/t.yaml:5:39: error: undeclared tag \"phse1\"; the project declares "
                "\"baseline\", \"phase1\" and \"phase2\" (did you mean \"phase1\"?)"});
}

TEST(Diagnostics, ElementTaggedEarlierThanItsTable) {
  ExpectErrors(LoadOne(R"(tables:
  - name: teams
    since: phase1
    columns:
      - {name: id, type: TEXT, since: baseline}
    indexes:
      - {name: idx_teams_id, columns: [id], since: baseline}
)"),
               {"schema/t.yaml:5:39: error: column \"id\" is tagged \"baseline\", earlier than its "
                "table \"teams\" (\"phase1\")",
                "schema/t.yaml:7:52: error: index \"idx_teams_id\" is tagged \"baseline\", earlier than "
                "its table \"teams\" (\"phase1\")"});
}

TEST(Diagnostics, RemovedBeforeItAppears) {
  ExpectErrors(LoadOne(R"(tables:
  - name: teams
    since: phase1
    removed: baseline
    columns:
      - {name: id, type: TEXT}
)"),
               {"schema/t.yaml:4:14: error: table \"teams\" is removed at \"baseline\", not after it "
                "appears (\"phase1\")"});
}

TEST(Diagnostics, ReferenceRowWithMissingColumn) {
  ExpectErrors(LoadOne(R"(tables:
  - name: features
    columns:
      - {name: key, type: TEXT, unique: true}
      - {name: name, type: TEXT, nullable: false}
    rows:
      key: [key]
      values:
        - {key: voice, name: Voice, colour: red}
        - {key: white_label}
        - {name: no key}
)"),
               {"schema/t.yaml:9:11: error: row sets column \"colour\", which table \"features\" does "
                "not have",
                "schema/t.yaml:10:11: error: row of table \"features\" has no value for column "
                "\"name\", which is NOT NULL without a default",
                "schema/t.yaml:11:11: error: row of table \"features\" has no value for key column "
                "\"key\""});
}

TEST(Diagnostics, ConflictingColumnAttributes) {
  ExpectErrors(LoadOne(R"(tables:
  - name: t
    columns:
      - {name: a, type: TEXT, primary_key: true, autoincrement: true}
      - {name: b, type: TEXT, default: x, default_sql: CURRENT_TIMESTAMP}
      - {name: c, type: TEXT, collate: klingon}
    foreign_keys:
      - {columns: [a], references: {table: t}, on_delete: explode}
)"),
               {"schema/t.yaml:4:16: error: column \"a\": autoincrement needs an INTEGER primary_key "
                "column",
                "schema/t.yaml:5:56: error: a column has either \"default\" (a literal) or "
                "\"default_sql\" (an SQL expression), not both",
                "schema/t.yaml:6:40: error: unknown collation \"klingon\"; expected BINARY, NOCASE or "
                "RTRIM",
                "schema/t.yaml:8:59: error: unknown on_delete action \"explode\"; expected no_action, "
                "restrict, cascade, set_null or set_default"});
}

TEST(Diagnostics, OnConflictResolutions) {
  ExpectErrors(LoadOne(R"(tables:
  - name: t
    primary_key_on_conflict: replace
    columns:
      - {name: a, type: TEXT, unique: true, on_conflict: overwrite}
      - {name: b, type: TEXT, on_conflict: ignore}
      - {name: c, type: TEXT, nullable: false, on_conflict: {not_null: fail, unique: replace, uniq: ignore}}
      - {name: d, type: TEXT, unique: true, on_conflict: [ignore]}
    unique:
      - {columns: [a, b], on_conflict: skip}
)"),
               {"schema/t.yaml:3:30: error: primary_key_on_conflict applies to the table's primary_key list; a "
                "column's primary key takes on_conflict on the column",
                "schema/t.yaml:5:58: error: unknown on_conflict resolution \"overwrite\"; expected rollback, abort, "
                "fail, ignore or replace",
                "schema/t.yaml:6:44: error: on_conflict applies to a column's primary_key, NOT NULL (nullable: false) "
                "or unique; column \"b\" declares none of them",
                "schema/t.yaml:7:86: error: on_conflict \"unique\" applies to a column with unique: true; column "
                "\"c\" has none",
                "schema/t.yaml:7:95: error: unknown key \"uniq\" in on_conflict; did you mean \"unique\"?",
                "schema/t.yaml:8:58: error: \"on_conflict\" must be a single value, found a list",
                "schema/t.yaml:10:40: error: unknown on_conflict resolution \"skip\"; expected rollback, abort, fail, "
                "ignore or replace"});
}

TEST(Diagnostics, ErrorsOfEveryFileAreReportedTogether) {
  testing::LoadOutcome r = LoadFiles({{"schema/a.yaml", "tables:\n  - name: a\n    columns: [\n"},
                                      {"schema/b.yaml", "tables:\n  - name: b\n    colums: []\n"},
                                      {"schema/c.yaml", "tablez: []\n"}});
  EXPECT_FALSE(r.schema);
  EXPECT_EQ(r.diagnostics.size(), 4u) << ::testing::PrintToString(r.diagnostics);
}

TEST(Diagnostics, BadProjectFile) {
  ExpectErrors(LoadFiles({}, "project: p\ndialect: sqlite\ntags: [a, b, a]\ncolour: red\n"),
               {"schema/project.yaml:3:14: error: duplicate tag \"a\"",
                "schema/project.yaml:4:1: error: unknown key \"colour\" in the project file"});
  ExpectErrors(LoadFiles({}, "project: p\ndialect: sqlite\ndialects: [sqlite]\ntags: [a]\n"),
               {"schema/project.yaml:3:11: error: give either `dialect:` or `dialects:`, not both"});
  ExpectErrors(LoadFiles({}, "project: p\ndialects: [sqlite, sqlite]\ntags: [a]\n"),
               {"schema/project.yaml:2:20: error: dialect \"sqlite\" is listed twice"});
  ExpectErrors(LoadFiles({}, "project: p\n"),
               {"schema/project.yaml:1:1: error: the project file is missing the required key "
                "\"tags\""});
}

TEST(Diagnostics, MissingProjectFileInAFolder) {
  testing::TempDir dir;
  dir.Write("schema/t.yaml", "tables: []\n");
  Diagnostics d;
  EXPECT_FALSE(yaml::LoadSchemaDir(dir / "schema", d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.items()[0].ToString(),
            (dir / "schema" / "project.yaml").string() +
                ": error: project file not found; every schema folder needs a project.yaml naming "
                "the dialect and the tags");
}

}  // namespace
}  // namespace strata
