// `strata check` on PostgreSQL, on populated databases of a real server:
// every ChefSocial foreign key with planted orphans, counted exactly with
// the right sample keys; composite keys; NULL keys; a foreign key added NOT
// VALID over old orphans (which the server never checked) and an INVALID
// index left by a failed concurrent build, both named by the health check;
// declared data checks; a check that cannot run beside others that do; the
// checks file run with psql; and the strata binary's exit codes.
#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "base/strings.h"
#include "migrate/generator.h"
#include "migrate/runner.h"
#include "pg_test_util.h"
#include "postgres/checks.h"
#include "postgres/connection.h"
#include "postgres/pg.h"
#include "postgres/postgres_dialect.h"
#include "postgres/types.h"
#include "test_util.h"
#include "yaml/load_helper.h"
#include "yaml/loader.h"

namespace strata::testing {
namespace {

// Rows of healthy data per table: enough that every check reads a
// populated table, few enough to plant quickly.
constexpr int kRows = 500;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const CheckResult* Find(const std::vector<CheckResult>& results, const std::string& name) {
  for (const CheckResult& r : results)
    if (r.check.name == name) return &r;
  return nullptr;
}

std::string Describe(const std::vector<CheckResult>& results) {
  std::string out;
  for (const CheckResult& r : results)
    out += fmt::format("  {}: {} row(s) [{}] {}\n", r.check.name, r.offending_rows, fmt::join(r.samples, ", "), r.error);
  return out;
}

bool IsInteger(const Column& c) {
  const std::string type = postgres::ColumnType(c);
  return type == "bigint" || type == "integer" || type == "smallint";
}

size_t IndexOf(const Schema& schema, const Table& t) {
  for (size_t i = 0; i < schema.tables.size(); ++i)
    if (&schema.tables[i] == &t) return i;
  return schema.tables.size();
}

// The value of column `c` of table `t` in generated row `g` (an SQL
// expression). A foreign key column takes its parent's value in row
// g % kRows + 1, which exists, so generated rows never orphan anything;
// other values are distinct per row, so UNIQUE constraints hold.
std::string ValueAt(const Schema& schema, const Table& t, const Column& c, const std::string& g) {
  for (const ForeignKey& fk : t.foreign_keys)
    for (size_t j = 0; j < fk.columns.size(); ++j)
      if (EqualsIgnoreCase(fk.columns[j], c.name)) {
        const Table* parent = schema.FindTable(fk.ref_table);
        const std::vector<std::string> ref = fk.ref_columns.empty() ? parent->PrimaryKeyColumns() : fk.ref_columns;
        return ValueAt(schema, *parent, *parent->FindColumn(ref[j]), fmt::format("(({}) % {} + 1)", g, kRows));
      }
  const std::string type = postgres::ColumnType(c);
  if (IsInteger(c)) return fmt::format("({} * 100000 + ({}))", IndexOf(schema, t) + 1, g);
  if (type.starts_with("numeric")) return fmt::format("(({}) % 100)", g);
  if (type == "double precision") return fmt::format("({})::double precision", g);
  if (type == "boolean") return fmt::format("(({}) % 2 = 0)", g);
  if (type == "timestamptz") return fmt::format("(timestamptz '2026-01-01 00:00:00+00' + ({}) * interval '1 minute')", g);
  if (type == "date") return fmt::format("(date '2026-01-01' + ({})::int)", g);
  return fmt::format("('{}.{}.' || ({}))", t.name, c.name, g);
}

// The columns a generated row sets: keys, unique columns, foreign key
// columns and NOT NULL columns without a default; the rest keep their
// defaults (NULL for most), which no data check objects to.
std::vector<const Column*> FilledColumns(const Table& t) {
  std::vector<const Column*> out;
  const std::vector<std::string> pk = t.PrimaryKeyColumns();
  for (const Column& c : t.columns) {
    bool fill = c.primary_key || c.unique || (!c.nullable && !c.default_value) ||
                std::any_of(pk.begin(), pk.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, c.name); });
    for (const ForeignKey& fk : t.foreign_keys)
      for (const std::string& col : fk.columns) fill = fill || EqualsIgnoreCase(col, c.name);
    for (const UniqueConstraint& u : t.uniques)
      for (const std::string& col : u.columns) fill = fill || EqualsIgnoreCase(col, c.name);
    if (fill) out.push_back(&c);
  }
  return out;
}

