// Index edits written into schema files as text (yaml/schema_edit): the
// exact text each layout gets (block and flow entries, flow lists, a table
// without `indexes:`), what is skipped and why, and the layouts an edit
// refuses rather than change something else.
#include "yaml/schema_edit.h"

#include <gtest/gtest.h>

#include "base/text_diff.h"

namespace strata {
namespace {

using yaml::IndexEditRequest;
using yaml::IndexEdits;
using yaml::IndexToAdd;
using yaml::IndexToDrop;

constexpr const char* kTablesPath = "schema/tables.yaml";

std::vector<yaml::SourceFile> Sources(const std::string& tables, const std::string& tags = "[v1, v2]") {
  return {{"schema/project.yaml", "project: shop\ndialect: sqlite\ntags: " + tags + "\n"}, {kTablesPath, tables}};
}

// The edited text of the tables file ("" when it is not edited).
std::string After(const IndexEdits& edits) {
  for (const yaml::EditedFile& f : edits.files)
    if (f.path == kTablesPath) return f.after;
  return "";
}

const char* kBlock = R"(# Orders and their lines.
tables:
  - name: orders   # the big one
    large: true
    columns:
      - name: id
        type: INTEGER
        primary_key: true
      - name: customer
        type: TEXT
      - name: status
        type: TEXT

    indexes:
      # by customer: the account page
      - name: idx_orders_customer
        columns: [customer]
        since: v1   # from the start
        description: Account page
      - name: idx_orders_customer_status
        columns: [customer, status]
        # keep an eye on this one

    # triggers come next
  - name: lines
    columns:
      - {name: id, type: INTEGER, primary_key: true}
)";

TEST(SchemaEdit, BlockEntriesGetRemovedAfterSinceAndANewEntryAfterTheLastOne) {
  IndexEditRequest request{0, 1, {}, {}};
  request.add.push_back({"orders", "idx_orders_status", {"status"}, "strata explain at v1: query x reads every row"});
  request.drop.push_back({"orders", "idx_orders_customer", "idx_orders_customer_status", "a left prefix of (customer, status)"});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(kBlock), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_EQ(After(*edits), R"(# Orders and their lines.
tables:
  - name: orders   # the big one
    large: true
    columns:
      - name: id
        type: INTEGER
        primary_key: true
      - name: customer
        type: TEXT
      - name: status
        type: TEXT

    indexes:
      # by customer: the account page
      - name: idx_orders_customer
        columns: [customer]
        since: v1   # from the start
        removed: v2  # a left prefix of (customer, status)
        description: Account page
      - name: idx_orders_customer_status
        columns: [customer, status]
        # keep an eye on this one
      - name: idx_orders_status
        columns: [status]
        description: "strata explain at v1: query x reads every row"
        since: v2

    # triggers come next
  - name: lines
    columns:
      - {name: id, type: INTEGER, primary_key: true}
)");
  ASSERT_EQ(edits->added.size(), 1u);
  EXPECT_TRUE(edits->added[0].written);
  EXPECT_EQ(edits->added[0].name, "idx_orders_status");
  EXPECT_EQ(edits->added[0].pos.ToString(), "schema/tables.yaml:24:1");
  ASSERT_EQ(edits->dropped.size(), 1u);
  EXPECT_TRUE(edits->dropped[0].written);
  EXPECT_EQ(edits->dropped[0].pos.line, 19);
  EXPECT_EQ(UnifiedDiff("t", edits->files[0].before, edits->files[0].after, 0),
            "--- t\n+++ t\n@@ -18,0 +19,1 @@\n+        removed: v2  # a left prefix of (customer, status)\n"
            "@@ -22,0 +24,4 @@\n+      - name: idx_orders_status\n+        columns: [status]\n"
            "+        description: \"strata explain at v1: query x reads every row\"\n+        since: v2\n");
}

TEST(SchemaEdit, FlowEntriesStayFlowAndATableWithoutIndexesGetsTheKey) {
  const std::string tables = R"(tables:
  - name: orders
    large: true
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer, type: TEXT}
      - {name: status, type: TEXT}
    indexes:
      - {name: idx_orders_customer, columns: [customer]}
      - {name: idx_orders_customer_2, columns: [customer], since: v1}  # twin
  - name: customers
    columns:
      - name: id
        type: INTEGER
        primary_key: true
      - name: email
        type: TEXT
    # reference data
    rows: {key: [id], values: [{id: 1, email: a}]}
)";
  IndexEditRequest request{0, 1, {}, {}};
  request.add.push_back({"orders", "idx_orders_status", {"status"}, "for x"});
  request.add.push_back({"customers", "idx_customers_email", {"email"}, "for y"});
  request.drop.push_back({"orders", "idx_orders_customer_2", "idx_orders_customer", "twin"});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_EQ(After(*edits), R"(tables:
  - name: orders
    large: true
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer, type: TEXT}
      - {name: status, type: TEXT}
    indexes:
      - {name: idx_orders_customer, columns: [customer]}
      - {name: idx_orders_customer_2, columns: [customer], since: v1, removed: v2}  # twin
      - {name: idx_orders_status, columns: [status], description: "for x", since: v2}
  - name: customers
    columns:
      - name: id
        type: INTEGER
        primary_key: true
      - name: email
        type: TEXT
    indexes:
      - name: idx_customers_email
        columns: [email]
        description: "for y"
        since: v2
    # reference data
    rows: {key: [id], values: [{id: 1, email: a}]}
)");
  EXPECT_EQ(edits->added[1].pos.line, 20);
}

