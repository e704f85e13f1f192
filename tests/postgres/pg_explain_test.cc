// `strata explain` on PostgreSQL 15: the placeholders of queries declared
// for both dialects; each plan node's classification on crafted tables with
// known plans; ChefSocial at its last tag, populated, before and after
// ANALYZE (the same redundant and foreign-key indexes SQLite reports, a
// large-table scan that fails, a dropped foreign-key index suggested and
// checked by the server, nothing left behind); suggestions that cannot be
// checked (a lock held elsewhere, a read-only session); and the strata
// binary against a PostgreSQL URL.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "migrate/generator.h"
#include "migrate/runner.h"
#include "pg_scenario.h"
#include "pg_test_util.h"
#include "postgres/connection.h"
#include "postgres/explain.h"
#include "postgres/postgres_dialect.h"
#include "report/explain_report.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/explain.h"
#include "test_util.h"
#include "yaml/load_helper.h"
#include "yaml/loader.h"

namespace strata::testing {
namespace {

using Kind = PlanStep::Kind;

// Explain through the dialect, as the CLI does.
ExplainReport ExplainOn(const std::string& url, const Schema& schema, OpenOptions options = {}) {
  Result<std::unique_ptr<Connection>> conn = postgres::MakeDialect()->Open(url, options);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  if (!conn.ok()) return {};
  Result<ExplainReport> r = (*conn)->Explain(schema);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : ExplainReport{};
}

// ---------------------------------------------------------------------------
// Placeholders (no server needed).

TEST(PgExplainParameters, SqlitePlaceholdersBecomeNumberedOutsideStringsAndComments) {
  using postgres::NumberedParameters;
  EXPECT_EQ(NumberedParameters("SELECT * FROM t WHERE a = ? AND b BETWEEN ? AND ?"),
            "SELECT * FROM t WHERE a = $1 AND b BETWEEN $2 AND $3");
  EXPECT_EQ(NumberedParameters("SELECT '?', \"?\", E'\\'?' FROM t -- ?\nWHERE a = ? /* ? */"),
            "SELECT '?', \"?\", E'\\'?' FROM t -- ?\nWHERE a = $1 /* ? */");
  EXPECT_EQ(NumberedParameters("SELECT $$ ? $$, $q$ ? $q$ FROM t WHERE a = ?"), "SELECT $$ ? $$, $q$ ? $q$ FROM t WHERE a = $1");
  // SQLite's rules: ?NNN is that number, a bare ? the next after the highest so far, :name one number each.
  EXPECT_EQ(NumberedParameters("a = ?2 AND b = ? AND c = ?1"), "a = $2 AND b = $3 AND c = $1");
  EXPECT_EQ(NumberedParameters("a = :id OR b = :id OR c = :other"), "a = $1 OR b = $1 OR c = $2");
  // PostgreSQL's own syntax is left alone.
  EXPECT_EQ(NumberedParameters("SELECT x::text, arr[lo:hi], d ?| e FROM t WHERE a = $1"),
            "SELECT x::text, arr[lo:hi], d ?| e FROM t WHERE a = $1");
  EXPECT_EQ(NumberedParameters("SELECT 1 WHERE a = $2 AND b = ?"), "SELECT 1 WHERE a = $2 AND b = $3");
  EXPECT_EQ(NumberedParameters("a = ?99999999999"), "a = ?99999999999") << "not a number PostgreSQL takes";
}

// ---------------------------------------------------------------------------
// Classification, on a table whose plans are known.

constexpr const char* kCrafted = R"(
CREATE TABLE t (id bigint PRIMARY KEY, a text, b text, c int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_bc ON t (b, c);
INSERT INTO t SELECT g, 'a' || g, 'b' || (g % 1000), g % 50 FROM generate_series(1, 20000) g;
VACUUM ANALYZE t;
)";

class PgExplainClassifier : public ::testing::Test {
 protected:
  void Plan(const std::string& sql) {
    Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(url_);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    Result<std::vector<PlanStep>> steps = postgres::ExplainQueryPlan((*conn)->session(), sql);
    ASSERT_TRUE(steps.ok()) << steps.status().message();
    steps_ = *steps;
  }
  const PlanStep* Step(Kind kind) const {
    for (const PlanStep& s : steps_)
      if (s.kind == kind) return &s;
    return nullptr;
  }
  std::string Steps() const {
    std::string out;
    for (const PlanStep& s : steps_) out += fmt::format("{} {} [{}]\n", s.id, s.detail, PlanStepKindName(s.kind));
    return out;
  }
  std::string url_;
  std::vector<PlanStep> steps_;
};

#define STRATA_CRAFTED_DATABASE()                  \
  STRATA_TEST_DATABASE(db);                        \
  std::string err;                                 \
  ASSERT_EQ(RunPsql(db->url(), kCrafted, &err), 0) << err; \
  url_ = db->url();

TEST_F(PgExplainClassifier, ScansSearchesAndKeySearches) {
  STRATA_CRAFTED_DATABASE();
  Plan("SELECT * FROM t WHERE c = ?");
  ASSERT_EQ(steps_.size(), 1u) << Steps();
  EXPECT_EQ(steps_[0].kind, Kind::kScan);
  EXPECT_EQ(steps_[0].table, "t");
  EXPECT_EQ(steps_[0].detail, "Seq Scan on t (Filter: (c = $1))");
  EXPECT_EQ(steps_[0].id, 1);
  EXPECT_EQ(steps_[0].parent, 0);

  Plan("SELECT a FROM t WHERE a = ?");
  ASSERT_NE(Step(Kind::kCoveringSearch), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kCoveringSearch)->index, "t_a");

