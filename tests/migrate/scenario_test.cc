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

// A statement that fails ("integer overflow") unless `condition` holds, for
// probes that check what a statement did.
std::string Expect(const std::string& condition) {
  return "SELECT CASE WHEN " + condition + " THEN 1 ELSE abs(-9223372036854775807 - 1) END";
}

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
               .up_fails_with = "check 4 failed: \"usage\" has rows with the same (\"user_id\", \"month\")",
               .up_fails_naming = "'u1'/'2024-01' x2"});
}


// ---------------------------------------------------------------------------
// Columns

TEST(Scenario, AddNullableColumnWithDefault) {
  RunScenario({.name = "add a nullable column with a literal default",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: note, type: TEXT, default: none, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'z');",
               .kept = {"SELECT id, a FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(note, ',') FROM t", "none,none,none"}},
               .up_script_contains = {"ALTER TABLE \"t\" ADD COLUMN \"note\""}});
}

TEST(Scenario, DropColumn) {
  RunScenario({.name = "drop a column (native DROP COLUMN)",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: INTEGER}
      - {name: legacy, type: TEXT, removed: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x', 10, 'old1'), (2, 'y', 20, 'old2');",
               .kept = {"SELECT id, a, b FROM t ORDER BY id"},
               // What the column held is lost: down brings the column back empty.
               .after_down = {{"SELECT count(*) FROM t WHERE legacy IS NULL", "2"}},
               .up_script_contains = {"ALTER TABLE \"t\" DROP COLUMN \"legacy\""}});
}

TEST(Scenario, DropColumnThatIsNotLast) {
  RunScenario({.name = "drop a column that is not the last one",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: legacy, type: TEXT, removed: after}
      - {name: b, type: INTEGER}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'old1', 10), (2, 'old2', 20);",
               .kept = {"SELECT id, b FROM t ORDER BY id"}});
}

TEST(Scenario, DropIndexedColumnRebuilds) {
  RunScenario({.name = "drop a column that an index used (rebuild)",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: code, type: TEXT, removed: after}
    indexes:
      - {name: idx_t_code_a, columns: [code, a DESC], removed: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x', 'c1'), (2, 'x', 'c2'), (5, 'y', NULL);",
               .kept = {"SELECT id, a FROM t ORDER BY id"},
               .up_script_contains = {"rebuild \"t\""}});
}

TEST(Scenario, DropColumnOfAUniqueConstraint) {
  RunScenario({.name = "drop a column that a UNIQUE constraint used (rebuild)",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: code, type: TEXT, removed: after}
    unique:
      - {columns: [code, a], removed: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x', 'c1'), (2, 'x', 'c2'), (5, 'y', NULL);",
               .kept = {"SELECT id, a FROM t ORDER BY id"},
               .up_script_contains = {"rebuild \"t\""}});
}

TEST(Scenario, RenameColumnWithHint) {
  // The renamed column is UNIQUE and indexed: RENAME COLUMN rewrites both.
  RunScenario({.name = "rename a column (explicit rename)",
               .tables_yaml = Tables(R"(
  - name: account
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: nickname
        type: TEXT
        unique: true
        changes:
          after: {name: handle}
      - {name: score, type: INTEGER}
    indexes:
      - name: idx_account_nickname
        columns: [nickname]
        changes:
          after: {columns: [handle DESC]}
  - name: mention
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: account_id, type: INTEGER}
    foreign_keys:
      - {columns: [account_id], references: {table: account}, on_delete: cascade}
)"),
               .seed_sql = "INSERT INTO account VALUES (1, 'ada', 5), (2, 'grace', NULL), (3, NULL, 7);"
                           "INSERT INTO mention VALUES (10, 1), (11, 1), (12, 2), (13, NULL);",
               .kept = {"SELECT * FROM account ORDER BY id", "SELECT * FROM mention ORDER BY id"},
               .after_up = {{"SELECT group_concat(name) FROM pragma_table_info('account')", "id,handle,score"}},
               .after_down = {{"SELECT group_concat(name) FROM pragma_table_info('account')", "id,nickname,score"}},
               .probes = {{"INSERT INTO account (id, handle) VALUES (4, 'ada')", "UNIQUE constraint failed",
                           "no column named handle"},
                          {"DELETE FROM account WHERE id = 1;" + Expect("(SELECT group_concat(id) FROM mention) = '12,13'"),
                           "", ""}},
               .up_script_contains = {"ALTER TABLE \"account\" RENAME COLUMN \"nickname\" TO \"handle\""}});
}

TEST(Scenario, RenameColumnUsedByACheck) {
  RunScenario({.name = "rename a column that a CHECK uses",
               .tables_yaml = Tables(R"(
  - name: account
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: nickname
        type: TEXT
        changes:
          after: {name: handle}
    checks:
      - {expr: length(nickname) < 10, changes: {after: {expr: length(handle) < 10}}}
)"),
               .seed_sql = "INSERT INTO account VALUES (1, 'ada'), (2, NULL);",
               .kept = {"SELECT * FROM account ORDER BY id"},
               .probes = {{"INSERT INTO account VALUES (4, 'much too long')", "CHECK constraint failed",
                           "CHECK constraint failed"}}});
}

TEST(Scenario, RenameColumnThatAChildReferences) {
  // The renamed column is indexed and is the parent key of a child's
  // foreign key: RENAME COLUMN rewrites both.
  RunScenario({.name = "rename a column (explicit rename)",
               .tables_yaml = Tables(R"(
  - name: account
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: nickname
        type: TEXT
        unique: true
        changes:
          after: {name: handle}
    indexes:
      - name: idx_account_nickname
        columns: [nickname]
        changes:
          after: {columns: [handle DESC]}
  - name: mention
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: who, type: TEXT}
    foreign_keys:
      - columns: [who]
        references: {table: account, columns: [nickname]}
        on_delete: cascade
        changes:
          after: {references: {table: account, columns: [handle]}}
)"),
               .seed_sql = "INSERT INTO account VALUES (1, 'ada'), (2, 'grace'), (3, NULL);"
                           "INSERT INTO mention VALUES (10, 'ada'), (11, 'ada'), (12, 'grace'), (13, NULL);",
               .kept = {"SELECT * FROM account ORDER BY id", "SELECT * FROM mention ORDER BY id"},
               .after_up = {{"SELECT group_concat(name) FROM pragma_table_info('account')", "id,handle"}},
               .after_down = {{"SELECT group_concat(name) FROM pragma_table_info('account')", "id,nickname"}},
               .probes = {{"DELETE FROM account WHERE id = 1;" +
                               Expect("(SELECT count(*) FROM mention) = 2 AND NOT EXISTS (SELECT 1 FROM mention "
                                      "WHERE who = 'ada')"),
                           "", ""},
                          {"INSERT INTO mention VALUES (99, 'nobody')", "FOREIGN KEY constraint failed",
                           "FOREIGN KEY constraint failed"}},
               .up_script_contains = {"ALTER TABLE \"account\" RENAME COLUMN \"nickname\" TO \"handle\""}});
}