// INSERT ... SELECT over generate_series(first, last) AS g, `override`
// replacing the generated value of some columns.
std::string InsertRows(const Schema& schema, const Table& t, int first, int last,
                       const std::map<std::string, std::string>& override = {}) {
  std::vector<std::string> names, values;
  for (const Column* c : FilledColumns(t)) {
    names.push_back(postgres::QuoteIdent(c->name));
    auto o = override.find(c->name);
    values.push_back(o != override.end() ? o->second : ValueAt(schema, t, *c, "g"));
  }
  return fmt::format("INSERT INTO {} ({}) SELECT {} FROM generate_series({}, {}) AS g;\n", postgres::QuoteIdent(t.name),
                     fmt::join(names, ", "), fmt::join(values, ", "), first, last);
}

Result<std::unique_ptr<postgres::PostgresConnection>> OpenDb(const TestDatabase& db) {
  return postgres::PostgresConnection::Open(db.url());
}

// ChefSocial migrated to its last tag with the generated PostgreSQL files
// (as psql runs them), populated with healthy rows in every table.
TEST(PgChecks, EveryChefSocialForeignKeyCountsExactlyThePlantedOrphans) {
  STRATA_TEST_DATABASE(db);
  Diagnostics d;
  std::optional<VersionedSchema> versioned = yaml::LoadSchemaDir(SourceDir() / "schema", d);
  ASSERT_TRUE(versioned);
  std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  const GenerateResult generated = GenerateMigrations(*versioned, *dialect, {});
  Result<std::vector<MigrationEntry>> entries = LoadMigrations(generated.files, versioned->project);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  for (const MigrationEntry& e : *entries) {
    std::string err;
    ASSERT_EQ(RunPsql(db->url(), e.up_sql, &err), 0) << e.up_file << ": " << err;
  }
  const Schema schema = versioned->Latest();

  // Planting needs what the schema forbids: the replica role skips the
  // foreign key triggers, so rows go in in any order and orphans stay.
  std::string sql = "SET session_replication_role = replica;\n";
  for (const Table& t : schema.tables) sql += InsertRows(schema, t, 1, kRows);
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), sql, &err), 0) << err;

  Result<std::unique_ptr<postgres::PostgresConnection>> conn = OpenDb(*db);
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  const std::vector<CheckResult> healthy = (*conn)->RunChecks(schema, 10);
  for (const CheckResult& r : healthy) {
    if (r.check.kind != IntegrityCheck::Kind::kOrphans && r.check.name != "database_health") continue;
    EXPECT_TRUE(r.passed()) << r.check.name << " on healthy data\n" << Describe(healthy);
  }
  ASSERT_EQ(healthy.front().check.name, "database_health");

  // Foreign key number k gets k % 3 + 1 orphans, each with its own missing
  // key, plus (when nullable) a row whose key is NULL, which is no orphan.
  std::map<std::string, std::vector<std::string>> expected;
  sql = "SET session_replication_role = replica;\n";
  size_t k = 0;
  int next_row = 10 * kRows;  // generated rows beyond the healthy ones: distinct UNIQUE values
  for (const Table& t : schema.tables)
    for (const ForeignKey& fk : t.foreign_keys) {
      const std::string name = fmt::format("orphans:{}.{}->{}", t.name, fmt::join(fk.columns, ","), fk.ref_table);
      ASSERT_EQ(fk.columns.size(), 1u) << name;
      const Column& column = *t.FindColumn(fk.columns[0]);
      for (int r = 0; r < static_cast<int>(k % 3) + 1; ++r) {
        const std::string key = IsInteger(column) ? std::to_string(7000000 + k * 10 + r) : fmt::format("orphan-{}-{}", k, r);
        sql += InsertRows(schema, t, next_row, next_row,
                          {{column.name, IsInteger(column) ? key : postgres::QuoteLiteral(key)}});
        ++next_row;
        expected[name].push_back(IsInteger(column) ? key : postgres::QuoteLiteral(key));
      }
      const std::vector<std::string> pk = t.PrimaryKeyColumns();
      const bool in_key = std::any_of(pk.begin(), pk.end(), [&](const std::string& c) { return EqualsIgnoreCase(c, column.name); });
      if (column.nullable && !column.primary_key && !in_key) {
        sql += InsertRows(schema, t, next_row, next_row, {{column.name, "NULL"}});
        ++next_row;
      }
      ++k;
    }
  ASSERT_GE(k, 16u) << "every ChefSocial foreign key is planted";
  ASSERT_EQ(RunPsql(db->url(), sql, &err), 0) << err;

  const std::vector<CheckResult> results = (*conn)->RunChecks(schema, 10);
  EXPECT_TRUE(results.front().passed()) << "planting orphans leaves no constraint NOT VALID\n" << Describe(results);
  size_t orphan_checks = 0;
  for (const CheckResult& r : results) {
    if (r.check.kind == IntegrityCheck::Kind::kData && r.check.name != "database_health") {
      // A data check only SQLite can run fails to run, and says why.
      if (std::optional<std::string> f = postgres::SqliteOnlyConstruct(r.check.sql))
        EXPECT_NE(r.error.find("\"" + *f + "\", which is SQLite's own"), std::string::npos) << r.error;
      else
        EXPECT_EQ(r.error, "") << r.check.name;
      continue;
    }
    if (r.check.kind != IntegrityCheck::Kind::kOrphans) continue;
    ++orphan_checks;
    SCOPED_TRACE(r.check.name);
    ASSERT_TRUE(expected.count(r.check.name));
    const std::vector<std::string>& keys = expected[r.check.name];
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.offending_rows, static_cast<int64_t>(keys.size()));
    EXPECT_EQ(r.samples, Sorted(keys)) << "every key, in byte order";
  }
  EXPECT_EQ(orphan_checks, k);

  // Fewer samples than keys: the count stays exact.
  for (const CheckResult& r : (*conn)->RunChecks(schema, 1)) {
    if (r.check.kind != IntegrityCheck::Kind::kOrphans) continue;
    EXPECT_EQ(r.offending_rows, static_cast<int64_t>(expected[r.check.name].size())) << r.check.name;
    EXPECT_EQ(r.samples.size(), 1u) << r.check.name;
  }
  EXPECT_FALSE((*conn)->session().in_transaction()) << "the checks' transaction ended";
}