  Plan("SELECT * FROM t WHERE id = ?");
  ASSERT_NE(Step(Kind::kKeySearch), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kKeySearch)->index, "t_pkey");
  EXPECT_EQ(Step(Kind::kKeySearch)->table, "t");
}

TEST_F(PgExplainClassifier, BitmapScansSearchThroughEveryIndexTheyUse) {
  STRATA_CRAFTED_DATABASE();
  Plan("SELECT * FROM t WHERE a = ? OR b = ?");
  const PlanStep* heap = Step(Kind::kSearch);
  ASSERT_NE(heap, nullptr) << Steps();
  EXPECT_EQ(heap->table, "t");
  EXPECT_EQ(heap->index, "t_a, t_bc");
  EXPECT_EQ(Step(Kind::kScan), nullptr) << Steps();
  // The BitmapOr and the two Bitmap Index Scans hang below the heap scan.
  ASSERT_EQ(steps_.size(), 4u) << Steps();
  EXPECT_EQ(steps_[1].parent, heap->id);
  EXPECT_EQ(steps_[2].parent, steps_[1].id);
  EXPECT_EQ(steps_[2].kind, Kind::kOther);
  EXPECT_EQ(steps_[2].detail, "Bitmap Index Scan on t_a (Index Cond: (a = $1))");
}

TEST_F(PgExplainClassifier, SortsAndHashAggregatesAreTempBTrees) {
  STRATA_CRAFTED_DATABASE();
  Plan("SELECT * FROM t WHERE c = ? ORDER BY a");
  ASSERT_NE(Step(Kind::kTempBTree), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kTempBTree)->temp_for, "ORDER BY");
  EXPECT_EQ((QueryPlan{"q", "", steps_, "", {}}.Classification()), "full scan t; temp b-tree for ORDER BY");

  Plan("SELECT DISTINCT c FROM t");
  ASSERT_NE(Step(Kind::kTempBTree), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kTempBTree)->temp_for, "DISTINCT");

  Plan("SELECT c, count(*) FROM t GROUP BY c");
  ASSERT_NE(Step(Kind::kTempBTree), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kTempBTree)->temp_for, "GROUP BY");

  // An index already gives the rows in order of b: only the rest is sorted.
  Plan("SELECT b FROM t ORDER BY b, a LIMIT 10");
  ASSERT_NE(Step(Kind::kTempBTree), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kTempBTree)->temp_for, "RIGHT PART OF ORDER BY");
}