TEST(Scenario, ChangeColumnType) {
  RunScenario({.name = "change a column type (INTEGER to TEXT)",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: zip
        type: INTEGER
        changes:
          after: {type: TEXT}
      - {name: city, type: TEXT}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 75001, 'Paris'), (2, 10115, 'Berlin'), (3, NULL, 'Nowhere');",
               .kept = {"SELECT id, zip, city FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(typeof(zip)) FROM t", "text,text,null"}},
               .after_down = {{"SELECT group_concat(typeof(zip)) FROM t", "integer,integer,null"}},
               .up_script_contains = {"rebuild \"t\": column type change"}});
}

TEST(Scenario, AddNotNullWithDefaultToExistingColumn) {
  RunScenario({.name = "existing column becomes NOT NULL with a default",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: lang
        type: TEXT
        changes:
          after: {nullable: false, default: en}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'fr'), (2, 'de');",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .probes = {{"INSERT INTO t VALUES (3, NULL)", "NOT NULL constraint failed: t.lang", ""},
                          {"INSERT INTO t (id) VALUES (4);" + Expect("(SELECT lang FROM t WHERE id = 4) = 'en'"), "",
                           "integer overflow"}}});
}

TEST(Scenario, AddNotNullWhereNullsExistFailsCleanly) {
  RunScenario({.name = "add NOT NULL where NULLs exist",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        changes:
          after: {nullable: false, default: ''}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'a@x'), (2, NULL), (3, 'c@x'), (4, NULL);",
               .up_fails_with = "\"t\".\"email\" holds NULLs, which NOT NULL forbids",
               .up_fails_naming = "2, 4"});
}

TEST(Scenario, AddUniqueColumnWithDuplicatesFailsCleanly) {
  RunScenario({.name = "column becomes UNIQUE with duplicates present",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        changes:
          after: {unique: true}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'a@x'), (2, 'b@x'), (3, 'a@x'), (4, NULL), (5, NULL);",
               .up_fails_with = "\"t\" has rows with the same (\"email\"), which UNIQUE forbids",
               .up_fails_naming = "'a@x' x2"});
}

TEST(Scenario, AddUniqueIndexWithDuplicatesFailsCleanly) {
  RunScenario({.name = "add a unique index with duplicates present",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: sku, type: TEXT}
    indexes:
      - {name: ux_t_sku, columns: [sku], unique: true, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'A-1'), (2, 'B-2'), (3, 'B-2'), (4, 'B-2');",
               .up_fails_with = "which unique index \"ux_t_sku\" forbids",
               .up_fails_naming = "'B-2' x3"});
}

TEST(Scenario, AddUniqueWhereOnlyNullsRepeatSucceeds) {
  // NULLs are distinct in a UNIQUE constraint: they are no duplicates.
  RunScenario({.name = "add UNIQUE where only NULLs repeat",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: TEXT}
    unique:
      - {columns: [a, b], since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x', NULL), (2, 'x', NULL), (3, 'x', 'y'), (4, NULL, 'y');",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .probes = {{"INSERT INTO t VALUES (5, 'x', 'y')", "UNIQUE constraint failed", ""}}});
}

TEST(Scenario, DefaultChange) {
  RunScenario({.name = "change a column default",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: status
        type: TEXT
        nullable: false
        default: draft
        changes:
          after: {default: pending}
      - name: weight
        type: REAL
        default: 1.5
        changes:
          after: {default: null}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'sent', 2.25), (2, 'draft', NULL);",
               .kept = {"SELECT id, status, quote(weight) FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(name || '=' || coalesce(dflt_value, '-'), ' ') FROM "
                             "pragma_table_info('t')",
                             "id=- status='pending' weight=NULL"}},
               .after_down = {{"SELECT group_concat(name || '=' || coalesce(dflt_value, '-'), ' ') FROM "
                               "pragma_table_info('t')",
                               "id=- status='draft' weight=1.5"}}});
}

TEST(Scenario, CollationChange) {
  RunScenario({.name = "column collation becomes NOCASE",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: name
        type: TEXT
        changes:
          after: {collate: NOCASE}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'Ada'), (2, 'grace'), (3, 'ADA');",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(id) FROM t WHERE name = 'ada'", "1,3"},
                            {"SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY name, id)", "1,3,2"}},
               .after_down = {{"SELECT count(*) FROM t WHERE name = 'ada'", "0"}},
               .up_script_contains = {"rebuild \"t\": changing a collation"}});
}

TEST(Scenario, CollationChangeOfAnIndexedColumn) {
  RunScenario({.name = "collation of an indexed column becomes NOCASE",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: name
        type: TEXT
        changes:
          after: {collate: NOCASE}
    indexes:
      - {name: idx_t_name, columns: [name]}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'Ada'), (2, 'grace'), (3, 'ADA');",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(id) FROM t WHERE name = 'ada'", "1,3"},
                            {"SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY name, id)", "1,3,2"}},
               .after_down = {{"SELECT count(*) FROM t WHERE name = 'ada'", "0"}},
               .up_script_contains = {"rebuild \"t\": changing a collation"}});
}