TEST(SchemaEdit, FlowListsEmptyListsAndFlowTables) {
  const std::string tables = R"(tables:
  - name: a
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: [{name: idx_a_id_x, columns: [id, x]}]
  - name: b
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: [ ]
  - {name: c, columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]}
  - name: d
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes:   # none yet
  - name: e
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: ~
)";
  IndexEditRequest request{0, 1, {}, {}};
  for (const char* t : {"a", "b", "c", "d", "e"})
    request.add.push_back({t, std::string("idx_") + t + "_x", {"x"}, ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_EQ(After(*edits), R"(tables:
  - name: a
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: [{name: idx_a_id_x, columns: [id, x]}, {name: idx_a_x, columns: [x], since: v2}]
  - name: b
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: [{name: idx_b_x, columns: [x], since: v2} ]
  - {name: c, columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}], indexes: [{name: idx_c_x, columns: [x], since: v2}]}
  - name: d
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes:   # none yet
      - name: idx_d_x
        columns: [x]
        since: v2
  - name: e
    columns: [{name: id, type: INTEGER, primary_key: true}, {name: x, type: TEXT}]
    indexes: [{name: idx_e_x, columns: [x], since: v2}]
)");
}

const char* kLifecycles = R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: x, type: TEXT}
      - {name: y, type: TEXT, removed: v2}
    indexes:
      - name: idx_t_x
        columns: [x]
        removed: v3   # was planned for later
      - name: idx_t_x_2
        columns: [x]
        removed: v2
      - name: idx_t_id_x
        columns: [id, x]
        since: v2
)";

TEST(SchemaEdit, AnEarlierRemovalReplacesALaterOneAndDoneOrObsoleteChangesAreSkipped) {
  IndexEditRequest request{0, 1, {}, {}};
  request.drop.push_back({"t", "idx_t_x", "", ""});
  request.drop.push_back({"t", "idx_t_x_2", "", ""});
  request.drop.push_back({"t", "idx_t_x", "idx_t_x_2", ""});  // the index that would serve is gone at v2
  request.add.push_back({"t", "idx_t_y", {"y"}, ""});         // the column is gone at v2
  request.add.push_back({"t", "idx_t_id", {"id"}, ""});       // idx_t_id_x serves it from v2
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(kLifecycles, "[v1, v2, v3]"), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_NE(After(*edits).find("        removed: v2   # was planned for later\n"), std::string::npos) << After(*edits);
  EXPECT_TRUE(edits->dropped[0].written);
  EXPECT_EQ(edits->dropped[1].skipped, "it is removed at tag \"v2\" already");
  EXPECT_EQ(edits->dropped[2].skipped, "index \"idx_t_x_2\", which serves its lookups, is not there at tag \"v2\"");
  EXPECT_EQ(edits->added[0].skipped, "table \"t\" has no column \"y\" at tag \"v2\"");
  EXPECT_EQ(edits->added[1].skipped, "index \"idx_t_id_x\" (id, x) serves it at tag \"v2\"");
}

TEST(SchemaEdit, ATakenNameGetsASuffixAndNothingToDoEditsNoFile) {
  IndexEditRequest request{1, 2, {}, {}};
  request.add.push_back({"t", "idx_t_x", {"x"}, ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(kLifecycles, "[v1, v2, v3]"), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_EQ(edits->added[0].name, "idx_t_x_3") << "idx_t_x is there until v3 and idx_t_x_2 until v2";

  IndexEditRequest nothing{0, 1, {}, {}};
  nothing.drop.push_back({"t", "idx_t_x_2", "", ""});
  edits = yaml::EditIndexes(Sources(kLifecycles, "[v1, v2, v3]"), nothing);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_TRUE(edits->files.empty());
  EXPECT_FALSE(edits->dropped[0].written);
}

TEST(SchemaEdit, KeepsCrlfLineBreaksAndAFileWithoutAFinalOne) {
  const std::string tables =
      "tables:\r\n  - name: t\r\n    columns:\r\n      - {name: id, type: INTEGER, primary_key: true}\r\n"
      "      - {name: x, type: TEXT}\r\n    indexes:\r\n      - name: idx_t_id_x\r\n        columns: [id, x]";
  IndexEditRequest request{0, 1, {}, {}};
  request.drop.push_back({"t", "idx_t_id_x", "", "why"});
  request.add.push_back({"t", "idx_t_x", {"x"}, ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_EQ(After(*edits), tables +
                               "\r\n        removed: v2  # why\r\n      - name: idx_t_x\r\n        columns: [x]\r\n"
                               "        since: v2\r\n");
}

TEST(SchemaEdit, ANameOrColumnThatIsNotAPlainWordIsQuoted) {
  const std::string tables = R"(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: "odd name", type: TEXT}
      - {name: "true", type: TEXT}
    indexes: []
)";
  IndexEditRequest request{0, 1, {}, {}};
  request.add.push_back({"t", "idx t", {"odd name", "true"}, "say \"why\"\n"});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables), request);
  ASSERT_TRUE(edits.ok()) << edits.status().message();
  EXPECT_NE(After(*edits).find(R"(indexes: [{name: "idx t", columns: ["\"odd name\"", "true"], description: "say \"why\"\n", since: v2}])"),
            std::string::npos)
      << After(*edits);
}