// A full index scan reads the whole table unless a LIMIT stops it; a large
// table read so fails the query.
TEST_F(PgExplainClassifier, AFullIndexScanFailsOnlyWithoutALimit) {
  STRATA_CRAFTED_DATABASE();
  Plan("SELECT * FROM t ORDER BY a LIMIT 5");
  ASSERT_NE(Step(Kind::kIndexScan), nullptr) << Steps();
  EXPECT_EQ(Step(Kind::kIndexScan)->index, "t_a");

  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(url_);
  ASSERT_TRUE(conn.ok());
  Schema schema;
  schema.tables.push_back({.name = "t", .large = true});
  schema.queries = {{"first_five", "", "SELECT * FROM t ORDER BY a LIMIT 5", {}},
                    {"all_in_order", "", "SELECT * FROM t ORDER BY a", {}}};
  Result<ExplainReport> r = (*conn)->Explain(schema);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->queries.size(), 2u);
  EXPECT_TRUE(r->queries[0].ok()) << report::ExplainText(*r);
  EXPECT_EQ(r->queries[1].large_tables_scanned, std::vector<std::string>{"t"}) << report::ExplainText(*r);
  EXPECT_TRUE(r->failed());
  EXPECT_TRUE(r->notes.empty()) << "t was analyzed: " << r->notes[0];
}

// ---------------------------------------------------------------------------
// Redundancy: the rule shared with SQLite, with what only the catalog knows
// (method, operator class, the predicate as the server prints it, a
// constraint that depends on an index). The schema is the declared one
// (PostgreSQL cannot be inspected yet); the database differs from it where
// the YAML cannot say how (a hash index, an operator class).

constexpr const char* kRedundancyYaml = R"yaml(tables:
  - name: t
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: a, type: TEXT}
      - {name: b, type: TEXT}
      - {name: c, type: TEXT}
      - {name: code, type: TEXT, unique: true}
    unique:
      - columns: [a, b]
    indexes:
      - {name: t_a, columns: [a]}
      - {name: t_code, columns: [code]}
      - {name: t_id, columns: [id]}
      - {name: t_bc, columns: [b, c]}
      - {name: t_b_unique, columns: [b], unique: true}
      - {name: t_b_partial, columns: [b], where: "c IS NOT NULL"}
      - {name: t_b_desc, columns: [b DESC]}
      - {name: t_b_bytes, columns: [b COLLATE BINARY]}
      - {name: t_lower_b, columns: ["(lower(b))", c]}
      - {name: t_c_hash, columns: [c]}
      - {name: t_c_pattern, columns: [c]}
      - {name: t_ca, columns: [c, a]}
      - {name: t_a_partial, columns: [a], where: "c IS NOT NULL"}
      - {name: t_ab_partial, columns: [a, b], where: "c  is not   null"}
      - {name: t_gone, columns: [c, b]}
  - name: parent
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: x, type: TEXT, unique: true}
    indexes:
      - {name: parent_x, columns: [x], unique: true}
)yaml";

// As the YAML says, except: t_c_hash is a hash index, t_c_pattern uses
// text_pattern_ops, t_gone does not exist, and a foreign key depends on
// parent_x (created before the UNIQUE constraint that repeats it).
constexpr const char* kRedundancyDdl = R"sql(
CREATE TABLE t (id bigint PRIMARY KEY, a text, b text, c text, code text UNIQUE, UNIQUE (a, b));
CREATE INDEX t_a ON t (a);
CREATE INDEX t_code ON t (code);
CREATE INDEX t_id ON t (id);
CREATE INDEX t_bc ON t (b, c);
CREATE UNIQUE INDEX t_b_unique ON t (b);
CREATE INDEX t_b_partial ON t (b) WHERE c IS NOT NULL;
CREATE INDEX t_b_desc ON t (b DESC);
CREATE INDEX t_b_bytes ON t (b COLLATE "C");
CREATE INDEX t_lower_b ON t (lower(b), c);
CREATE INDEX t_c_hash ON t USING hash (c);
CREATE INDEX t_c_pattern ON t (c text_pattern_ops);
CREATE INDEX t_ca ON t (c, a);
CREATE INDEX t_a_partial ON t (a) WHERE c IS NOT NULL;
CREATE INDEX t_ab_partial ON t (a, b) WHERE c  is not   null;
CREATE TABLE parent (id bigint PRIMARY KEY, x text);
CREATE UNIQUE INDEX parent_x ON parent (x);
CREATE TABLE child (id bigint PRIMARY KEY, x text REFERENCES parent (x));
ALTER TABLE parent ADD CONSTRAINT parent_x_key UNIQUE (x);
)sql";