TEST(Scenario, CollationChangeThatMergesUniqueValuesFailsSafely) {
  // 'Ada' and 'ADA' are one value under NOCASE: the UNIQUE column cannot
  // keep both, and the migration must refuse without changing anything.
  RunScenario({.name = "NOCASE on a UNIQUE column with values equal but for case",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: name
        type: TEXT
        unique: true
        changes:
          after: {collate: NOCASE}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'Ada'), (2, 'grace'), (3, 'ADA');",
               // No precheck names the clashing rows: the copy into the
               // rebuilt table fails, and the file still rolls back whole.
               .up_fails_with = "UNIQUE constraint failed: t__strata_new.name",
               .up_fails_unchecked = true});
}

// ---------------------------------------------------------------------------
// Constraints

TEST(Scenario, AddForeignKey) {
  RunScenario({.name = "add a foreign key (clean data)",
               .tables_yaml = Tables(R"(
  - name: customer
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer_id, type: INTEGER}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer}, on_delete: cascade, since: after}
)"),
               .seed_sql = "INSERT INTO customer VALUES (1), (2);"
                           "INSERT INTO orders VALUES (10, 1), (11, 1), (12, 2), (13, NULL);",
               .kept = {"SELECT * FROM customer ORDER BY id", "SELECT * FROM orders ORDER BY id"},
               .after_up = {{"SELECT \"table\", on_delete FROM pragma_foreign_key_list('orders')", "customer|CASCADE"}},
               .probes = {{"INSERT INTO orders VALUES (99, 7)", "FOREIGN KEY constraint failed", ""}},
               .up_script_contains = {"rebuild \"orders\": adding a foreign key"}});
}

TEST(Scenario, DropForeignKey) {
  RunScenario({.name = "drop a foreign key",
               .tables_yaml = Tables(R"(
  - name: customer
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer_id, type: INTEGER}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer}, on_delete: set_null, removed: after}
)"),
               .seed_sql = "INSERT INTO customer VALUES (1), (2);"
                           "INSERT INTO orders VALUES (10, 1), (11, 2), (12, 2);",
               .kept = {"SELECT * FROM customer ORDER BY id", "SELECT * FROM orders ORDER BY id"},
               .after_up = {{"SELECT count(*) FROM pragma_foreign_key_list('orders')", "0"}},
               .after_down = {{"SELECT on_delete FROM pragma_foreign_key_list('orders')", "SET NULL"}},
               .probes = {{"INSERT INTO orders VALUES (99, 7)", "", "FOREIGN KEY constraint failed"}}});
}

TEST(Scenario, AddForeignKeyWithOrphansFailsCleanly) {
  RunScenario({.name = "add a foreign key where orphans exist",
               .tables_yaml = Tables(R"(
  - name: customer
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer_id, type: INTEGER}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer}, since: after}
)"),
               .seed_sql = "INSERT INTO customer VALUES (1), (2);"
                           "INSERT INTO orders VALUES (10, 1), (11, 42), (12, NULL), (13, 2);",
               .up_fails_with = "\"orders\" has rows whose (\"customer_id\") match no row of \"customer\" (orphans)",
               .up_fails_naming = "42"});
}

TEST(Scenario, AddCheckConstraint) {
  RunScenario({.name = "add a table CHECK and a column CHECK",
               .tables_yaml = Tables(R"(
  - name: invoice
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: due, type: INTEGER, nullable: false}
      - {name: paid, type: INTEGER, nullable: false, default: 0}
      - name: currency
        type: TEXT
        changes:
          after:
            check: currency IN ('EUR', 'USD')
    checks:
      - {name: paid_not_more_than_due, expr: paid <= due, since: after}
)"),
               .seed_sql = "INSERT INTO invoice VALUES (1, 100, 50, 'EUR'), (2, 80, 80, 'USD'), (3, 5, 0, NULL);",
               .kept = {"SELECT * FROM invoice ORDER BY id"},
               .probes = {{"INSERT INTO invoice VALUES (4, 10, 11, 'EUR')", "CHECK constraint failed", ""},
                          {"INSERT INTO invoice VALUES (5, 10, 1, 'GBP')", "CHECK constraint failed", ""}},
               .up_script_contains = {"rebuild \"invoice\""}});
}

TEST(Scenario, AddCheckWithViolatingRowsFailsCleanly) {
  RunScenario({.name = "add a CHECK that existing rows break",
               .tables_yaml = Tables(R"(
  - name: invoice
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: due, type: INTEGER, nullable: false}
      - {name: paid, type: INTEGER, nullable: false}
    checks:
      - {expr: paid <= due, since: after}
)"),
               .seed_sql = "INSERT INTO invoice VALUES (1, 100, 50), (2, 80, 90), (3, 5, 0), (7, 1, 2);",
               .up_fails_with = "rows of \"invoice\" fail CHECK (paid <= due)",
               .up_fails_naming = "2, 7"});
}

// ---------------------------------------------------------------------------
// Keys, foreign key actions and rebuilds

TEST(Scenario, CompositePrimaryKey) {
  // A composite-key parent with a cascading composite foreign key, both
  // rebuilt (new NOT NULL column with a default, type change).
  RunScenario({.name = "composite primary key, rebuilt with its children",
               .tables_yaml = Tables(R"(
  - name: usage
    primary_key: [user_id, month]
    columns:
      - {name: user_id, type: TEXT, nullable: false}
      - {name: month, type: TEXT, nullable: false}
      - name: count
        type: INTEGER
        changes:
          after: {type: BIGINT}
      - {name: source, type: TEXT, nullable: false, default: app, unique: false, since: after}
  - name: usage_line
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: TEXT}
      - {name: month, type: TEXT}
      - name: amount
        type: INTEGER
        changes:
          after: {nullable: false, default: 0}
    foreign_keys:
      - {columns: [user_id, month], references: {table: usage, columns: [user_id, month]}, on_delete: cascade}
)"),
               .seed_sql = "INSERT INTO usage VALUES ('u1', '2024-01', 3), ('u1', '2024-02', 1), ('u2', '2024-01', 7);"
                           "INSERT INTO usage_line VALUES (1, 'u1', '2024-01', 1), (2, 'u1', '2024-01', 2), "
                           "(3, 'u2', '2024-01', 7), (4, 'u1', '2024-02', 1);",
               .kept = {"SELECT user_id, month, count FROM usage ORDER BY 1, 2", "SELECT * FROM usage_line ORDER BY id"},
               .after_up = {{"SELECT group_concat(name) FROM pragma_table_info('usage') WHERE pk > 0 ORDER BY pk",
                             "user_id,month"}},
               .probes = {{"INSERT INTO usage (user_id, month) VALUES ('u1', '2024-01')", "UNIQUE constraint failed",
                           "UNIQUE constraint failed"},
                          {"INSERT INTO usage_line VALUES (9, 'u9', '2024-01', 1)", "FOREIGN KEY constraint failed",
                           "FOREIGN KEY constraint failed"}},
               .up_script_contains = {"rebuild \"usage\"", "rebuild \"usage_line\""}});
}

