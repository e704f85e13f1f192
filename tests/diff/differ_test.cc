#include "diff/differ.h"

#include <gtest/gtest.h>

#include "diff/drift.h"
#include "yaml/load_helper.h"

namespace strata {
namespace {

// The changes between tag 0 and tag 1 of a small project, described.
std::vector<std::string> Changes(const std::string& tables_yaml) {
  testing::LoadOutcome r = testing::LoadFiles({{"schema/t.yaml", "tables:" + tables_yaml}},
                                              "project: p\ntags: [a, b]\n");
  EXPECT_TRUE(r.schema) << ::testing::PrintToString(r.diagnostics);
  if (!r.schema) return {};
  Schema from = r.schema->At(0), to = r.schema->At(1);
  std::vector<std::string> out;
  for (const Change& c : Diff(from, to, RenameHints::From(to))) out.push_back(Describe(c));
  return out;
}

TEST(Differ, EqualStatesHaveNoChanges) {
  EXPECT_TRUE(Changes(R"(
  - name: t
    columns: [{name: id, type: INTEGER, primary_key: true}]
)").empty());
}

TEST(Differ, AddsAndDropsTablesAndColumns) {
  EXPECT_EQ(Changes(R"(
  - name: kept
    columns:
      - {name: id, type: INTEGER}
      - {name: old, type: TEXT, removed: b}
      - {name: new, type: TEXT, since: b}
  - name: gone
    removed: b
    columns: [{name: id, type: INTEGER}]
  - name: fresh
    since: b
    columns: [{name: id, type: INTEGER}]
)"),
            (std::vector<std::string>{"add table \"fresh\"",
                                      "modify table \"kept\"\n  drop column \"kept\".\"old\"\n  add column \"kept\".\"new\"",
                                      "drop table \"gone\""}));
}

TEST(Differ, RenamesOnlyWhenDeclared) {
  EXPECT_EQ(Changes(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER}
      - name: nickname
        type: TEXT
        changes:
          b: {name: handle}
)"),
            (std::vector<std::string>{"modify table \"t\"\n  rename column \"t\".\"nickname\" to \"handle\""}));
  // Without the declaration, a similar name is a drop plus an add.
  EXPECT_EQ(Changes(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER}
      - {name: nickname, type: TEXT, removed: b}
      - {name: nick_name, type: TEXT, since: b}
)"),
            (std::vector<std::string>{
                "modify table \"t\"\n  drop column \"t\".\"nickname\"\n  add column \"t\".\"nick_name\""}));
}

TEST(Differ, ReportsWhatChangedInAColumnAndItsConstraints) {
  EXPECT_EQ(Changes(R"(
  - name: p
    columns: [{name: id, type: INTEGER, primary_key: true}]
  - name: t
    columns:
      - name: a
        type: TEXT
        changes:
          b: {type: INTEGER, nullable: false, default: 0}
    foreign_keys:
      - {columns: [a], references: {table: p}, since: b}
    indexes:
      - name: t_a
        columns: [a]
        changes:
          b: {columns: [a DESC]}
)"),
            (std::vector<std::string>{
                "modify table \"t\"\n  alter column \"t\".\"a\" (type TEXT -> INTEGER, add NOT NULL, default)\n"
                "  add foreign key \"t\"(a) -> \"p\"\n  drop index \"t_a\" on \"t\"\n  add index \"t_a\" on \"t\""}));
}

// A changed ON CONFLICT resolution is a change of the constraint; ABORT,
// SQLite's default, is the same as no clause.
TEST(Differ, ConflictResolutionsOfKeysAndConstraints) {
  EXPECT_EQ(Changes(R"(
  - name: t
    primary_key: [a, b]
    primary_key_on_conflict: ignore
    changes:
      b: {primary_key_on_conflict: replace}
    columns:
      - {name: a, type: TEXT, nullable: false, unique: true, changes: {b: {on_conflict: {unique: replace}}}}
      - {name: b, type: TEXT, nullable: false, on_conflict: fail, changes: {b: {on_conflict: rollback}}}
      - {name: c, type: TEXT}
    unique:
      - {columns: [b, c], on_conflict: ignore, removed: b}
      - {columns: [b, c], since: b}
)"),
            (std::vector<std::string>{
                "modify table \"t\"\n"
                "  alter column \"t\".\"a\" (UNIQUE ON CONFLICT ABORT -> REPLACE)\n"
                "  alter column \"t\".\"b\" (NOT NULL ON CONFLICT FAIL -> ROLLBACK)\n"
                "  change primary key of \"t\" (a, b) ON CONFLICT IGNORE -> (a, b) ON CONFLICT REPLACE\n"
                "  drop unique (b, c) ON CONFLICT IGNORE on \"t\"\n  add unique (b, c) on \"t\""}));
  EXPECT_TRUE(Changes(R"(
  - name: t
    columns:
      - {name: a, type: TEXT, unique: true, changes: {b: {on_conflict: abort}}}
      - {name: b, type: TEXT, unique: true, on_conflict: abort, changes: {b: {unique: true}}}
)").empty());
  // A resolution without its constraint compares as nothing: the column
  // changes only by becoming NOT NULL.
  EXPECT_EQ(Changes(R"(
  - name: t
    columns:
      - {name: a, type: TEXT, unique: true, on_conflict: replace, changes: {b: {nullable: false, default: x}}}
)"),
            (std::vector<std::string>{
                "modify table \"t\"\n  alter column \"t\".\"a\" (add NOT NULL, default)"}));
}

// A table option change says which option and which way, for the planner
// (SQLite rebuilds, PostgreSQL has nothing to do) and for drift.
TEST(Differ, TableOptionsChangeWithTheirNameAndDirection) {
  EXPECT_EQ(Changes(R"(
  - name: t
    strict: true
    columns: [{name: id, type: INTEGER, primary_key: true, nullable: false}]
    changes:
      b: {without_rowid: true, strict: false}
)"),
            (std::vector<std::string>{"modify table \"t\"\n  table \"t\" becomes WITHOUT ROWID and stops being STRICT"}));
  const Table t{.name = "t"};
  const std::vector<DriftItem> drift =
      DescribeDrift({ModifyTable{t, t, {ChangeTableOptions{{{"STRICT", true, false}}}}}});
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].finding, "is not STRICT instead of STRICT");
}