TEST(PgExplainRedundant, ThePrefixAndDuplicateRulesWithTheirExceptions) {
  STRATA_TEST_DATABASE(db);
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), kRedundancyDdl, &err), 0) << err;
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", kRedundancyYaml}}, "project: r\ntags: [v1]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  const ExplainReport r = ExplainOn(db->url(), loaded.schema->At(0));
  std::map<std::string, const RedundantIndex*> found;
  for (const RedundantIndex& x : r.redundant) found[x.index] = &x;
  const std::string text = report::ExplainText(r);
  ASSERT_EQ(found.size(), 4u) << text;
  ASSERT_TRUE(found.count("t_a")) << text;
  EXPECT_EQ(found["t_a"]->covered_by, "t_a_b_key");
  EXPECT_EQ(found["t_a"]->covered_by_origin, "UNIQUE constraint");
  EXPECT_FALSE(found["t_a"]->same);
  ASSERT_TRUE(found.count("t_code")) << text;
  EXPECT_EQ(found["t_code"]->covered_by, "t_code_key");
  EXPECT_TRUE(found["t_code"]->same);
  ASSERT_TRUE(found.count("t_id")) << text;
  EXPECT_EQ(found["t_id"]->covered_by, "t_pkey");
  EXPECT_EQ(found["t_id"]->covered_by_origin, "PRIMARY KEY");
  // The same predicate, however it was spelled: the server prints both alike.
  ASSERT_TRUE(found.count("t_a_partial")) << text;
  EXPECT_EQ(found["t_a_partial"]->covered_by, "t_ab_partial");
  // Not: t_b_unique (UNIQUE, the longer t_bc is not), t_b_partial (a
  // predicate t_bc lacks), t_b_desc (direction), t_b_bytes (collation),
  // t_lower_b (expression), t_c_hash (method), t_c_pattern (operator
  // class), parent_x (a foreign key depends on it), t_gone (not there).
}

// ---------------------------------------------------------------------------
// ChefSocial at its last tag, populated.

struct ChefSocial {
  VersionedSchema schema;
  std::vector<std::string> up_sql;  // the PostgreSQL migrations, in order
};

const ChefSocial& LoadChefSocial() {
  static const ChefSocial loaded = [] {
    ChefSocial out;
    Diagnostics d;
    std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
    EXPECT_TRUE(schema.has_value());
    if (!schema) return out;
    out.schema = *schema;
    std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
    const GenerateResult generated = GenerateMigrations(out.schema, *dialect, {});
    Result<std::vector<MigrationEntry>> entries = LoadMigrations(generated.files, out.schema.project);
    EXPECT_TRUE(entries.ok()) << entries.status().message();
    if (entries.ok())
      for (const MigrationEntry& e : *entries) out.up_sql.push_back(e.up_sql);
    return out;
  }();
  return loaded;
}

// Rows enough for realistic plans: tens of thousands in the large tables.
// Autovacuum is off for the tables, so that only the test decides when
// they are analyzed.
constexpr const char* kPopulate = R"(
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' LOOP
    EXECUTE format('ALTER TABLE %I SET (autovacuum_enabled = off)', r.relname);
  END LOOP;
END $$;
INSERT INTO users (id, email, password_hash, name, stripe_customer_id, status, created_at)
  SELECT 'u' || g, 'user' || g || '@example.com', 'hash', 'User ' || g, 'cus_' || g,
         (ARRAY['active', 'active', 'active', 'trial', 'suspended', 'cancelled'])[1 + g % 6], now() - g * interval '1 minute'
  FROM generate_series(1, 20000) g;
INSERT INTO conversations (user_id, transcript, created_at)
  SELECT 'u' || (1 + g % 20000), 'transcript', now() - g * interval '1 second' FROM generate_series(1, 60000) g;
INSERT INTO content (user_id, title, platform, viral_score, scheduled_for, created_at)
  SELECT 'u' || (1 + g % 20000), 'post ' || g, (ARRAY['instagram', 'tiktok', 'facebook'])[1 + g % 3],
         CASE WHEN g % 10 = 0 THEN g % 1000 END, now() + (g % 20000) * interval '1 minute', now() - g * interval '1 second'
  FROM generate_series(1, 60000) g;
INSERT INTO content_performance (content_id, platform) SELECT id, 'instagram' FROM content WHERE id % 2 = 0;
INSERT INTO usage_tracking (user_id, month_year)
  SELECT 'u' || u, '2024-' || lpad(m::text, 2, '0') FROM generate_series(1, 20000) u, generate_series(1, 3) m;
INSERT INTO user_features (user_id, feature_key)
  SELECT 'u' || u, f.key FROM generate_series(1, 5000) u, (SELECT key FROM features ORDER BY key LIMIT 3) f;