TEST(Scenario, SelfReferencingCascadeSurvivesRebuild) {
  // With foreign keys on, DROP TABLE of the old copy would delete every row
  // through the self-reference's ON DELETE CASCADE.
  RunScenario({.name = "self-referencing foreign key with ON DELETE CASCADE",
               .tables_yaml = Tables(R"(
  - name: category
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: parent_id, type: INTEGER}
      - name: label
        type: TEXT
        changes:
          after: {type: VARCHAR(40), nullable: false, default: ''}
    foreign_keys:
      - {columns: [parent_id], references: {table: category}, on_delete: cascade}
)"),
               .seed_sql = "INSERT INTO category VALUES (1, NULL, 'food'), (2, 1, 'bread'), (3, 2, 'rye'), "
                           "(4, 1, 'cheese'), (5, NULL, 'drinks'), (6, 5, 'tea');",
               .kept = {"SELECT * FROM category ORDER BY id"},
               .probes = {{"DELETE FROM category WHERE id = 1;" +
                               Expect("(SELECT group_concat(id) FROM category) = '5,6'"),
                           "", ""}},
               .up_script_contains = {"rebuild \"category\""}});
}

TEST(Scenario, ParentKeyTypeChangeKeepsCascadeAndSetNullChildren) {
  RunScenario({.name = "parent rebuilt with its key type changed under CASCADE and SET NULL children",
               .tables_yaml = Tables(R"(
  - name: author
    columns:
      - name: id
        type: INTEGER
        primary_key: true
        changes:
          after: {type: BIGINT}
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
)"),
               .seed_sql = kAuthorsSeed,
               .kept = kAuthorsKept,
               .probes = {{"DELETE FROM author WHERE id = 2;" +
                               Expect("(SELECT group_concat(id) FROM book) = '10' AND (SELECT group_concat(id) FROM "
                                      "fan WHERE author_id IS NULL) = '101'"),
                           "", ""}},
               .up_script_contains = {"rebuild \"author\"", "foreign keys of \"book\" hold after the rebuild"}});
}

// A trigger the schema declares is re-created after the rebuild, and goes
// on enforcing its rule after up, down and up again.
TEST(Scenario, DeclaredTriggerSurvivesRebuild) {
  RunScenario({.name = "a declared trigger on a rebuilt table",
               .tables_yaml = Tables(R"(
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: total
        type: INTEGER
        changes:
          after: {nullable: false, default: 0}
      - {name: locked, type: INTEGER, nullable: false, default: 0}
    triggers:
      - name: orders_locked
        sql: CREATE TRIGGER orders_locked BEFORE DELETE ON orders WHEN OLD.locked = 1 BEGIN SELECT RAISE(ABORT, 'order is locked'); END
)"),
               .seed_sql = "INSERT INTO orders VALUES (1, 5, 0), (2, 50, 1), (3, 500, 0);",
               .kept = {"SELECT * FROM orders ORDER BY id"},
               .after_up = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type = 'trigger'",
                             "trigger orders_locked"}},
               .after_down = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type = 'trigger'",
                               "trigger orders_locked"}},
               .probes = {{"DELETE FROM orders WHERE id = 2", "order is locked", "order is locked"},
                          {"DELETE FROM orders WHERE id = 1", "", ""}},
               .up_script_contains = {"rebuild \"orders\"", "re-create the triggers of \"orders\""}});
}

// A view is dropped before the tables change and created after, so one
// that reads a rebuilt table, or a column added in the same migration, works.
TEST(Scenario, DeclaredViewChangesWithItsTable) {
  RunScenario({.name = "a declared view over a rebuilt table and a new column",
               .tables_yaml = Tables(R"(
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: total
        type: INTEGER
        changes:
          after: {type: REAL}
      - {name: currency, type: TEXT, default: EUR, since: after}
views:
  - name: big_orders
    sql: CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100
    removed: after
  - name: big_orders
    sql: CREATE VIEW big_orders AS SELECT id, total, currency FROM orders WHERE total > 100
    since: after
)"),
               .seed_sql = "INSERT INTO orders VALUES (1, 5), (2, 150), (3, 500);",
               .kept = {"SELECT id, CAST(total AS INTEGER) FROM orders ORDER BY id"},
               .after_up = {{"SELECT * FROM big_orders ORDER BY id", "2|150.0|EUR\n3|500.0|EUR"}},
               .after_down = {{"SELECT * FROM big_orders ORDER BY id", "2|150\n3|500"}},
               .up_script_contains = {"drop view \"big_orders\"", "create view \"big_orders\"",
                                      "rebuild \"orders\""}});
}

// A trigger the schema does not declare could not be re-created after
// DROP TABLE removes it: the migration refuses before changing anything
// and names the trigger.
TEST(Scenario, TriggerOnARebuiltTableIsRefusedCleanly) {
  RunScenario({.name = "a hand-written trigger on a table that needs a rebuild",
               .tables_yaml = Tables(R"(
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: total
        type: INTEGER
        changes:
          after: {nullable: false, default: 0}
      - {name: locked, type: INTEGER, nullable: false, default: 0}
)"),
               .seed_sql = "INSERT INTO orders VALUES (1, 5, 0), (2, 50, 1), (3, 500, 0);"
                           "CREATE TRIGGER orders_locked BEFORE DELETE ON orders WHEN OLD.locked = 1 "
                           "BEGIN SELECT RAISE(ABORT, 'order is locked'); END;",
               .kept = {"SELECT * FROM orders ORDER BY id"},
               .up_fails_with = "has triggers the schema does not declare, which its rebuild would drop",
               .up_fails_naming = "orders_locked"});
}