TEST(Differ, ReferenceRowsAreInsertedUpdatedAndDeletedByKey) {
  testing::LoadOutcome r = testing::LoadFiles({{"schema/t.yaml", R"(tables:
  - name: f
    columns:
      - {name: key, type: TEXT, primary_key: true}
      - {name: on, type: BOOLEAN}
    rows:
      values:
        - {key: a, on: true}
        - {key: b, on: false}
)"}}, "project: p\ntags: [a, b]\n");
  ASSERT_TRUE(r.schema);
  Schema from = r.schema->At(0), to = from;
  to.tables[0].rows[1].values[1].second = Value::Bool(true);
  to.tables[0].rows.erase(to.tables[0].rows.begin());
  to.tables[0].rows.push_back({{{"key", Value::Text("c")}}, {}});
  std::vector<Change> changes = Diff(from, to);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(Describe(changes[0]),
            "modify table \"f\"\n  update reference row of \"f\"\n  insert reference row into \"f\"\n"
            "  delete reference row from \"f\"");
  EXPECT_TRUE(IsDestructive(changes[0], {}));
  EXPECT_TRUE(Diff(from, to, {}, {.compare_rows = false}).empty());
}

TEST(Differ, InvertedHintsRenameBack) {
  RenameHints h;
  h.tables["new_t"] = "old_t";
  h.columns["new_t.new_c"] = "old_c";
  RenameHints inv = h.Inverted();
  EXPECT_EQ(inv.tables.at("old_t"), "new_t");
  EXPECT_EQ(inv.columns.at("old_t.old_c"), "new_c");
}

}  // namespace
}  // namespace strata