INSERT INTO audit_logs (user_id, action, created_at)
  SELECT 'u' || (1 + g % 20000), 'login', now() - g * interval '1 second' FROM generate_series(1, 30000) g;
INSERT INTO user_sessions (id, user_id, jwt_token, expires_at)
  SELECT 's' || g, 'u' || (1 + g % 20000), 'jwt' || g, now() + interval '1 day' FROM generate_series(1, 20000) g;
INSERT INTO notifications (user_id, type, title, message, read_at, created_at)
  SELECT 'u' || (1 + g % 20000), 'info', 'title', 'message', CASE WHEN g % 3 = 0 THEN now() END,
         now() - g * interval '1 second'
  FROM generate_series(1, 40000) g;
INSERT INTO content_calendar (user_id, content_id, title, scheduled_date)
  SELECT 'u' || (1 + g % 20000), g, 'slot', current_date + g % 90 FROM generate_series(1, 5000) g;
INSERT INTO invoices (id, user_id, amount_due, status)
  SELECT 'in_' || g, 'u' || (1 + g % 20000), 1000, 'paid' FROM generate_series(1, 5000) g;
INSERT INTO subscriptions (id, user_id, plan_name, status)
  SELECT 'sub_' || g, 'u' || g, 'starter', 'active' FROM generate_series(1, 5000) g;
INSERT INTO teams (id, owner_id, name) SELECT 't' || g, 'u' || g, 'team' FROM generate_series(1, 1000) g;
INSERT INTO team_members (team_id, user_id, role)
  SELECT 't' || (1 + g % 1000), 'u' || g, 'member' FROM generate_series(1, 3000) g;
INSERT INTO user_profiles (user_id) SELECT 'u' || g FROM generate_series(1, 20000) g;
)";

// ChefSocial migrated to its last tag and populated, not yet analyzed.
void MigrateAndPopulate(const std::string& url) {
  const ChefSocial& c = LoadChefSocial();
  ASSERT_FALSE(c.up_sql.empty());
  std::string err;
  for (const std::string& sql : c.up_sql) ASSERT_EQ(RunPsql(url, sql, &err), 0) << err;
  ASSERT_EQ(RunPsql(url, kPopulate, &err), 0) << err;
}