TEST(Scenario, ViewSurvivesRebuild) {
  RunScenario({.name = "a hand-written view on a rebuilt table",
               .tables_yaml = Tables(R"(
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: total
        type: INTEGER
        changes:
          after: {nullable: false, default: 0}
)"),
               .seed_sql = "INSERT INTO orders VALUES (1, 5), (2, 50), (3, 500);"
                           "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 10;",
               .kept = {"SELECT * FROM orders ORDER BY id", "SELECT * FROM big_orders ORDER BY id"},
               .after_up = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type = 'view'", "view big_orders"}},
               .after_down = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type = 'view'", "view big_orders"}},
               .up_script_contains = {"rebuild \"orders\""}});
}

TEST(Scenario, TriggerAndViewSurviveNativeAlter) {
  // Changes SQLite's ALTER TABLE can make leave hand-written triggers and
  // views in place (RENAME COLUMN rewrites them).
  RunScenario({.name = "a trigger and a view on a table changed with ALTER TABLE",
               .tables_yaml = Tables(R"(
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: total
        type: INTEGER
        changes:
          after: {name: amount}
      - {name: locked, type: INTEGER, nullable: false, default: 0}
      - {name: note, type: TEXT, since: after}
)"),
               .seed_sql = "INSERT INTO orders VALUES (1, 5, 0), (2, 50, 1), (3, 500, 0);"
                           "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 10;"
                           "CREATE TRIGGER orders_locked BEFORE DELETE ON orders WHEN OLD.locked = 1 AND OLD.total > 0 "
                           "BEGIN SELECT RAISE(ABORT, 'order is locked'); END;",
               .kept = {"SELECT id, locked FROM orders ORDER BY id", "SELECT * FROM big_orders ORDER BY id"},
               .after_up = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type IN ('trigger', 'view') "
                             "ORDER BY name",
                             "view big_orders\ntrigger orders_locked"}},
               .after_down = {{"SELECT type || ' ' || name FROM sqlite_schema WHERE type IN ('trigger', 'view') "
                               "ORDER BY name",
                               "view big_orders\ntrigger orders_locked"}},
               .probes = {{"DELETE FROM orders WHERE id = 2", "order is locked", "order is locked"},
                          {"DELETE FROM orders WHERE id = 1", "", ""}},
               .up_script_contains = {"RENAME COLUMN \"total\" TO \"amount\"", "ADD COLUMN \"note\""}});
}

TEST(Scenario, AutoincrementCounterKeptAcrossRebuild) {
  // The highest id ever handed out (9) was deleted: the counter must still
  // say 9, or a new row would reuse a deleted id.
  RunScenario({.name = "AUTOINCREMENT counter in sqlite_sequence across a rebuild",
               .tables_yaml = Tables(R"(
  - name: ticket
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - name: title
        type: TEXT
        changes:
          after: {nullable: false, default: untitled}
)"),
               .seed_sql = "INSERT INTO ticket (title) VALUES ('a'), ('b'), ('c');"
                           "INSERT INTO ticket (id, title) VALUES (9, 'last');"
                           "DELETE FROM ticket WHERE id IN (2, 9);",
               .kept = {"SELECT * FROM ticket ORDER BY id", "SELECT name, seq FROM sqlite_sequence"},
               .after_up = {{"SELECT seq FROM sqlite_sequence WHERE name = 'ticket'", "9"}},
               .after_down = {{"SELECT seq FROM sqlite_sequence WHERE name = 'ticket'", "9"}},
               .probes = {{"INSERT INTO ticket (title) VALUES ('new');" + Expect("(SELECT max(id) FROM ticket) = 10"),
                           "", ""}},
               .up_script_contains = {"rebuild \"ticket\"", "sqlite_sequence"}});
}

TEST(Scenario, WithoutRowidTable) {
  RunScenario({.name = "WITHOUT ROWID table rebuilt, and a rowid table made WITHOUT ROWID",
               .tables_yaml = Tables(R"(
  - name: kv
    without_rowid: true
    columns:
      - {name: k, type: TEXT, primary_key: true, nullable: false}
      - name: v
        type: TEXT
        changes:
          after: {type: BLOB}
  - name: tag
    columns:
      - {name: name, type: TEXT, primary_key: true, nullable: false}
      - {name: uses, type: INTEGER}
    changes:
      after: {without_rowid: true}
)"),
               .seed_sql = "INSERT INTO kv VALUES ('a', 'x'), ('b', NULL), ('c', 'zz');"
                           "INSERT INTO tag VALUES ('red', 3), ('blue', NULL);",
               .kept = {"SELECT * FROM kv ORDER BY k", "SELECT * FROM tag ORDER BY name"},
               .after_up = {{"SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%WITHOUT ROWID%'", "2"}},
               .after_down = {{"SELECT name FROM sqlite_schema WHERE sql LIKE '%WITHOUT ROWID%'", "kv"}},
               .up_script_contains = {"rebuild \"kv\"", "rebuild \"tag\""}});
}

TEST(Scenario, WithoutRowidKeyNotDeclaredNotNull) {
  RunScenario({.name = "WITHOUT ROWID table with a key not declared NOT NULL",
               .tables_yaml = Tables(R"(
  - name: kv
    without_rowid: true
    columns:
      - {name: k, type: TEXT, primary_key: true}
      - {name: v, type: TEXT}
      - {name: w, type: TEXT, since: after}
)"),
               .seed_sql = "INSERT INTO kv VALUES ('a', 'x'), ('b', NULL);",
               .kept = {"SELECT k, v FROM kv ORDER BY k"}});
}

// ---------------------------------------------------------------------------
// Indexes

TEST(Scenario, PartialIndex) {
  // The partial unique index allows the duplicates outside its predicate.
  RunScenario({.name = "add a partial index and a partial unique index",
               .tables_yaml = Tables(R"(
  - name: job
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: queue, type: TEXT}
      - {name: done, type: INTEGER, nullable: false, default: 0}
    indexes:
      - {name: idx_job_pending, columns: [queue], where: done = 0, since: after}
      - {name: ux_job_active_queue, columns: [queue], unique: true, where: done = 0, since: after}
)"),
               .seed_sql = "INSERT INTO job VALUES (1, 'mail', 1), (2, 'mail', 1), (3, 'mail', 0), (4, 'sms', 0);",
               .kept = {"SELECT * FROM job ORDER BY id"},
               .after_up = {{"SELECT group_concat(name || ':' || partial) FROM (SELECT * FROM pragma_index_list('job') "
                             "ORDER BY name)",
                             "idx_job_pending:1,ux_job_active_queue:1"}},
               .probes = {{"INSERT INTO job VALUES (5, 'mail', 0)", "UNIQUE constraint failed", ""},
                          {"INSERT INTO job VALUES (6, 'mail', 1)", "", ""}}});
}