TEST(SchemaEdit, ATableOrIndexTheSchemaDoesNotDeclareIsAnError) {
  IndexEditRequest request{0, 1, {}, {}};
  request.add.push_back({"nowhere", "idx_nowhere_x", {"x"}, ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(kBlock), request);
  ASSERT_FALSE(edits.ok());
  EXPECT_EQ(edits.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(edits.status().message().find("table \"nowhere\" is not declared at tag \"v1\""), std::string::npos)
      << edits.status().message();

  request = {0, 1, {}, {}};
  request.drop.push_back({"orders", "idx_orders_gone", "", ""});
  edits = yaml::EditIndexes(Sources(kBlock), request);
  ASSERT_FALSE(edits.ok());
  EXPECT_NE(edits.status().message().find("index \"idx_orders_gone\" of table \"orders\" is not declared"),
            std::string::npos)
      << edits.status().message();

  request = {1, 1, {}, {}};
  EXPECT_FALSE(yaml::EditIndexes(Sources(kBlock), request).ok()) << "the changes must come after the advice";
}

TEST(SchemaEdit, AnIndexListWrittenAsAnAliasIsNotEdited) {
  // Table `old` goes at v2 and `fresh` arrives with the same list: legal,
  // and an edit of the list would change both.
  const std::string tables = R"(tables:
  - name: old
    removed: v2
    columns: [{name: x, type: TEXT}]
    indexes: &shared
      - {name: idx_x, columns: [x]}
  - name: fresh
    since: v2
    columns: [{name: x, type: TEXT}]
    indexes: *shared
)";
  IndexEditRequest request{1, 2, {}, {}};
  request.drop.push_back({"fresh", "idx_x", "", ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables, "[v1, v2, v3]"), request);
  ASSERT_FALSE(edits.ok());
  EXPECT_EQ(edits.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(edits.status().message().find("cannot place the edit in the index's entry as it is written"),
            std::string::npos)
      << edits.status().message();
  EXPECT_NE(edits.status().message().find("`removed: v3` for index \"idx_x\""), std::string::npos)
      << edits.status().message();
}

TEST(SchemaEdit, AnEditThatWouldChangeSomethingElseIsRefused) {
  // A kept trailing blank line (|+) belongs to the description: a line
  // inserted before it would take it away.
  const std::string tables = "tables:\n  - name: t\n    columns: [{name: x, type: TEXT}]\n    indexes:\n"
                             "      - name: idx_t_x\n        columns: [x]\n        description: |+\n          kept\n\n"
                             "  - name: u\n    columns: [{name: y, type: TEXT}]\n";
  IndexEditRequest request{0, 1, {}, {}};
  request.drop.push_back({"t", "idx_t_x", "", ""});
  Result<IndexEdits> edits = yaml::EditIndexes(Sources(tables), request);
  ASSERT_FALSE(edits.ok());
  EXPECT_NE(edits.status().message().find("would not declare what was intended at tag \"v1\" (table \"t\" differs)"),
            std::string::npos)
      << edits.status().message();
  EXPECT_NE(edits.status().message().find("make the change(s) by hand: `removed: v2` for index \"idx_t_x\""),
            std::string::npos)
      << edits.status().message();
}

TEST(TextDiff, PrintsHunksWithContext) {
  EXPECT_EQ(UnifiedDiff("f", "a\nb\nc\n", "a\nb\nc\n"), "");
  EXPECT_EQ(UnifiedDiff("f", "a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\nf\n", 1),
            "--- f\n+++ f\n@@ -2,4 +2,5 @@\n b\n-c\n+X\n d\n e\n+f\n");
  EXPECT_EQ(UnifiedDiff("f", "", "x\n"), "--- f\n+++ f\n@@ -0,0 +1,1 @@\n+x\n");
}

}  // namespace
}  // namespace strata