// A schema of its own, created through the connection (the same DDL as the
// migrations), with `data` planted with foreign keys off.
class PgCrafted : public ::testing::Test {
 protected:
  std::vector<CheckResult> Run(const TestDatabase& db, const std::string& tables_yaml, const std::string& data,
                               int samples = 5) {
    LoadOutcome loaded = LoadFiles({{"schema/t.yaml", tables_yaml}}, "project: t\ntags: [v1]\n");
    EXPECT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
    if (!loaded.schema) return {};
    schema_ = loaded.schema->Latest();
    Result<std::unique_ptr<postgres::PostgresConnection>> conn = OpenDb(db);
    EXPECT_TRUE(conn.ok()) << conn.status().message();
    if (!conn.ok()) return {};
    Status created = (*conn)->CreateSchema(schema_);
    EXPECT_TRUE(created.ok()) << created.message();
    std::string err;
    EXPECT_EQ(RunPsql(db.url(), "SET session_replication_role = replica;\n" + data, &err), 0) << err;
    conn_ = std::move(conn.value());
    return conn_->RunChecks(schema_, samples);
  }

  Schema schema_;
  std::unique_ptr<postgres::PostgresConnection> conn_;
};

TEST_F(PgCrafted, CompositeKeysCountOnlyRowsWithEveryColumnSet) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: teams
    primary_key: [org, code]
    columns:
      - {name: org, type: TEXT}
      - {name: code, type: INTEGER}
  - name: members
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: org, type: TEXT}
      - {name: code, type: INTEGER}
    foreign_keys:
      - columns: [org, code]
        references: {table: teams, columns: [org, code]}
)",
                                   "INSERT INTO teams SELECT 'o' || (g % 50), g FROM generate_series(1, 2000) AS g;\n"
                                   "INSERT INTO members (org, code) SELECT 'o' || (g % 50), g FROM generate_series(1, 2000) AS g;\n"
                                   "INSERT INTO members (org, code) VALUES ('o1', 2), ('o1', 2), ('it''s/x', 1),"
                                   " ('o1', NULL), (NULL, 9), (NULL, NULL);");
  const CheckResult* fk = Find(r, "orphans:members.org,code->teams");
  ASSERT_NE(fk, nullptr) << Describe(r);
  EXPECT_EQ(fk->error, "");
  EXPECT_EQ(fk->offending_rows, 3) << "('o1', 2) twice and ('it''s/x', 1); rows with a NULL part are not orphans";
  EXPECT_EQ(fk->samples, (std::vector<std::string>{"'it''s/x'/1", "'o1'/2"}));
  EXPECT_FALSE(fk->check.child_indexed);
}