TEST(Scenario, DescIndex) {
  RunScenario({.name = "add a DESC and a mixed-order index",
               .tables_yaml = Tables(R"(
  - name: post
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: score, type: INTEGER}
      - {name: created, type: TEXT}
    indexes:
      - {name: idx_post_score, columns: [score DESC], since: after}
      - {name: idx_post_created_score, columns: [created ASC, score DESC], since: after}
)"),
               .seed_sql = "INSERT INTO post VALUES (1, 5, '2024-01-01'), (2, 9, '2024-01-02'), (3, NULL, '2024-01-02');",
               .kept = {"SELECT * FROM post ORDER BY id"},
               .after_up = {{"SELECT group_concat(name || ':' || \"desc\") FROM pragma_index_xinfo('idx_post_created_score') "
                             "WHERE key = 1",
                             "created:0,score:1"},
                            {"SELECT group_concat(id) FROM post INDEXED BY idx_post_score ORDER BY score DESC", "2,1,3"}}});
}

TEST(Scenario, AddAndDropIndexes) {
  RunScenario({.name = "add one index, drop another, turn a third DESC",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: INTEGER}
    indexes:
      - {name: idx_t_a, columns: [a], removed: after}
      - {name: idx_t_b, columns: [b], since: after}
      - name: idx_t_ab
        columns: [a, b]
        changes:
          after: {columns: [a, b DESC]}
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2), (3, 'x', 3);",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(name) FROM (SELECT name FROM pragma_index_list('t') ORDER BY name)",
                             "idx_t_ab,idx_t_b"}},
               .after_down = {{"SELECT group_concat(name) FROM (SELECT name FROM pragma_index_list('t') ORDER BY name)",
                               "idx_t_a,idx_t_ab"}},
               .up_script_contains = {"DROP INDEX \"idx_t_a\"", "CREATE INDEX \"idx_t_b\""}});
}

// ---------------------------------------------------------------------------
// Tables

TEST(Scenario, AddTable) {
  RunScenario({.name = "add a table referencing an existing one",
               .tables_yaml = Tables(R"(
  - name: users
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: email, type: TEXT, unique: true}
  - name: session
    since: after
    columns:
      - {name: id, type: TEXT, primary_key: true}
      - {name: user_id, type: INTEGER, nullable: false}
      - {name: created_at, type: DATETIME, default_sql: CURRENT_TIMESTAMP}
    foreign_keys:
      - {columns: [user_id], references: {table: users}, on_delete: cascade}
    indexes:
      - {name: idx_session_user, columns: [user_id]}
)"),
               .seed_sql = "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x');",
               .kept = {"SELECT * FROM users ORDER BY id"},
               .after_up = {{"SELECT count(*) FROM session", "0"}},
               .after_down = {{"SELECT count(*) FROM sqlite_schema WHERE name = 'session'", "0"}},
               .probes = {{"INSERT INTO session (id, user_id) VALUES ('s1', 1)", "", "no such table: session"},
                          {"INSERT INTO session (id, user_id) VALUES ('s2', 9)", "FOREIGN KEY constraint failed",
                           "no such table: session"}}});
}

TEST(Scenario, DropTable) {
  RunScenario({.name = "drop a table with rows (and a table that only it referenced)",
               .tables_yaml = Tables(R"(
  - name: keep
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: legacy_cache
    removed: after
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: keep_id, type: INTEGER}
    foreign_keys:
      - {columns: [keep_id], references: {table: keep}, on_delete: cascade}
)"),
               .seed_sql = "INSERT INTO keep VALUES (1), (2); INSERT INTO legacy_cache VALUES (1, 1), (2, 2), (3, NULL);",
               .kept = {"SELECT * FROM keep ORDER BY id"},
               .after_up = {{"SELECT count(*) FROM sqlite_schema WHERE name = 'legacy_cache'", "0"}},
               .after_down = {{"SELECT count(*) FROM legacy_cache", "0"}},
               .up_script_contains = {"DROP TABLE \"legacy_cache\""}});
}

TEST(Scenario, RenameTableWithHint) {
  // The renamed table is itself a child: its rows and foreign key stay.
  RunScenario({.name = "rename a table (explicit rename)",
               .tables_yaml = Tables(R"(
  - name: author
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: name, type: TEXT}
  - name: book
    changes:
      after: {name: publication}
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: author_id, type: INTEGER}
      - {name: title, type: TEXT}
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, on_delete: cascade}
    indexes:
      - {name: idx_book_title, columns: [title]}
)"),
               .seed_sql = "INSERT INTO author VALUES (1, 'Ada'), (2, 'Grace');"
                           "INSERT INTO book VALUES (10, 1, 'Notes'), (11, 2, 'Compilers'), (12, 2, 'COBOL');",
               .kept = {"SELECT * FROM author ORDER BY id"},
               .after_up = {{"SELECT * FROM publication ORDER BY id", "10|1|Notes\n11|2|Compilers\n12|2|COBOL"},
                            {"SELECT tbl_name FROM sqlite_schema WHERE name = 'idx_book_title'", "publication"}},
               .after_down = {{"SELECT * FROM book ORDER BY id", "10|1|Notes\n11|2|Compilers\n12|2|COBOL"}},
               .probes = {{"DELETE FROM author WHERE id = 2;" + Expect("(SELECT group_concat(id) FROM publication) = '10'"),
                           "", "no such table: publication"}},
               .up_script_contains = {"ALTER TABLE \"book\" RENAME TO \"publication\""}});
}

