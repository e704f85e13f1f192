#include "yaml/loader.h"

#include <gtest/gtest.h>

#include "yaml/load_helper.h"
#include "test_util.h"

namespace strata {
namespace {

using testing::LoadOne;

const char* kUsers = R"(tables:
  - name: users
    description: accounts
    columns:
      - name: id
        type: text
        primary_key: true
      - name: email
        type: TEXT
        nullable: false
        unique: true
        collate: nocase
      - name: lang
        type: TEXT
        default: en
      - name: quoted_number
        type: TEXT
        default: '42'
      - name: score
        type: INTEGER
        default: -3
        check: score >= -10
      - name: ratio
        type: DECIMAL(5, 2)
        default: 1.5
      - name: verified
        type: BOOLEAN
        default: false
      - name: created_at
        type: DATETIME
        default_sql: CURRENT_TIMESTAMP
      - name: nickname
        type: TEXT
        since: phase1
        changes:
          phase2: {name: handle, nullable: false, default: ''}
    indexes:
      - name: idx_users_score
        columns: [score DESC, lang]
        where: score > 0
        since: phase1
queries:
  - name: by_email
    sql: SELECT id FROM users WHERE email = ?
)";

TEST(Loader, ReadsEveryColumnAttribute) {
  testing::LoadOutcome r = LoadOne(kUsers);
  ASSERT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  Schema s = r.schema->At(0);
  ASSERT_EQ(s.tables.size(), 1u);
  const Table& t = s.tables[0];
  EXPECT_EQ(t.description, "accounts");
  ASSERT_EQ(t.columns.size(), 8u);  // nickname only from phase1
  EXPECT_EQ(t.columns[0].type, "TEXT");
  EXPECT_TRUE(t.columns[0].primary_key);
  EXPECT_FALSE(t.columns[1].nullable);
  EXPECT_TRUE(t.columns[1].unique);
  EXPECT_EQ(t.columns[1].collation, "NOCASE");
  EXPECT_EQ(t.columns[2].default_value, DefaultValue::Literal(Value::Text("en")));
  EXPECT_EQ(t.columns[3].default_value, DefaultValue::Literal(Value::Text("42")));
  EXPECT_EQ(t.columns[4].default_value, DefaultValue::Literal(Value::Int(-3)));
  EXPECT_EQ(t.columns[4].check, "score >= -10");
  EXPECT_EQ(t.columns[5].type, "DECIMAL(5,2)");
  EXPECT_EQ(t.columns[5].default_value, DefaultValue::Literal(Value::Real(1.5)));
  EXPECT_EQ(t.columns[6].default_value, DefaultValue::Literal(Value::Bool(false)));
  EXPECT_EQ(t.columns[7].default_value, DefaultValue::Sql("CURRENT_TIMESTAMP"));
  EXPECT_TRUE(t.indexes.empty());
  EXPECT_EQ(s.queries.size(), 1u);
}

TEST(Loader, ComputesTheStateAtEachTag) {
  testing::LoadOutcome r = LoadOne(kUsers);
  ASSERT_TRUE(r.schema);
  Schema phase1 = r.schema->At(1);
  const Table& t1 = phase1.tables[0];
  ASSERT_EQ(t1.columns.size(), 9u);
  EXPECT_EQ(t1.columns[8].name, "nickname");
  EXPECT_TRUE(t1.columns[8].nullable);
  ASSERT_EQ(t1.indexes.size(), 1u);
  EXPECT_EQ(t1.indexes[0].parts[0].column, "score");
  EXPECT_TRUE(t1.indexes[0].parts[0].descending);
  EXPECT_FALSE(t1.indexes[0].parts[1].descending);
  EXPECT_EQ(t1.indexes[0].where, "score > 0");

  Schema phase2 = r.schema->At(2);
  const Column& handle = phase2.tables[0].columns[8];
  EXPECT_EQ(handle.name, "handle");
  EXPECT_EQ(handle.renamed_from, "nickname");
  EXPECT_FALSE(handle.nullable);
  EXPECT_EQ(handle.default_value, DefaultValue::Literal(Value::Text("")));
}

TEST(Loader, ReadsTablesAcrossFilesAndReferenceRows) {
  testing::LoadOutcome r = testing::LoadFiles(
      {{"schema/a.yaml", R"(tables:
  - name: features
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: key, type: TEXT, nullable: false, unique: true}
      - {name: starter, type: BOOLEAN, default: false}
    rows:
      key: [key]
      values:
        - {key: voice, starter: true}
        - {key: "white label"}
)"},
       {"schema/b.yaml", R"(tables:
  - name: user_features
    since: phase1
    columns:
      - {name: feature_key, type: TEXT, nullable: false}
    foreign_keys:
      - columns: [feature_key]
        references: {table: features, columns: [key]}
        on_delete: cascade
)"}});
  ASSERT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  EXPECT_EQ(r.schema->At(0).tables.size(), 1u);
  Schema s = r.schema->Latest();
  ASSERT_EQ(s.tables.size(), 2u);
  ASSERT_EQ(s.tables[0].rows.size(), 2u);
  EXPECT_EQ(*s.tables[0].rows[0].Find("starter"), Value::Bool(true));
  EXPECT_EQ(s.tables[0].row_key, std::vector<std::string>{"key"});
  EXPECT_EQ(s.tables[1].foreign_keys[0].on_delete, FkAction::kCascade);
}

// `on_conflict` on a column: one word for every constraint it declares, or
// a map by constraint; `primary_key_on_conflict` for the table's key;
// `on_conflict` on a UNIQUE constraint. Changes set them like any attribute.
TEST(Loader, ReadsOnConflictResolutions) {
  testing::LoadOutcome r = LoadOne(R"(tables:
  - name: t
    primary_key: [a, b]
    primary_key_on_conflict: IGNORE
    columns:
      - {name: a, type: TEXT, nullable: false, on_conflict: fail}
      - name: b
        type: TEXT
        nullable: false
        unique: true
        on_conflict: {not_null: ignore, unique: replace}
        changes:
          phase1: {on_conflict: {unique: rollback}}
      - {name: c, type: TEXT, unique: true, on_conflict: abort}
    unique:
      - {columns: [a, c], on_conflict: replace}
  - name: u
    columns:
      - {name: id, type: INTEGER, primary_key: true, on_conflict: replace}
)");
  ASSERT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  const Schema baseline = r.schema->At(0);
  const Table& t = baseline.tables[0];
  EXPECT_EQ(t.primary_key_on_conflict, ConflictResolution::kIgnore);
  EXPECT_EQ(t.columns[0].not_null_on_conflict, ConflictResolution::kFail);
  EXPECT_EQ(t.columns[1].not_null_on_conflict, ConflictResolution::kIgnore);
  EXPECT_EQ(t.columns[1].unique_on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(t.columns[2].unique_on_conflict, ConflictResolution::kAbort);
  ASSERT_EQ(t.uniques.size(), 1u);
  EXPECT_EQ(t.uniques[0].on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(baseline.tables[1].columns[0].primary_key_on_conflict, ConflictResolution::kReplace);

  const Schema phase1 = r.schema->At(1);
  EXPECT_EQ(phase1.tables[0].columns[1].not_null_on_conflict, ConflictResolution::kIgnore) << "kept";
  EXPECT_EQ(phase1.tables[0].columns[1].unique_on_conflict, ConflictResolution::kRollback);
}

TEST(Loader, LoadsTheChefSocialSchemaAtEveryTag) {
  Diagnostics d;
  std::optional<VersionedSchema> vs = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(vs) << d.items().front().ToString();
  EXPECT_TRUE(d.empty());
  ASSERT_EQ(vs->project.tags,
            (std::vector<std::string>{"baseline", "phase1", "phase2", "phase3", "phase4"}));
  const std::vector<size_t> tables_at = {6, 6, 9, 14, 17};
  for (int tag = 0; tag <= vs->project.last_tag(); ++tag)
    EXPECT_EQ(vs->At(tag).tables.size(), tables_at[tag]) << vs->project.tags[tag];

  // The live database got the first, shorter usage_tracking definition.
  const Schema at_baseline = vs->At(0), at_phase1 = vs->At(1);
  const Table* baseline = at_baseline.FindTable("usage_tracking");
  const Table* phase1 = at_phase1.FindTable("usage_tracking");
  ASSERT_TRUE(baseline && phase1);
  EXPECT_TRUE(baseline->uniques.empty());
  ASSERT_EQ(phase1->uniques.size(), 1u);
  EXPECT_EQ(phase1->uniques[0].columns, (std::vector<std::string>{"user_id", "month_year"}));
  EXPECT_LT(baseline->columns.size(), phase1->columns.size());
  EXPECT_EQ(at_baseline.FindTable("features")->rows.size(), 9u);
}

}  // namespace
}  // namespace strata