// What must not change: the schema (indexes included), the rows of each
// table, whether it was analyzed, and the relations of the schema.
std::string Snapshot(const std::string& url) {
  return DescribeSchema(url) + "\n" +
         PgQuery(url,
                 "SELECT relname, last_analyze IS NULL, (xpath('/row/n/text()', query_to_xml("
                 "format('SELECT count(*) AS n FROM %I', relname), false, true, '')))[1]::text "
                 "FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY 1") +
         "\n" + PgQuery(url, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace");
}

Schema LastTag() {
  const ChefSocial& c = LoadChefSocial();
  return c.schema.At(c.schema.project.last_tag());
}

// SQLite's report on the same schema, created from the YAML.
ExplainReport SqliteReport(const Schema& schema) {
  TempDir dir;
  const std::string path = (dir / "chefsocial.db").string();
  Result<sqlite::Database> db = sqlite::Database::Open(path);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return {};
  EXPECT_TRUE(sqlite::CreateSchema(*db, schema).ok());
  Result<ExplainReport> r = sqlite::Explain(*db, schema);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : ExplainReport{};
}

// What two dialects must agree on about a redundant index (the covering
// index's name is the engine's own).
using RedundantKey = std::tuple<std::string, std::string, std::string, bool, std::string, std::string>;
std::set<RedundantKey> RedundantKeys(const ExplainReport& r) {
  std::set<RedundantKey> out;
  for (const RedundantIndex& x : r.redundant)
    out.emplace(x.table, x.index, x.index_columns, x.same, x.covered_by_origin, x.covered_by_columns);
  return out;
}

std::set<std::pair<std::string, std::string>> ForeignKeyReasons(const ExplainReport& r) {
  std::set<std::pair<std::string, std::string>> out;
  for (const MissingIndex& m : r.missing)
    for (const std::string& reason : m.reasons)
      if (reason.starts_with("foreign key")) out.emplace(m.table, reason);
  return out;
}

TEST(PgExplainChefSocial, ClassifiesEveryQueryAndReportsWhatSqliteReportsOnceAnalyzed) {
  STRATA_TEST_DATABASE(db);
  MigrateAndPopulate(db->url());
  if (HasFatalFailure()) return;
  const Schema schema = LastTag();
  const std::string before = Snapshot(db->url());

  // Not analyzed: said first, with the way out; explain does not analyze.
  ExplainReport unanalyzed = ExplainOn(db->url(), schema);
  ASSERT_EQ(unanalyzed.notes.size(), 1u) << report::ExplainText(unanalyzed);
  EXPECT_TRUE(unanalyzed.notes[0].starts_with(fmt::format("not analyzed: {} of {} tables (", schema.tables.size(),
                                                          schema.tables.size())))
      << unanalyzed.notes[0];
  EXPECT_NE(unanalyzed.notes[0].find("run ANALYZE"), std::string::npos) << unanalyzed.notes[0];
  EXPECT_TRUE(report::ExplainText(unanalyzed).starts_with("note: not analyzed: "));
  EXPECT_NE(report::ExplainJson(unanalyzed, "phase4").find("\"tag\":\"phase4\",\"notes\":[\"not analyzed: "),
            std::string::npos);
  EXPECT_EQ(Snapshot(db->url()), before) << "explain changed the database";

  ASSERT_EQ(PgQuery(db->url(), "ANALYZE"), "");
  const std::string analyzed_state = Snapshot(db->url());
  ExplainReport r = ExplainOn(db->url(), schema);
  const std::string text = report::ExplainText(r);
  EXPECT_TRUE(r.notes.empty()) << text;
  EXPECT_FALSE(text.starts_with("note:")) << text;

  // Every declared query plans and is classified; none reads a large table in full.
  ASSERT_EQ(r.queries.size(), schema.queries.size());
  for (const QueryPlan& q : r.queries) {
    EXPECT_TRUE(q.error.empty()) << q.name << ": " << q.error;
    EXPECT_FALSE(q.steps.empty()) << q.name;
    EXPECT_NE(q.Classification(), "error") << q.name;
    EXPECT_NE(q.Classification(), "no table read") << q.name;
    EXPECT_TRUE(q.large_tables_scanned.empty()) << q.name << ": " << q.Classification();
  }
  EXPECT_FALSE(r.failed()) << text;
  const auto query = [&](const std::string& name) {
    auto it = std::find_if(r.queries.begin(), r.queries.end(), [&](const QueryPlan& q) { return q.name == name; });
    return it == r.queries.end() ? QueryPlan{} : *it;
  };
  EXPECT_TRUE(query("login_by_email").Classification().starts_with("search users via ")) << text;
  EXPECT_EQ(query("active_session_by_token").Classification(), "search user_sessions via idx_user_sessions_token") << text;
  EXPECT_EQ(query("recent_audit_events").Classification(), "index scan audit_logs via idx_audit_logs_created") << text;
  EXPECT_EQ(query("user_invoices").Classification(), "full scan invoices; temp b-tree for ORDER BY")
      << "invoices is not large: " << text;

  // The redundant indexes are SQLite's: three that repeat a UNIQUE
  // constraint and one left prefix, and no others.
  const ExplainReport on_sqlite = SqliteReport(schema);
  EXPECT_EQ(RedundantKeys(r), RedundantKeys(on_sqlite)) << text << "\nSQLite:\n" << report::ExplainText(on_sqlite);
  EXPECT_EQ(r.redundant.size(), 4u) << text;
  for (const RedundantIndex& x : r.redundant) {
    EXPECT_EQ(x.drop_sql, fmt::format("DROP INDEX CONCURRENTLY \"{}\";", x.index));
    EXPECT_NE(x.covered_by, "") << x.index;
  }
  const auto redundant = std::find_if(r.redundant.begin(), r.redundant.end(),
                                      [](const RedundantIndex& x) { return x.index == "idx_users_email"; });
  ASSERT_NE(redundant, r.redundant.end()) << text;
  EXPECT_EQ(redundant->covered_by, "users_email_key");

  // So are the foreign keys without an index, each suggestion checked.
  EXPECT_EQ(ForeignKeyReasons(r), ForeignKeyReasons(on_sqlite)) << text << "\nSQLite:\n" << report::ExplainText(on_sqlite);
  for (const MissingIndex& m : r.missing) {
    EXPECT_TRUE(m.verified) << m.create_sql;
    EXPECT_TRUE(m.create_sql.starts_with("CREATE INDEX CONCURRENTLY ")) << m.create_sql;
  }
  EXPECT_EQ(Snapshot(db->url()), analyzed_state) << "explain changed the database";
}

TEST(PgExplainChefSocial, ALargeTableScanFailsAndADroppedForeignKeyIndexIsSuggestedAndChecked) {
  STRATA_TEST_DATABASE(db);
  MigrateAndPopulate(db->url());
  if (HasFatalFailure()) return;
  ASSERT_EQ(PgQuery(db->url(), "ANALYZE"), "");
  ASSERT_EQ(PgQuery(db->url(), "DROP INDEX idx_content_performance_content_id"), "");
  Schema schema = LastTag();
  schema.queries.push_back({"content_by_title", "", "SELECT id, user_id FROM content WHERE title = ? ORDER BY created_at", {}});
  schema.queries.push_back({"sqlite_only", "", "SELECT strftime('%Y', created_at) FROM users WHERE id = ?", {}});
  const std::string before = Snapshot(db->url());

  ExplainReport r = ExplainOn(db->url(), schema);
  const std::string text = report::ExplainText(r);
  EXPECT_TRUE(r.failed());
  const QueryPlan& scan = r.queries[r.queries.size() - 2];
  EXPECT_EQ(scan.large_tables_scanned, std::vector<std::string>{"content"}) << text;
  EXPECT_EQ(scan.Classification(), "full scan content; temp b-tree for ORDER BY") << text;
  // A query PostgreSQL cannot run fails on its own, with the server's words.
  const QueryPlan& sqlite_only = r.queries.back();
  EXPECT_NE(sqlite_only.error.find("function strftime"), std::string::npos) << sqlite_only.error;
  EXPECT_EQ(r.queries.size(), schema.queries.size());
  for (size_t i = 0; i + 2 < r.queries.size(); ++i) EXPECT_TRUE(r.queries[i].ok()) << r.queries[i].name;

  const auto missing_on = [&](const std::string& table) {
    auto it = std::find_if(r.missing.begin(), r.missing.end(), [&](const MissingIndex& m) { return m.table == table; });
    return it == r.missing.end() ? MissingIndex{} : *it;
  };
  const MissingIndex content = missing_on("content");
  EXPECT_TRUE(content.large);
  EXPECT_TRUE(content.query_scan);
  EXPECT_EQ(content.reasons, std::vector<std::string>{"query content_by_title reads every row"});
  ASSERT_FALSE(content.columns.empty()) << text;
  EXPECT_EQ(content.columns[0], "title");
  EXPECT_TRUE(content.verified) << text;

  const MissingIndex planted = missing_on("content_performance");
  EXPECT_EQ(planted.reasons, std::vector<std::string>{"foreign key (content_id) -> content(id) has no index"}) << text;
  EXPECT_EQ(planted.create_sql,
            "CREATE INDEX CONCURRENTLY \"idx_content_performance_content_id\" ON \"content_performance\" (\"content_id\");");
  EXPECT_TRUE(planted.verified) << text;
  EXPECT_NE(text.find("-- checked by PostgreSQL: built in a transaction that was rolled back"), std::string::npos) << text;

  // Nothing suggested was left behind, and no statement stays prepared.
  EXPECT_EQ(Snapshot(db->url()), before);
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_class WHERE relname IN ('idx_content_performance_content_id', "
                               "'idx_content_title_created_at', 'idx_content_title')"),
            "0");
}