TEST(Scenario, RenameTableThatChildrenReference) {
  // The children's foreign keys follow the rename; their rows stay.
  RunScenario({.name = "rename a table (explicit rename) that children reference",
               .tables_yaml = Tables(R"(
  - name: author
    changes:
      after: {name: writer}
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: name, type: TEXT}
    indexes:
      - {name: idx_author_name, columns: [name]}
  - name: book
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: author_id, type: INTEGER}
      - {name: title, type: TEXT}
    foreign_keys:
      - columns: [author_id]
        references: {table: author, columns: [id]}
        on_delete: cascade
        changes:
          after: {references: {table: writer, columns: [id]}}
)"),
               .seed_sql = "INSERT INTO author VALUES (1, 'Ada'), (2, 'Grace');"
                           "INSERT INTO book VALUES (10, 1, 'Notes'), (11, 2, 'Compilers'), (12, 2, 'COBOL');",
               .kept = {"SELECT * FROM book ORDER BY id"},
               .after_up = {{"SELECT * FROM writer ORDER BY id", "1|Ada\n2|Grace"},
                            {"SELECT \"table\" FROM pragma_foreign_key_list('book')", "writer"}},
               .after_down = {{"SELECT * FROM author ORDER BY id", "1|Ada\n2|Grace"},
                              {"SELECT \"table\" FROM pragma_foreign_key_list('book')", "author"}},
               .probes = {{"DELETE FROM writer WHERE id = 2;" + Expect("(SELECT group_concat(id) FROM book) = '10'"),
                           "", "no such table: writer"}},
               .up_script_contains = {"ALTER TABLE \"author\" RENAME TO \"writer\""}});
}

TEST(Scenario, RenameTableAndRebuildIt) {
  RunScenario({.name = "rename a table and change a column type in one migration",
               .tables_yaml = Tables(R"(
  - name: book
    changes:
      after: {name: publication}
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: pages
        type: INTEGER
        changes:
          after: {type: BIGINT}
)"),
               .seed_sql = "INSERT INTO book VALUES (10, 100), (11, NULL);",
               .after_up = {{"SELECT * FROM publication ORDER BY id", "10|100\n11|NULL"}},
               .after_down = {{"SELECT * FROM book ORDER BY id", "10|100\n11|NULL"}}});
}

// ---------------------------------------------------------------------------
// Reference rows

TEST(Scenario, ReferenceRowsInserted) {
  RunScenario({.name = "reference rows arrive with the later tag",
               .tables_yaml = Tables(R"(
  - name: feature
    columns:
      - {name: key, type: TEXT, primary_key: true}
      - {name: name, type: TEXT, nullable: false}
      - {name: enterprise, type: BOOLEAN, nullable: false, default: false}
    rows:
      key: [key]
      since: after
      values:
        - {key: sso, name: Single sign-on, enterprise: true}
        - {key: export, name: "Export, CSV"}
)"),
               .seed_sql = "INSERT INTO feature VALUES ('local', 'Added by hand', 0);",
               .kept = {"SELECT * FROM feature WHERE key = 'local'"},
               .after_up = {{"SELECT * FROM feature ORDER BY key", "export|Export, CSV|0\nlocal|Added by hand|0\nsso|Single sign-on|1"}},
               .after_down = {{"SELECT key FROM feature ORDER BY key", "local"}}});
}

TEST(Scenario, ReferenceRowsInsertedUpdatedAndDeleted) {
  // One migration inserts, updates and deletes reference rows of a table
  // whose children point at them; the YAML states one row block, so the
  // earlier state is edited here.
  RunScenario({.name = "reference rows inserted, updated and deleted",
               .tables_yaml = Tables(R"(
  - name: plan
    columns:
      - {name: code, type: TEXT, primary_key: true}
      - {name: price, type: INTEGER, nullable: false}
      - {name: label, type: TEXT}
    rows:
      key: [code]
      values:
        - {code: free, price: 0, label: Free}
        - {code: pro, price: 20, label: Pro}
        - {code: team, price: 50, label: Team}
  - name: subscription
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: plan_code, type: TEXT, nullable: false}
    foreign_keys:
      - {columns: [plan_code], references: {table: plan}, on_delete: cascade}
)"),
               .edit =
                   [](Schema& before, Schema& after) {
                     // Before: free, pro at 15, legacy. After: free, pro at 20, team.
                     Table& b = before.tables[0];
                     ASSERT_EQ(b.name, "plan");
                     b.rows[1].values[1].second = Value::Int(15);
                     b.rows[2] = ReferenceRow{{{"code", Value::Text("legacy")},
                                               {"price", Value::Int(5)},
                                               {"label", Value::Null()}},
                                              {}};
                     ASSERT_EQ(after.tables[0].rows.size(), 3u);
                   },
               .seed_sql = "INSERT INTO subscription VALUES (1, 'free'), (2, 'pro'), (3, 'pro');",
               .kept = {"SELECT * FROM subscription ORDER BY id"},
               .after_up = {{"SELECT * FROM plan ORDER BY code", "free|0|Free\npro|20|Pro\nteam|50|Team"}},
               .after_down = {{"SELECT code, price, quote(label) FROM plan ORDER BY code",
                               "free|0|'Free'\nlegacy|5|NULL\npro|15|'Pro'"}},
               .up_script_contains = {"DELETE FROM \"plan\" WHERE \"code\" = 'legacy'",
                                      "UPDATE \"plan\" SET", "INSERT INTO \"plan\""}});
}

// A reference row deleted while a child table is rebuilt: the child row
// that points at it would become an orphan, and the migration refuses.
TEST(Scenario, DeletedReferenceRowWithChildrenIsRefused) {
  RunScenario({.name = "a reference row with children deleted while the child table is rebuilt",
               .tables_yaml = Tables(R"(
  - name: plan
    columns:
      - {name: code, type: TEXT, primary_key: true}
    rows:
      key: [code]
      values:
        - {code: free}
        - {code: pro}
  - name: subscription
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: plan_code
        type: TEXT
        changes:
          after: {check: "length(plan_code) < 10"}
    foreign_keys:
      - {columns: [plan_code], references: {table: plan}}
)"),
               .edit =
                   [](Schema& before, Schema& after) {
                     // Before: free, pro, legacy. After: free, pro.
                     Table& b = before.tables[0];
                     ASSERT_EQ(b.name, "plan");
                     b.rows.push_back(ReferenceRow{{{"code", Value::Text("legacy")}}, {}});
                     ASSERT_EQ(after.tables[0].rows.size(), 2u);
                   },
               .seed_sql = "INSERT INTO subscription VALUES (1, 'free'), (2, 'legacy');",
               .kept = {"SELECT * FROM subscription ORDER BY id"},
               // A postcheck: its verdict rolls back the whole file, the
               // record of the failure with it.
               .up_fails_with = "foreign keys of \"subscription\" hold after the reference rows of \"plan\" changed",
               .up_fails_unchecked = true});
}

