// The scenario suite's changes, planned for PostgreSQL and applied to
// populated tables on a real server, each twice: with psql and through
// PostgresConnection.
#include <gtest/gtest.h>

#include "pg_scenario.h"
#include "pg_test_util.h"

#include <cctype>

namespace strata::testing {
namespace {

std::string Tables(const std::string& yaml) { return "tables:" + yaml; }


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
)";

}  // namespace

std::vector<PgScenario> AllScenarios() {
  return {
      PgScenario{.name = "add columns",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: a, type: TEXT}
      - {name: b, type: TEXT, since: after}
      - {name: active, type: BOOLEAN, nullable: false, default: true, since: after}
      - {name: created_at, type: DATETIME, nullable: false, default_sql: CURRENT_TIMESTAMP, since: after}
)"),
                       .seed_sql = "INSERT INTO t (a) VALUES ('x'), ('y');",
                       .kept = {"SELECT id, a FROM t ORDER BY id"},
                       .after_up = {{"SELECT count(*) FROM t WHERE active AND created_at IS NOT NULL", "2"}},
                       .up_script_contains = {"ADD COLUMN IF NOT EXISTS \"active\" boolean NOT NULL DEFAULT true"}},
      PgScenario{.name = "drop a column",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: gone, type: TEXT, removed: after}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 'x', 'lost'), (2, 'y', NULL);",
                       .kept = {"SELECT id, a FROM t ORDER BY id"},
                       .up_script_contains = {"-- DESTRUCTIVE: drop column \"t\".\"gone\""}},
      PgScenario{.name = "rename a column",
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
          after: {columns: [handle]}
)"),
                       .seed_sql = "INSERT INTO account VALUES (1, 'ada'), (2, NULL);",
                       .kept = {"SELECT * FROM account ORDER BY id"},
                       .up_script_contains = {"ALTER TABLE \"account\" RENAME COLUMN \"nickname\" TO \"handle\""}},
      PgScenario{.name = "change a column type",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: zip
        type: INTEGER
        changes:
          after: {type: TEXT}
      - name: code
        type: VARCHAR(10)
        changes:
          after: {type: VARCHAR(40)}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 75001, 'a'), (2, 10115, 'b'), (3, NULL, NULL);",
                       .kept = {"SELECT id, zip::text, code FROM t ORDER BY id"},
                       .after_up = {{"SELECT pg_typeof(zip)::text FROM t LIMIT 1", "text"}},
                       .after_down = {{"SELECT pg_typeof(zip)::text FROM t LIMIT 1", "bigint"}},
                       .up_script_contains = {"TYPE text USING \"zip\"::text", "REWRITES the table",
                                              "varchar(10) to varchar(40) (no table rewrite)"}},
      PgScenario{.name = "existing column becomes NOT NULL",
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
                       .up_script_contains = {"CHECK (\"lang\" IS NOT NULL) NOT VALID", "VALIDATE CONSTRAINT",
                                              "SET NOT NULL"}},
      PgScenario{.name = "NOT NULL where NULLs exist",
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
                       .up_fails_with = "\"t\".\"email\" has NULLs",
                       .up_fails_naming = "offending rows: 2, 4"},
      PgScenario{.name = "add UNIQUE",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: TEXT}
    unique:
      - {columns: [a, b], since: after}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 'x', 'y'), (2, 'x', 'z'), (3, NULL, 'y'), (4, NULL, 'y');",
                       .kept = {"SELECT * FROM t ORDER BY id"},
                       .up_script_contains = {"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"t_a_b_key\"",
                                              "UNIQUE USING INDEX"}},
      PgScenario{.name = "add UNIQUE over duplicates",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        changes:
          after: {unique: true}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x');",
                       .up_fails_with = "which the new UNIQUE constraint forbids",
                       .up_fails_naming = "offending rows: a@x"},
      // Every failing precheck is reported at once, each with its rows.
      PgScenario{.name = "NOT NULL and UNIQUE over bad rows both named",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - name: email
        type: TEXT
        changes:
          after: {nullable: false, default: ''}
      - name: code
        type: TEXT
        changes:
          after: {unique: true}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, NULL, 'k'), (2, 'b@x', 'k'), (3, NULL, 'm');",
                       .up_fails_with = "2 check(s) failed; nothing was applied:\ncheck 3 failed: \"t\".\"email\" has NULLs",
                       .up_fails_naming = "which the new UNIQUE constraint forbids; offending rows: k"},
      PgScenario{.name = "add CHECK",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: qty, type: INTEGER}
    checks:
      - {name: qty_positive, expr: qty > 0, since: after}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 5), (2, NULL);",
                       .kept = {"SELECT * FROM t ORDER BY id"},
                       .up_script_contains = {"ADD CONSTRAINT \"qty_positive\" CHECK (qty > 0) NOT VALID",
                                              "VALIDATE CONSTRAINT \"qty_positive\""}},
      PgScenario{.name = "add CHECK over violating rows",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: qty, type: INTEGER}
    checks:
      - {name: qty_positive, expr: qty > 0, since: after}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 5), (2, -1), (3, 0);",
                       .up_fails_with = "break the new CHECK",
                       .up_fails_naming = "offending rows: 2, 3"},
      PgScenario{.name = "add a foreign key",
                       .tables_yaml = Tables(std::string(kAuthors) + R"(
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, on_delete: cascade, since: after}
)"),
                       .seed_sql = "INSERT INTO author VALUES (1, 'Ada'), (2, 'Grace');"
                                   "INSERT INTO book VALUES (10, 1, 'Notes'), (11, 2, 'Compilers'), (12, NULL, 'Anon');",
                       .kept = {"SELECT * FROM author ORDER BY id", "SELECT * FROM book ORDER BY id"},
                       .up_script_contains = {"FOREIGN KEY (\"author_id\") REFERENCES \"author\" (\"id\") ON DELETE CASCADE NOT VALID",
                                              "VALIDATE CONSTRAINT \"book_author_id_fkey\""}},
      PgScenario{.name = "drop a foreign key",
                       .tables_yaml = Tables(std::string(kAuthors) + R"(
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, removed: after}
)"),
                       .seed_sql = "INSERT INTO author VALUES (1, 'Ada');INSERT INTO book VALUES (10, 1, 'Notes');",
                       .kept = {"SELECT * FROM author ORDER BY id", "SELECT * FROM book ORDER BY id"}},
      PgScenario{.name = "add a foreign key over orphans",
                       .tables_yaml = Tables(std::string(kAuthors) + R"(
    foreign_keys:
      - {columns: [author_id], references: {table: author, columns: [id]}, since: after}
)"),
                       .seed_sql = "INSERT INTO author VALUES (1, 'Ada');"
                                   "INSERT INTO book VALUES (10, 1, 'Notes'), (11, 7, 'Lost'), (12, 9, 'Gone');",
                       .up_fails_with = "(orphans)",
                       .up_fails_naming = "offending rows: 7, 9"},
      PgScenario{.name = "index changes",
                       .tables_yaml = Tables(R"(
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: score, type: INTEGER}
    indexes:
      - {name: idx_t_a, columns: [a], removed: after}
      - {name: idx_t_score, columns: [score DESC], since: after}
      - {name: idx_t_a_partial, columns: [a], where: score > 10, since: after}
      - name: idx_t_changed
        columns: [a]
        changes:
          after: {columns: [a, score]}
)"),
                       .seed_sql = "INSERT INTO t VALUES (1, 'x', 5), (2, 'y', 20);",
                       .kept = {"SELECT * FROM t ORDER BY id"},
                       .up_script_contains = {"DROP INDEX CONCURRENTLY IF EXISTS \"idx_t_a\"",
                                              "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"idx_t_score\" ON \"t\" (\"score\" DESC)",
                                              "AND NOT x.indisvalid"}},
      PgScenario{.name = "tables added, renamed and dropped",
                       .tables_yaml = Tables(R"(
  - name: keep
    changes:
      after: {name: kept}
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: v, type: TEXT}
    indexes:
      - {name: idx_keep_v, columns: [v]}
  - name: old
    removed: after
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: fresh
    since: after
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: kept_id, type: INTEGER}
      - {name: payload, type: JSON}
      - {name: data, type: BLOB}
    foreign_keys:
      - {columns: [kept_id], references: {table: kept, columns: [id]}}
    indexes:
      - {name: idx_fresh_kept, columns: [kept_id]}
)"),
                       .seed_sql = "INSERT INTO keep VALUES (1, 'a'), (2, 'b'); INSERT INTO old VALUES (1);",
                       .after_up = {{"SELECT * FROM kept ORDER BY id", "1|a\n2|b"}},
                       .after_down = {{"SELECT * FROM keep ORDER BY id", "1|a\n2|b"}},
                       .up_script_contains = {"ALTER TABLE \"keep\" RENAME TO \"kept\"", "jsonb", "bytea",
                                              "GENERATED BY DEFAULT AS IDENTITY"}},
      PgScenario{.name = "reference rows and a data fix",
                       .tables_yaml = Tables(R"(
  - name: plan
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: code, type: TEXT, nullable: false, unique: true}
      - {name: price, type: INTEGER, nullable: false}
    rows:
      key: [code]
      values:
        - {id: 1, code: free, price: 0}
        - {id: 2, code: pro, price: 20}
  - name: usage
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
      - {name: month, type: TEXT}
    unique:
      - {columns: [user_id, month], since: after}
    data_fixes:
      - name: drop_duplicate_months
        description: keep the first row of each month
        since: after
        sql: DELETE FROM usage WHERE id NOT IN (SELECT min(id) FROM usage GROUP BY user_id, month)
)"),
                       .edit =
                           [](Schema& before, Schema&) {
                             before.tables[0].rows.pop_back();  // `pro` arrives with `after`
                           },
                       .seed_sql = "INSERT INTO usage VALUES (1, 7, '2024-01'), (2, 7, '2024-01'), (3, 7, '2024-02');",
                       .after_up = {{"SELECT id, code, price FROM plan ORDER BY id", "1|free|0\n2|pro|20"},
                                    {"SELECT id FROM usage ORDER BY id", "1\n3"},
                                    {"SELECT nextval(pg_get_serial_sequence('plan', 'id')) > 2", "t"}},
                       .after_down = {{"SELECT id, code FROM plan ORDER BY id", "1|free"}},
                       .up_script_contains = {"INSERT INTO \"plan\"", "setval(pg_get_serial_sequence"}}};
}

namespace {

// Each scenario on its own two databases: with psql and through PostgresConnection.
class PgScenarioTest : public ::testing::TestWithParam<PgScenario> {};

TEST_P(PgScenarioTest, AppliedWithPsql) {
  STRATA_TEST_DATABASE(db);
  RunPgScenario(GetParam(), ApplyWith::kPsql, db->url(), std::getenv("STRATA_TEST_PG"));
}

TEST_P(PgScenarioTest, AppliedThroughTheConnection) {
  STRATA_TEST_DATABASE(db);
  RunPgScenario(GetParam(), ApplyWith::kConnection, db->url(), std::getenv("STRATA_TEST_PG"));
}

std::string ScenarioName(const ::testing::TestParamInfo<PgScenario>& info) {
  std::string out;
  bool upper = true;
  for (char c : info.param.name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, PgScenarioTest, ::testing::ValuesIn(AllScenarios()), ScenarioName);

}  // namespace
}  // namespace strata::testing