TEST_F(PgCrafted, NullKeysAreNotOrphans) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: users
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: posts
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
    indexes:
      - {name: idx_posts_user_id, columns: [user_id]}
)",
                                   "INSERT INTO users SELECT g FROM generate_series(1, 1000) AS g;\n"
                                   "INSERT INTO posts SELECT g, CASE WHEN g % 2 = 0 THEN NULL ELSE g % 1000 + 1 END "
                                   "FROM generate_series(1, 5000) AS g;\n"
                                   "INSERT INTO posts VALUES (9001, 1001), (9002, 1001), (9003, 0);");
  const CheckResult* fk = Find(r, "orphans:posts.user_id->users");
  ASSERT_NE(fk, nullptr) << Describe(r);
  EXPECT_EQ(fk->offending_rows, 3) << "2,500 rows have a NULL key and are not counted";
  EXPECT_EQ(fk->samples, (std::vector<std::string>{"0", "1001"}));
  EXPECT_TRUE(fk->check.child_indexed);
}

// PostgreSQL checks a foreign key added NOT VALID on new rows only: the
// rows already there are never looked at. The orphan check still counts
// them, and the health check names the constraint.
TEST_F(PgCrafted, AForeignKeyAddedNotValidOverOldOrphansIsCountedAndNamed) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: users
    columns:
      - {name: id, type: INTEGER, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
)",
                                   "INSERT INTO users SELECT g FROM generate_series(1, 1000) AS g;\n"
                                   "INSERT INTO orders SELECT g, g % 1000 + 1 FROM generate_series(1, 3000) AS g;\n");
  ASSERT_TRUE(Find(r, "orphans:orders.user_id->users")->passed()) << Describe(r);
  std::string err;
  // The foreign key as a team might have added it to a live table: dropped
  // for a bulk load, then put back NOT VALID to skip the long scan.
  ASSERT_EQ(RunPsql(db->url(),
                    "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\n"
                    "INSERT INTO orders VALUES (5001, 2000), (5002, 2000), (5003, 2001);\n"
                    "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n",
                    &err),
            0)
      << err;
  EXPECT_NE(RunPsql(db->url(), "INSERT INTO orders VALUES (5004, 2002);", &err), 0) << "new rows are checked";
  EXPECT_NE(err.find("orders_user_id_fkey"), std::string::npos) << err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM orders WHERE user_id >= 2000"), "3") << "old orphans are not";

  r = conn_->RunChecks(schema_, 5);
  const CheckResult* fk = Find(r, "orphans:orders.user_id->users");
  const CheckResult* health = Find(r, "database_health");
  ASSERT_NE(fk, nullptr);
  ASSERT_NE(health, nullptr);
  EXPECT_EQ(fk->offending_rows, 3);
  EXPECT_EQ(fk->samples, (std::vector<std::string>{"2000", "2001"}));
  EXPECT_EQ(health->offending_rows, 1);
  EXPECT_EQ(health->samples, (std::vector<std::string>{"NOT VALID constraint orders_user_id_fkey on orders"}));
}

// A unique index whose concurrent build met duplicates stays behind,
// INVALID: unused by queries, and enforcing nothing.
TEST_F(PgCrafted, AnInvalidIndexIsNamedByTheHealthCheck) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: "Accounts"
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: email, type: TEXT}
)",
                                   "INSERT INTO \"Accounts\" SELECT g, 'a' || (g % 900) FROM generate_series(1, 1000) AS g;\n");
  ASSERT_TRUE(Find(r, "database_health")->passed()) << Describe(r);
  std::string err;
  EXPECT_NE(RunPsql(db->url(), "CREATE UNIQUE INDEX CONCURRENTLY \"Accounts email\" ON \"Accounts\" (email);", &err), 0);
  ASSERT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "1") << err;
  r = conn_->RunChecks(schema_, 5);
  const CheckResult* health = Find(r, "database_health");
  ASSERT_NE(health, nullptr);
  EXPECT_EQ(health->error, "");
  EXPECT_EQ(health->offending_rows, 1);
  EXPECT_EQ(health->samples, (std::vector<std::string>{"INVALID index \"Accounts email\" on \"Accounts\""}));
}

