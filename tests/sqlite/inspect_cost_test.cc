// What inspecting a database, and applying a hand-written file, costs
// SQLite, counted rather than timed: the virtual machine steps of every
// statement strata runs (and of the statements the pragma tables run for
// it), and how many statements read sqlite_schema. Inspecting four times
// the tables must cost about four times the steps (a join that re-ran
// pragma_table_list for every row of sqlite_schema made it sixteen), and
// sqlite_schema is read the same number of times whatever its size.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include "sqlite/connection.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "test_util.h"

namespace strata {
namespace {

struct Cost {
  int64_t steps = 0;
  int statements = 0;
  int schema_reads = 0;
};

int OnStatementEnd(unsigned type, void* context, void* statement, void*) {
  if (type != SQLITE_TRACE_PROFILE) return 0;
  auto* cost = static_cast<Cost*>(context);
  auto* stmt = static_cast<sqlite3_stmt*>(statement);
  // Reset as read: a statement prepared once runs once per table, and its
  // counter would otherwise carry every earlier run's steps.
  cost->steps += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  ++cost->statements;
  if (std::string_view(sqlite3_sql(stmt)).find("sqlite_schema") != std::string_view::npos) ++cost->schema_reads;
  return 0;
}

// `tables` tables of a few columns, each with two indexes, a foreign key to
// the previous table and a trigger; a view every ten tables.
std::string SchemaSql(int tables) {
  std::string sql = "BEGIN;";
  for (int t = 0; t < tables; ++t) {
    sql += fmt::format("CREATE TABLE t{0} (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER DEFAULT 0, c REAL, "
                       "p INTEGER{1});",
                       t, t == 0 ? "" : fmt::format(" REFERENCES t{}(id)", t - 1));
    sql += fmt::format("CREATE INDEX t{0}_a ON t{0}(a); CREATE UNIQUE INDEX t{0}_bc ON t{0}(b, c);", t);
    sql += fmt::format("CREATE TRIGGER t{0}_touch AFTER UPDATE ON t{0} BEGIN SELECT 1; END;", t);
    if (t % 10 == 0) sql += fmt::format("CREATE VIEW v{0} AS SELECT id, a FROM t{0};", t);
  }
  return sql + "COMMIT;";
}

Cost InspectCost(const testing::TempDir& dir, int tables) {
  const std::string path = (dir / fmt::format("t{}.db", tables)).string();
  Result<sqlite::Database> db = sqlite::Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return {};
  EXPECT_TRUE(db->Exec(SchemaSql(tables)).ok());
  Cost cost;
  sqlite3_trace_v2(db->handle(), SQLITE_TRACE_PROFILE, OnStatementEnd, &cost);
  Result<Schema> schema = sqlite::InspectSchema(*db);
  sqlite3_trace_v2(db->handle(), 0, nullptr, nullptr);
  EXPECT_TRUE(schema.ok()) << schema.status().message();
  if (schema.ok()) {
    EXPECT_EQ(schema->tables.size(), static_cast<size_t>(tables));
    EXPECT_EQ(schema->tables.back().triggers.size(), 1u);
  }
  return cost;
}

TEST(InspectCost, GrowsLinearlyWithTheTables) {
  testing::TempDir dir;
  const Cost small = InspectCost(dir, 50);
  const Cost large = InspectCost(dir, 200);
  ASSERT_GT(small.steps, 0);
  // Linear: 4x, plus a little for longer names; quadratic would be 16x.
  EXPECT_LT(static_cast<double>(large.steps) / static_cast<double>(small.steps), 4.5)
      << small.steps << " steps for 50 tables, " << large.steps << " for 200";
  EXPECT_LT(static_cast<double>(large.statements) / static_cast<double>(small.statements), 4.5)
      << small.statements << " statements for 50 tables, " << large.statements << " for 200";
  EXPECT_EQ(large.schema_reads, small.schema_reads);
}

// Applying a hand-written file costs its statements and strata's
// bookkeeping, not a read of the data: a foreign-key check before each
// COMMIT read every child table, so ten small files on a database with a
// 1M-row child table took 12 s instead of milliseconds. The steps of one
// file must not grow with the rows.
int64_t HandWrittenApplySteps(const testing::TempDir& dir, int child_rows) {
  const std::string path = (dir / fmt::format("rows{}.db", child_rows)).string();
  {
    Result<sqlite::Database> db = sqlite::Database::Open(path);
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return 0;
    EXPECT_TRUE(db->Exec(fmt::format(
                            "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));"
                            "INSERT INTO parent VALUES (1);"
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "
                            "INSERT INTO child SELECT i, 1 FROM n;",
                            child_rows))
                    .ok());
  }
  Result<std::unique_ptr<sqlite::SqliteConnection>> conn = sqlite::SqliteConnection::Open(path);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return 0;
  Cost cost;
  sqlite3_trace_v2((*conn)->database().handle(), SQLITE_TRACE_PROFILE, OnStatementEnd, &cost);
  const std::string sql = "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);\n";
  Result<ApplyOutcome> applied = (*conn)->Apply(
      {.file_name = "0100_note.up.sql", .version = 100, .name = "note", .tag = "t", .up = true, .sql = sql,
       .checksum = "c"});
  sqlite3_trace_v2((*conn)->database().handle(), 0, nullptr, nullptr);
  EXPECT_TRUE(applied.ok()) << applied.status().message();
  return cost.steps;
}

TEST(ApplyCost, AHandWrittenFileDoesNotReadTheChildTables) {
  testing::TempDir dir;
  const int64_t few = HandWrittenApplySteps(dir, 10);
  const int64_t many = HandWrittenApplySteps(dir, 20000);
  ASSERT_GT(few, 0);
  EXPECT_LT(static_cast<double>(many) / static_cast<double>(few), 1.5)
      << few << " steps with 10 child rows, " << many << " with 20,000";
}

}  // namespace
}  // namespace strata