// ---------------------------------------------------------------------------
// Suggestions that cannot be checked are offered unverified, with a note.

TEST(PgExplainVerification, ALockHeldElsewhereOrAReadOnlySessionLeavesTheSuggestionUnverified) {
  STRATA_TEST_DATABASE(db);
  std::string err;
  ASSERT_EQ(RunPsql(db->url(),
                    "CREATE TABLE parent (id bigint PRIMARY KEY);"
                    "CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));"
                    "INSERT INTO parent SELECT generate_series(1, 100);"
                    "INSERT INTO child SELECT g, 1 + g % 100 FROM generate_series(1, 1000) g;"
                    "ANALYZE;",
                    &err),
            0)
      << err;
  Schema schema;
  schema.tables = {{.name = "parent"}, {.name = "child"}};

  ExplainReport free = ExplainOn(db->url(), schema);
  ASSERT_EQ(free.missing.size(), 1u) << report::ExplainText(free);
  EXPECT_TRUE(free.missing[0].verified);
  EXPECT_TRUE(free.notes.empty());

  // Another session writes to the table and keeps its transaction open:
  // the build waits for its lock no longer than lock_timeout.
  Result<postgres::PgSession> writer = postgres::PgSession::Connect(db->url());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Exec("BEGIN; INSERT INTO child VALUES (5000, 1)").ok());
  ExplainReport locked = ExplainOn(db->url(), schema);
  ASSERT_EQ(locked.missing.size(), 1u);
  EXPECT_FALSE(locked.missing[0].verified);
  EXPECT_EQ(locked.missing[0].create_sql, "CREATE INDEX CONCURRENTLY \"idx_child_parent_id\" ON \"child\" (\"parent_id\");");
  ASSERT_EQ(locked.notes.size(), 1u) << report::ExplainText(locked);
  EXPECT_NE(locked.notes[0].find("lock timeout"), std::string::npos) << locked.notes[0];
  ASSERT_TRUE(writer->Exec("ROLLBACK").ok());

  ExplainReport read_only = ExplainOn(db->url(), schema, {.read_only = true});
  ASSERT_EQ(read_only.missing.size(), 1u);
  EXPECT_FALSE(read_only.missing[0].verified);
  ASSERT_EQ(read_only.notes.size(), 1u);
  EXPECT_NE(read_only.notes[0].find("read-only transaction"), std::string::npos) << read_only.notes[0];
}