TEST_F(PgCrafted, DataChecksReportTheirOffendingRowsAndPassWhenThereAreNone) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: scores
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: score, type: INTEGER}
      - {name: note, type: TEXT}
    data_checks:
      - name: score_range
        description: a score is from 1 to 10
        sql: SELECT id, score, note FROM scores WHERE score NOT BETWEEN 1 AND 10
      - name: note_not_empty
        description: a note, when set, is not empty
        sql: SELECT id FROM scores WHERE note = ''
)",
                                   "INSERT INTO scores SELECT g, g % 10 + 1, NULL FROM generate_series(1, 10000) AS g;\n"
                                   "UPDATE scores SET score = 11, note = 'it''s high' WHERE id = 7;\n"
                                   "UPDATE scores SET score = 0 WHERE id IN (20, 30, 40);\n");
  const CheckResult* range = Find(r, "score_range");
  const CheckResult* note = Find(r, "note_not_empty");
  ASSERT_NE(range, nullptr);
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(range->check.table, "scores");
  EXPECT_EQ(range->check.description, "a score is from 1 to 10");
  EXPECT_EQ(range->error, "");
  EXPECT_EQ(range->offending_rows, 4);
  EXPECT_EQ(range->samples, (std::vector<std::string>{"id=20, score=0, note=NULL", "id=30, score=0, note=NULL",
                                                      "id=40, score=0, note=NULL", "id=7, score=11, note=it's high"}));
  EXPECT_TRUE(note->passed()) << Describe(r);
}

// A check that cannot run (its table is gone, its SQL writes) gets an
// error; the checks after it still run, in the same read-only snapshot.
TEST_F(PgCrafted, ACheckThatCannotRunGetsAnErrorAndTheOthersStillRun) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, R"(tables:
  - name: gone
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
  - name: users
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
    data_checks:
      - name: writes
        description: SQL that would write (nextval changes the sequence)
        sql: SELECT id FROM users WHERE nextval('users_id_seq') < 0
  - name: posts
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: user_id, type: INTEGER}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
)",
                                   "INSERT INTO users (id) SELECT g FROM generate_series(1, 100) AS g;\n"
                                   "INSERT INTO posts VALUES (1, 1), (2, 500);\n");
  ASSERT_EQ(RunPsql(db->url(), "DROP TABLE gone;", nullptr), 0);
  const std::string sequence_before = PgQuery(db->url(), "SELECT last_value FROM users_id_seq");
  r = conn_->RunChecks(schema_, 5);
  ASSERT_EQ(r.size(), 4u) << Describe(r);
  EXPECT_EQ(r[0].check.name, "database_health");
  EXPECT_TRUE(r[0].passed());
  EXPECT_EQ(r[1].check.name, "orphans:gone.user_id->users");
  EXPECT_NE(r[1].error.find("relation \"gone\" does not exist"), std::string::npos) << r[1].error;
  EXPECT_EQ(r[2].check.name, "writes");
  EXPECT_NE(r[2].error.find("read-only transaction"), std::string::npos) << r[2].error;
  EXPECT_EQ(PgQuery(db->url(), "SELECT last_value FROM users_id_seq"), sequence_before);
  EXPECT_EQ(r[3].check.name, "orphans:posts.user_id->users");
  EXPECT_EQ(r[3].error, "");
  EXPECT_EQ(r[3].offending_rows, 1);
  EXPECT_EQ(r[3].samples, (std::vector<std::string>{"500"}));
  EXPECT_FALSE(conn_->session().in_transaction());
}

const char* kShop = R"yaml(tables:
  - name: customers
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: email, type: TEXT, nullable: false, unique: true, collate: BINARY}
  - name: regions
    primary_key: [country, code]
    columns:
      - {name: country, type: TEXT}
      - {name: code, type: INTEGER}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}
      - {name: customer_id, type: INTEGER}
      - {name: customer_email, type: TEXT}
      - {name: country, type: TEXT}
      - {name: region, type: INTEGER}
      - {name: total, type: "DECIMAL(10,2)"}
    foreign_keys:
      - {columns: [customer_id], references: {table: customers, columns: [id]}}
      - {columns: [customer_email], references: {table: customers, columns: [email]}}
      - {columns: [country, region], references: {table: regions, columns: [country, code]}}
    indexes:
      - {name: idx_orders_customer, columns: [customer_id]}
    data_checks:
      - name: order_total_not_negative
        description: an order's total is not negative
        sql: SELECT id, total FROM orders WHERE total < 0
)yaml";

