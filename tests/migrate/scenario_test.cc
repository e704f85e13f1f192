// Schema evolutions on real SQLite files holding data. Each runs the
// generated up migration through the sqlite3 shell with foreign keys on,
// compares the live schema with the target by introspection, checks the
// kept data, then runs down (back to the source) and up again.
#include <gtest/gtest.h>

#include "migrate/scenario_harness.h"

namespace strata::testing {
namespace {

// A parent with CASCADE and SET NULL children, the setup in which other
// tools lost rows when rebuilding the parent with foreign keys enforced.
const char* kAuthors = R"(
  - name: author
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: name, type: TEXT}
  - name: book
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: author_id, type: INTEGER}
      - {name: title, type: TEXT}
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, on_delete: cascade}
  - name: fan
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: author_id, type: INTEGER}
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, on_delete: set_null}
)";

const char* kAuthorsSeed =
    "INSERT INTO author VALUES (1, 'Ada'), (2, 'Grace');"
    "INSERT INTO book VALUES (10, 1, 'Notes'), (11, 2, 'Compilers'), (12, 2, 'COBOL');"
    "INSERT INTO fan VALUES (100, 1), (101, 2);";

const std::vector<std::string> kAuthorsKept = {"SELECT * FROM book ORDER BY id", "SELECT * FROM fan ORDER BY id",
                                               "SELECT id, name FROM author ORDER BY id"};

std::string Tables(const std::string& yaml) { return "tables:" + yaml; }

TEST(Scenario, AddNullableColumn) {
  RunScenario({.name = "add nullable column",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: TEXT, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x'), (2, 'y');",
               .kept = {"SELECT id, a FROM t ORDER BY id"},
               .after_up = {{"SELECT count(*) FROM t WHERE b IS NULL", "2"}}});
}

TEST(Scenario, AddNotNullColumnWithDefault) {
  RunScenario({.name = "add NOT NULL column with a default",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: status, type: TEXT, nullable: false, default: active, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1), (2);",
               .kept = {"SELECT id FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(status) FROM t", "active,active"}}});
}

TEST(Scenario, AddColumnWithExpressionDefaultRebuilds) {
  // ALTER TABLE refuses a non-constant default once rows exist.
  RunScenario({.name = "add column DEFAULT CURRENT_TIMESTAMP",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: updated_at, type: DATETIME, default_sql: CURRENT_TIMESTAMP, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1), (2), (7); DELETE FROM t WHERE id = 7;",
               .kept = {"SELECT id FROM t ORDER BY id", "SELECT seq FROM sqlite_sequence WHERE name = 't'"},
               .after_up = {{"SELECT count(*) FROM t WHERE updated_at IS NOT NULL", "2"}}});
}

TEST(Scenario, RebuildOfAReferencedParentKeepsEveryChildRow) {
  RunScenario({.name = "change a parent column type under CASCADE and SET NULL children",
               .tables_yaml = Tables(std::string(kAuthors) + R"(
  - name: extra
    since: after
    columns:
      - {name: id, type: INTEGER, primary_key: true}
)") + "",
               .seed_sql = kAuthorsSeed,
               .kept = kAuthorsKept});
  RunScenario({.name = "parent column becomes NOT NULL (rebuild of the parent)",
               .tables_yaml = Tables(R"(
  - name: author
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: name
        type: TEXT
        changes:
          after: {nullable: false, default: ''}
)" + std::string(kAuthors).substr(std::string(kAuthors).find("  - name: book"))),
               .seed_sql = kAuthorsSeed,
               .kept = kAuthorsKept});
}

TEST(Scenario, AddUniqueWithDuplicatesFailsCleanly) {
  RunScenario({.name = "add UNIQUE with duplicates present",
               .tables_yaml = Tables(R"(
  - name: usage
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: TEXT}
      - {name: month, type: TEXT}
    unique:
      - {columns: [user_id, month], since: after}
)"),
               .seed_sql = "INSERT INTO usage VALUES (1, 'u1', '2024-01'), (2, 'u1', '2024-01'), (3, 'u2', '2024-01');",
               .up_fails_with = "check 4 failed: \"usage\" has rows with the same (\"user_id\", \"month\")"});
}

}  // namespace
}  // namespace strata::testing
