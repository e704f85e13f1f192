#include "schema/versioned.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

Column Col(std::string name, std::string type = "TEXT") {
  Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  return c;
}

TEST(Timeline, ElementExistsFromSinceUntilRemoved) {
  Timeline<Column> t;
  t.stages.push_back({1, Col("a")});
  t.removed = 3;
  EXPECT_EQ(t.At(0), nullptr);
  ASSERT_NE(t.At(1), nullptr);
  ASSERT_NE(t.At(2), nullptr);
  EXPECT_EQ(t.At(3), nullptr);
  EXPECT_EQ(t.At(4), nullptr);
}

TEST(Timeline, LaterStagesReplaceEarlierOnes) {
  Timeline<Column> t;
  t.stages.push_back({0, Col("a", "TEXT")});
  t.stages.push_back({2, Col("a", "INTEGER")});
  EXPECT_EQ(t.At(1)->type, "TEXT");
  EXPECT_EQ(t.At(2)->type, "INTEGER");
  EXPECT_EQ(t.At(4)->type, "INTEGER");
}

TEST(Timeline, RenameIsMarkedOnlyAtTheTagThatRenames) {
  Timeline<Column> t;
  t.stages.push_back({0, Col("old_name")});
  t.stages.push_back({2, Col("new_name")});
  EXPECT_EQ(t.StateAt(1).renamed_from, "");
  EXPECT_EQ(t.StateAt(2).name, "new_name");
  EXPECT_EQ(t.StateAt(2).renamed_from, "old_name");
  EXPECT_EQ(t.StateAt(3).renamed_from, "");
}

TEST(VersionedSchema, StateAtTagHoldsOnlyLiveElements) {
  VersionedSchema vs;
  vs.project.tags = {"baseline", "phase1", "phase2"};
  VersionedTable users;
  Table header;
  header.name = "users";
  users.header.stages.push_back({0, header});
  Timeline<Column> id, nickname;
  id.stages.push_back({0, Col("id")});
  nickname.stages.push_back({1, Col("nickname")});
  users.columns = {id, nickname};
  VersionedTable teams;
  header.name = "teams";
  teams.header.stages.push_back({2, header});
  teams.columns = {id};
  vs.tables = {users, teams};

  Schema baseline = vs.At(0);
  ASSERT_EQ(baseline.tables.size(), 1u);
  EXPECT_EQ(baseline.tables[0].columns.size(), 1u);
  Schema latest = vs.Latest();
  ASSERT_EQ(latest.tables.size(), 2u);
  EXPECT_EQ(latest.tables[0].columns.size(), 2u);
  EXPECT_EQ(latest.tables[1].name, "teams");
}

}  // namespace
}  // namespace strata