// Views read each other: an unchanged view over a changed one is dropped
// and created again with it, or the column rename in between would fail
// SQLite's check of every view.
TEST(Scenario, UnchangedViewOverAChangedView) {
  RunScenario({.name = "an unchanged view that reads a changed view, with a column rename",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: x
        type: INTEGER
        changes:
          after: {name: y}
views:
  - name: v1
    sql: CREATE VIEW v1 AS SELECT id, x FROM t
    removed: after
  - name: v1
    sql: CREATE VIEW v1 AS SELECT id, y FROM t WHERE y > 0
    since: after
  - name: v2
    sql: CREATE VIEW v2 AS SELECT id FROM v1
)"),
               .seed_sql = "INSERT INTO t VALUES (1, 5), (2, -1);",
               .kept = {"SELECT * FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(id) FROM v2", "1"}},
               .after_down = {{"SELECT group_concat(id) FROM v2", "1,2"}}});
}

// An added column's literal default takes the column's affinity, in the
// prechecks as in the table: '1' in an INTEGER column is the number 1.
TEST(Scenario, AddedColumnDefaultTakesItsAffinityInPrechecks) {
  RunScenario({.name = "a text default on an INTEGER column checked by a new CHECK",
               .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: level, type: INTEGER, default: '1', since: after}
    checks:
      - {name: level_range, expr: level BETWEEN 1 AND 5, since: after}
)"),
               .seed_sql = "INSERT INTO t VALUES (1), (2);",
               .kept = {"SELECT id FROM t ORDER BY id"},
               .after_up = {{"SELECT group_concat(typeof(level) || ':' || level) FROM t", "integer:1,integer:1"}}});
}

// Reference rows are the schema's: triggers added (or re-created) in the
// same migration do not see them, as when the table is created new.
TEST(Scenario, ReferenceRowsGoInBeforeNewTriggers) {
  RunScenario({.name = "reference rows and a trigger that logs inserts, added together",
               .tables_yaml = Tables(R"(
  - name: log
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: what, type: TEXT}
  - name: feature
    columns:
      - {name: key, type: TEXT, primary_key: true}
    rows:
      key: [key]
      since: after
      values:
        - {key: voice}
    triggers:
      - name: feature_log
        since: after
        sql: CREATE TRIGGER feature_log AFTER INSERT ON feature BEGIN INSERT INTO log (what) VALUES ('feature ' || NEW.key); END
)"),
               .kept = {"SELECT * FROM log"},
               .after_up = {{"SELECT count(*) FROM log", "0"}, {"SELECT key FROM feature", "voice"}}});
}

// ---------------------------------------------------------------------------
// Several changes at once

TEST(Scenario, ManyTablesChangedAtOnce) {
  RunScenario({.name = "several tables changed by one migration",
               .tables_yaml = Tables(R"(
  - name: users
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - name: mail
        type: TEXT
        changes:
          after: {name: email, nullable: false, default: ''}
      - {name: bio, type: TEXT, removed: after}
      - {name: plan, type: TEXT, nullable: false, default: free, since: after}
    indexes:
      - {name: idx_users_plan, columns: [plan], since: after}
  - name: post
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
      - name: body
        type: TEXT
        changes:
          after: {collate: NOCASE}
      - {name: score, type: INTEGER, default: 0}
    foreign_keys:
      - {columns: [user_id], references: {table: users}, on_delete: cascade}
    checks:
      - {expr: score >= 0, since: after}
    indexes:
      - {name: idx_post_score, columns: [score DESC], where: score > 0, since: after}
  - name: comment
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: post_id, type: INTEGER}
      - {name: user_id, type: INTEGER}
    foreign_keys:
      - {columns: [post_id], references: {table: post}, on_delete: cascade}
      - {columns: [user_id], references: {table: users}, on_delete: set_null, since: after}
  - name: stale
    removed: after
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: audit
    since: after
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: what, type: TEXT}
)"),
               .seed_sql = "INSERT INTO users (mail, bio) VALUES ('a@x', 'hi'), ('b@x', NULL), ('c@x', 'yo');"
                           "DELETE FROM users WHERE id = 3;"
                           "INSERT INTO post VALUES (1, 1, 'Hello', 3), (2, 1, 'again', 0), (3, 2, 'B here', 1);"
                           "INSERT INTO comment VALUES (1, 1, 2), (2, 1, 1), (3, 3, 1), (4, 3, NULL);"
                           "INSERT INTO stale VALUES (1);",
               .kept = {"SELECT * FROM post ORDER BY id", "SELECT * FROM comment ORDER BY id",
                        "SELECT seq FROM sqlite_sequence WHERE name = 'users'"},
               .after_up = {{"SELECT * FROM users ORDER BY id", "1|a@x|free\n2|b@x|free"},
                            {"SELECT group_concat(id) FROM post WHERE body = 'HELLO'", "1"}},
               .after_down = {{"SELECT id, mail, quote(bio) FROM users ORDER BY id", "1|a@x|NULL\n2|b@x|NULL"}},
               .probes = {{"INSERT INTO post VALUES (9, 1, 'x', -1)", "CHECK constraint failed", ""},
                          {"DELETE FROM users WHERE id = 2;" +
                               Expect("(SELECT group_concat(id) FROM post) = '1,2' AND (SELECT group_concat(id) FROM "
                                      "comment) = '1,2'"),
                           "", ""}},
               .up_script_contains = {"rebuild \"users\"", "rebuild \"post\"", "rebuild \"comment\"",
                                      "DROP TABLE \"stale\"", "CREATE TABLE \"audit\""}});
}

}  // namespace
}  // namespace strata::testing