// ---------------------------------------------------------------------------
// The strata binary.

TEST(PgExplainCli, JsonAndExitCodesAgainstAPostgresUrl) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  std::filesystem::copy(SourceDir() / "schema", dir / "schema", std::filesystem::copy_options::recursive);
  const std::vector<std::string> flags = {"--schema", (dir / "schema").string(), "--migrations",
                                          (dir / "migrations").string(), "--db", db->url()};
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), flags.begin(), flags.end());
    return RunStrata(args, dir.path());
  };
  CommandResult generated = RunStrata({"generate", "--schema", (dir / "schema").string(), "--migrations",
                                       (dir / "migrations").string(), "--checks", (dir / "checks").string()},
                                      dir.path());
  ASSERT_EQ(generated.exit_code, 0) << generated.out << generated.err;
  CommandResult up = run({"up", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), kPopulate, &err), 0) << err;

  CommandResult unanalyzed = run({"explain", "--format", "json"});
  EXPECT_EQ(unanalyzed.exit_code, 0) << unanalyzed.out << unanalyzed.err;
  EXPECT_TRUE(unanalyzed.out.starts_with("{\"ok\":true,\"tag\":\"phase4\",\"notes\":[\"not analyzed: ")) << unanalyzed.out;

  ASSERT_EQ(PgQuery(db->url(), "ANALYZE"), "");
  CommandResult ok = run({"explain", "--format", "json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_TRUE(ok.out.starts_with("{\"ok\":true,\"tag\":\"phase4\",\"queries\":[{\"name\":\"login_by_email\"")) << ok.out;
  EXPECT_NE(ok.out.find("\"index\":\"idx_users_email\",\"columns\":\"(email)\",\"covered_by\":\"users_email_key\""),
            std::string::npos)
      << ok.out;
  CommandResult text = run({"explain"});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("query active_session_by_token: search user_sessions via idx_user_sessions_token\n"),
            std::string::npos)
      << text.out;

  // A declared query that reads a large table in full fails the run.
  std::string queries = ReadFile(dir / "schema/queries.yaml");
  queries += "  - name: content_by_title\n    sql: SELECT id FROM content WHERE title = ?\n    since: phase4\n";
  dir.Write("schema/queries.yaml", queries);
  CommandResult failed = run({"explain", "--format", "json"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_TRUE(failed.out.starts_with("{\"ok\":false,")) << failed.out;
  EXPECT_NE(failed.out.find("\"large_tables_scanned\":[\"content\"]"), std::string::npos) << failed.out;
  EXPECT_NE(failed.out.find("\"sql\":\"CREATE INDEX CONCURRENTLY \\\"idx_content_title\\\" ON \\\"content\\\" "
                            "(\\\"title\\\");\",\"verified\":true"),
            std::string::npos)
      << failed.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_class WHERE relname = 'idx_content_title'"), "0");
}

}  // namespace
}  // namespace strata::testing