const char* kShopData =
    "INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 2000) AS g;\n"
    "INSERT INTO regions SELECT c, g FROM generate_series(1, 20) AS g, unnest(ARRAY['fr', 'de']) AS c;\n"
    "INSERT INTO orders SELECT g, g % 2000 + 1, 'c' || (g % 2000 + 1) || '@example.com', "
    "CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'de' END, g % 20 + 1, g % 100 FROM generate_series(1, 20000) AS g;\n";

TEST_F(PgCrafted, ACleanPopulatedDatabasePassesEveryCheck) {
  STRATA_TEST_DATABASE(db);
  std::vector<CheckResult> r = Run(*db, kShop, kShopData);
  ASSERT_EQ(r.size(), 5u) << Describe(r);
  for (const CheckResult& c : r) {
    EXPECT_TRUE(c.passed()) << Describe(r);
    EXPECT_TRUE(c.samples.empty()) << c.check.name;
  }
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM orders"), "20000");
}

// The checks file `generate` writes for PostgreSQL is plain SQL that psql
// runs, and each of its queries is the one `strata check` runs.
TEST_F(PgCrafted, TheChecksFileRunsWithPsql) {
  STRATA_TEST_DATABASE(db);
  (void)Run(*db, kShop, std::string(kShopData) + "INSERT INTO orders (id, customer_id, total) VALUES (20001, 99999, -1);\n");
  const std::string file = postgres::MakeDialect()->RenderChecks(schema_, "v1");
  for (const IntegrityCheck& c : postgres::BuildChecks(schema_))
    EXPECT_NE(file.find(c.sql + ";\n"), std::string::npos) << c.name;
  EXPECT_NE(file.find("-- note: no index leads with the child columns; every delete of a parent row"), std::string::npos);
  std::string err;
  EXPECT_EQ(RunPsql(db->url(), file, &err), 0) << err;
  EXPECT_EQ(PgQuery(db->url(), postgres::BuildChecks(schema_)[0].sql), "99999|1");
}

// The strata binary: `check --format json` against a PostgreSQL URL exits 1
// with the findings, and 0 once the data is repaired.
TEST(PgCheckCli, CheckExitsOneWithFindingsAndZeroOnACleanDatabase) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  dir.Write("schema/project.yaml", "project: shop\ndialects: [postgres]\ntags: [v1]\n");
  dir.Write("schema/tables/shop.yaml", kShop);
  const std::vector<std::string> paths = {"--schema", (dir / "schema").string(), "--migrations",
                                          (dir / "migrations").string()};
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), paths.begin(), paths.end());
    return RunStrata(args, dir.path());
  };
  CommandResult generate = run({"generate", "--checks", (dir / "checks").string()});
  ASSERT_EQ(generate.exit_code, 0) << generate.out << generate.err;
  EXPECT_NE(ReadFile(dir / "checks/v1.sql").find("orphans:orders.country,region->regions"), std::string::npos);
  CommandResult up = run({"up", "--no-backup", "--db", db->url()});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  std::string err;
  ASSERT_EQ(RunPsql(db->url(),
                    std::string("SET session_replication_role = replica;\n") + kShopData +
                        "INSERT INTO orders (id, customer_id, country, region, total) VALUES (20001, 4242, 'fr', 1, 5), "
                        "(20002, 1, 'uk', 3, 5), (20003, 2, 'fr', 2, -3);\n",
                    &err),
            0)
      << err;

  CommandResult found = run({"check", "--db", db->url(), "--format", "json"});
  EXPECT_EQ(found.exit_code, 1) << found.out << found.err;
  EXPECT_NE(found.out.find("\"ok\":false"), std::string::npos) << found.out;
  EXPECT_NE(found.out.find("\"failed\":3"), std::string::npos) << found.out;
  EXPECT_NE(found.out.find(R"("name":"orphans:orders.customer_id->customers","table":"orders","kind":"orphans","passed":false,"offending_rows":1,"samples":["4242"])"),
            std::string::npos)
      << found.out;
  EXPECT_NE(found.out.find(R"("samples":["'uk'/3"])"), std::string::npos) << found.out;
  EXPECT_NE(found.out.find(R"("samples":["id=20003, total=-3.00"])"), std::string::npos) << found.out;

  ASSERT_EQ(RunPsql(db->url(), "DELETE FROM orders WHERE id > 20000;", &err), 0) << err;
  CommandResult clean = run({"check", "--db", db->url(), "--format", "json"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("\"ok\":true"), std::string::npos) << clean.out;
  EXPECT_NE(clean.out.find("\"name\":\"database_health\""), std::string::npos) << clean.out;
}

}  // namespace
}  // namespace strata::testing
