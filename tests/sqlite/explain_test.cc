// Index plans on real files: crafted schemas whose plans are known, so that
// each classification, each missing-index case and each redundancy rule
// (and each case that must not count as redundant) is pinned down; then
// ChefSocial at phase4, whose seed indexes duplicate two UNIQUE constraints.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "schema/versioned.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "dialect/index_plan.h"
#include "report/explain_report.h"
#include "sqlite/explain.h"
#include "sqlite/inspect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

using Kind = PlanStep::Kind;

// A database file built from `ddl` in a temporary folder.
class ExplainDb {
 public:
  explicit ExplainDb(const std::string& ddl) : path_((dir_ / "test.db").string()) {
    Result<sqlite::Database> db = sqlite::Database::Open(path_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    db_.emplace(std::move(db.value()));
    Status s = db_->Exec(ddl);
    EXPECT_TRUE(s.ok()) << s.message();
  }

  sqlite::Database& db() { return *db_; }
  const std::string& path() const { return path_; }

  // The live tables as the schema, with `large` ones marked and `queries`.
  Schema SchemaWith(const std::set<std::string>& large, const std::vector<std::pair<std::string, std::string>>& queries) {
    Result<Schema> schema = sqlite::InspectSchema(*db_);
    EXPECT_TRUE(schema.ok()) << schema.status().message();
    Schema out = schema.ok() ? schema.value() : Schema{};
    for (Table& t : out.tables) t.large = large.count(t.name) > 0;
    for (const auto& [name, sql] : queries) out.queries.push_back({name, "", sql, {}});
    return out;
  }

  ExplainReport Explain(const Schema& schema) {
    Result<ExplainReport> report = sqlite::Explain(*db_, schema);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? report.value() : ExplainReport{};
  }

  std::vector<PlanStep> Plan(const std::string& sql) {
    Result<std::vector<PlanStep>> steps = sqlite::ExplainQueryPlan(*db_, sql, {"t", "u", "parent", "child"});
    EXPECT_TRUE(steps.ok()) << steps.status().message();
    return steps.ok() ? steps.value() : std::vector<PlanStep>{};
  }

 private:
  testing::TempDir dir_;
  std::string path_;
  std::optional<sqlite::Database> db_;
};

const PlanStep* StepOf(const std::vector<PlanStep>& steps, Kind kind) {
  for (const PlanStep& s : steps)
    if (s.kind == kind) return &s;
  return nullptr;
}

const RedundantIndex* RedundantNamed(const ExplainReport& r, const std::string& index) {
  for (const RedundantIndex& x : r.redundant)
    if (x.index == index) return &x;
  return nullptr;
}

const MissingIndex* MissingOn(const ExplainReport& r, const std::string& table) {
  for (const MissingIndex& m : r.missing)
    if (m.table == table) return &m;
  return nullptr;
}

constexpr const char* kPlanTables =
    "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT);"
    "CREATE INDEX t_a ON t (a);"
    "CREATE TABLE u (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;";

// A suggested name goes into the YAML every dialect builds: never over
// PostgreSQL's 63 bytes (it would come back cut, and drift), never cut
// inside a UTF-8 character, numbered past the names taken in any case.
TEST(SuggestedIndexName, StaysWithinSixtyThreeBytesAndPastTakenNames) {
  EXPECT_EQ(SuggestedIndexName("posts", {"user_id", "created_at"}, {}), "idx_posts_user_id_created_at");
  EXPECT_EQ(SuggestedIndexName("posts", {"user_id"}, {"idx_posts_user_id"}), "idx_posts_user_id_2");
  const std::string table = "subscription_payment_reconciliation_events";
  const std::string long_name = SuggestedIndexName(table, {"customer_account_id", "billing_period"}, {});
  EXPECT_EQ(long_name.size(), 63u);
  EXPECT_EQ(long_name, "idx_" + table + "_customer_account");
  const std::string second = SuggestedIndexName(table, {"customer_account_id", "billing_period"}, {long_name});
  EXPECT_EQ(second.size(), 63u);
  EXPECT_TRUE(second.ends_with("_2")) << second;
  // "é" is two bytes; the cut falls back before it rather than inside it.
  const std::string accented = SuggestedIndexName(std::string(58, 'a') + "é", {"x"}, {});
  EXPECT_EQ(accented, "idx_" + std::string(58, 'a'));
  EXPECT_EQ(SuggestedIndexName("T", {"A"}, {"idx_t_a"}), "idx_T_A_2");
}

TEST(ExplainClassifier, FullScanNamesTheTable) {
  ExplainDb f(kPlanTables);
  std::vector<PlanStep> steps = f.Plan("SELECT * FROM t WHERE c = ?");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].kind, Kind::kScan);
  EXPECT_EQ(steps[0].table, "t");
  EXPECT_EQ(steps[0].index, "");
}

TEST(ExplainClassifier, SearchNamesTheIndexAndResolvesAliases) {
  ExplainDb f(kPlanTables);
  std::vector<PlanStep> steps = f.Plan("SELECT x.b FROM t AS x WHERE x.a = ?");
  const PlanStep* s = StepOf(steps, Kind::kSearch);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->table, "t");
  EXPECT_EQ(s->index, "t_a");
  steps = f.Plan("SELECT y.b FROM t y WHERE y.a = ?");
  s = StepOf(steps, Kind::kSearch);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->table, "t");
}

TEST(ExplainClassifier, CoveringIndexWhenTheIndexHoldsEveryColumnRead) {
  ExplainDb f(kPlanTables);
  std::vector<PlanStep> steps = f.Plan("SELECT id, a FROM t WHERE a = ?");
  const PlanStep* s = StepOf(steps, Kind::kCoveringSearch);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index, "t_a");
  EXPECT_EQ(StepOf(steps, Kind::kSearch), nullptr);
}

TEST(ExplainClassifier, TempBTreeForOrderByAndGroupBy) {
  ExplainDb f(kPlanTables);
  std::vector<PlanStep> steps = f.Plan("SELECT * FROM t WHERE a = ? ORDER BY b");
  const PlanStep* temp = StepOf(steps, Kind::kTempBTree);
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->temp_for, "ORDER BY");
  ASSERT_NE(StepOf(steps, Kind::kSearch), nullptr);
  steps = f.Plan("SELECT c, count(*) FROM t GROUP BY c");
  temp = StepOf(steps, Kind::kTempBTree);
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->temp_for, "GROUP BY");
}

TEST(ExplainClassifier, KeySearchesAndIndexScans) {
  ExplainDb f(kPlanTables);
  const PlanStep* s = nullptr;
  std::vector<PlanStep> steps = f.Plan("SELECT * FROM t WHERE id = ?");
  s = StepOf(steps, Kind::kKeySearch);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index, "INTEGER PRIMARY KEY");
  steps = f.Plan("SELECT v FROM u WHERE k = ?");
  s = StepOf(steps, Kind::kKeySearch);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->table, "u");
  steps = f.Plan("SELECT * FROM t ORDER BY a LIMIT 5");
  s = StepOf(steps, Kind::kIndexScan);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->index, "t_a");
}

TEST(ExplainClassifier, QueryClassificationReadsAsASentence) {
  ExplainDb f(kPlanTables);
  ExplainReport r = f.Explain(f.SchemaWith({}, {{"by_a", "SELECT * FROM t WHERE a = ? ORDER BY b;"}}));
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].Classification(), "search t via t_a; temp b-tree for ORDER BY");
  EXPECT_TRUE(r.queries[0].ok());
  EXPECT_FALSE(r.failed());
}

TEST(ExplainMissing, ScanOfALargeTableFailsAndTheSuggestionRemovesIt) {
  ExplainDb f(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, status TEXT, placed_at TEXT, total REAL);"
      "CREATE TABLE small (id INTEGER PRIMARY KEY, name TEXT);");
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"open_orders", "SELECT id, total FROM orders WHERE customer = ? AND status = 'open' ORDER BY placed_at"},
      {"small_by_name", "SELECT id FROM small WHERE name = ?"}};
  const Schema schema = f.SchemaWith({"orders"}, queries);
  ExplainReport r = f.Explain(schema);
  EXPECT_TRUE(r.failed());
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].large_tables_scanned, std::vector<std::string>{"orders"});
  EXPECT_TRUE(r.queries[1].large_tables_scanned.empty()) << "small is not large: its scan is shown, not failed";
  EXPECT_EQ(r.queries[1].Classification(), "full scan small");
  const MissingIndex* m = MissingOn(r, "orders");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->query_scan);
  EXPECT_TRUE(m->verified);
  EXPECT_EQ(m->columns, (std::vector<std::string>{"customer", "status", "placed_at"}));
  EXPECT_EQ(MissingOn(r, "small"), nullptr);

  // Following the advice makes the check pass.
  ASSERT_TRUE(f.db().Exec(m->create_sql).ok()) << m->create_sql;
  ExplainReport after = f.Explain(schema);
  EXPECT_FALSE(after.failed()) << report::ExplainText(after);
  EXPECT_EQ(MissingOn(after, "orders"), nullptr);
  EXPECT_NE(StepOf(after.queries[0].steps, Kind::kSearch), nullptr);
  EXPECT_EQ(StepOf(after.queries[0].steps, Kind::kTempBTree), nullptr);
}

TEST(ExplainMissing, RangeTermsAndJoinsGiveTheScannedTableItsOwnIndex) {
  ExplainDb f(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
      "CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER, at TEXT, kind TEXT);");
  const Schema schema = f.SchemaWith(
      {"events"}, {{"recent", "SELECT e.kind, users.name FROM events AS e JOIN users ON users.id = e.user_id "
                              "WHERE e.at > ? AND e.kind = ?"}});
  ExplainReport r = f.Explain(schema);
  EXPECT_TRUE(r.failed());
  const MissingIndex* m = MissingOn(r, "events");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->columns, (std::vector<std::string>{"kind", "at"}));
  ASSERT_TRUE(f.db().Exec(m->create_sql).ok());
  EXPECT_FALSE(f.Explain(schema).failed());
}

TEST(ExplainMissing, AQueryWithNoFilterGetsNoSuggestionButStillFails) {
  ExplainDb f("CREATE TABLE log (id INTEGER PRIMARY KEY, line TEXT);");
  ExplainReport r = f.Explain(f.SchemaWith({"log"}, {{"all_lines", "SELECT line FROM log"}}));
  EXPECT_TRUE(r.failed());
  const MissingIndex* m = MissingOn(r, "log");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->create_sql.empty());
  EXPECT_FALSE(m->verified);
}

TEST(ExplainMissing, ForeignKeyChildWithoutAnIndex) {
  ExplainDb f(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), "
      "  parent_code TEXT REFERENCES parent (code), other_id INTEGER REFERENCES parent (id), x TEXT);"
      "CREATE INDEX child_code_x ON child (parent_code, x);"                 // leads with the child column: fine
      "CREATE INDEX child_other_partial ON child (other_id) WHERE x > 0;");  // partial: no use for the lookup
  ExplainReport r = f.Explain(f.SchemaWith({}, {}));
  EXPECT_FALSE(r.failed()) << "foreign keys are advice, not a failed plan";
  std::vector<std::vector<std::string>> suggested;
  for (const MissingIndex& m : r.missing) {
    EXPECT_EQ(m.table, "child");
    EXPECT_FALSE(m.query_scan);
    EXPECT_TRUE(m.verified);
    suggested.push_back(m.columns);
  }
  std::sort(suggested.begin(), suggested.end());
  EXPECT_EQ(suggested, (std::vector<std::vector<std::string>>{{"other_id"}, {"parent_id"}}));
  ASSERT_FALSE(r.missing.empty());
  EXPECT_NE(r.missing[0].reasons[0].find("foreign key (parent_id) -> parent(id) has no index"), std::string::npos)
      << r.missing[0].reasons[0];
}

TEST(ExplainMissing, OneIndexServesAQueryAndAForeignKey) {
  ExplainDb f(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), at TEXT);");
  ExplainReport r =
      f.Explain(f.SchemaWith({"child"}, {{"of_parent", "SELECT * FROM child WHERE parent_id = ? ORDER BY at"}}));
  ASSERT_EQ(r.missing.size(), 1u) << report::ExplainText(r);
  EXPECT_EQ(r.missing[0].columns, (std::vector<std::string>{"parent_id", "at"}));
  EXPECT_EQ(r.missing[0].reasons.size(), 2u);
}

// Redundancy: one table per rule, so each finding names its own table.
class ExplainRedundant : public ::testing::Test {
 protected:
  ExplainReport Run(const std::string& ddl) {
    db_ = std::make_unique<ExplainDb>(ddl);
    return db_->Explain(db_->SchemaWith({}, {}));
  }
  std::unique_ptr<ExplainDb> db_;
};

TEST_F(ExplainRedundant, TheSameIndexTwice) {
  ExplainReport r = Run("CREATE TABLE t (a, b); CREATE INDEX first ON t (a, b); CREATE INDEX second ON t (a, b);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "second");
  EXPECT_EQ(r.redundant[0].covered_by, "first");
  EXPECT_TRUE(r.redundant[0].same);
  EXPECT_EQ(r.redundant[0].drop_sql, "DROP INDEX \"second\";");
}

TEST_F(ExplainRedundant, ALeftPrefixOfAnotherIndex) {
  ExplainReport r = Run("CREATE TABLE t (a, b, c); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);"
                        "CREATE INDEX t_ba ON t (b, a);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "t_a");
  EXPECT_EQ(r.redundant[0].covered_by, "t_ab");
  EXPECT_FALSE(r.redundant[0].same);
}

TEST_F(ExplainRedundant, AChainNamesTheIndexThatStays) {
  ExplainReport r = Run("CREATE TABLE t (a, b, c); CREATE INDEX t_ab ON t (a, b); CREATE INDEX t_a ON t (a);"
                        "CREATE INDEX t_abc ON t (a, b, c);");
  ASSERT_EQ(r.redundant.size(), 2u);
  EXPECT_EQ(RedundantNamed(r, "t_a")->covered_by, "t_abc");
  EXPECT_EQ(RedundantNamed(r, "t_ab")->covered_by, "t_abc");
}

TEST_F(ExplainRedundant, APrefixOfThePrimaryKeyIndex) {
  ExplainReport r = Run("CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a, b)); CREATE INDEX t_a ON t (a);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "t_a");
  EXPECT_EQ(r.redundant[0].covered_by, "sqlite_autoindex_t_1");
  EXPECT_EQ(r.redundant[0].covered_by_origin, "PRIMARY KEY");
}

TEST_F(ExplainRedundant, APrefixOfTheWithoutRowidPrimaryKey) {
  ExplainReport r = Run("CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID; CREATE INDEX t_a ON t (a);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].covered_by_origin, "PRIMARY KEY");
}

TEST_F(ExplainRedundant, APrefixOfAUniqueConstraintIndex) {
  ExplainReport r = Run("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, UNIQUE (a, b)); CREATE INDEX t_a ON t (a);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "t_a");
  EXPECT_EQ(r.redundant[0].covered_by, "sqlite_autoindex_t_1");
  EXPECT_EQ(r.redundant[0].covered_by_origin, "UNIQUE constraint");
  EXPECT_EQ(r.redundant[0].covered_by_columns, "(a, b)");
}

TEST_F(ExplainRedundant, AUniqueIndexIdenticalToAUniqueConstraint) {
  ExplainReport r = Run("CREATE TABLE t (a, b, UNIQUE (a, b)); CREATE UNIQUE INDEX t_ab ON t (a, b);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "t_ab");
  EXPECT_TRUE(r.redundant[0].same);
}

TEST_F(ExplainRedundant, AnIndexOnTheIntegerPrimaryKey) {
  ExplainReport r = Run("CREATE TABLE t (id INTEGER PRIMARY KEY, a); CREATE INDEX t_id ON t (id);");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "t_id");
  EXPECT_EQ(r.redundant[0].covered_by_origin, "INTEGER PRIMARY KEY (rowid)");
}

TEST_F(ExplainRedundant, AUniqueIndexIsNotRedundantWithALongerIndex) {
  ExplainReport r = Run("CREATE TABLE t (a, b); CREATE UNIQUE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);");
  EXPECT_TRUE(r.redundant.empty()) << r.redundant[0].index;
}

TEST_F(ExplainRedundant, AUniqueIndexIsNotRedundantWithALongerUniqueConstraint) {
  ExplainReport r = Run("CREATE TABLE t (a, b, UNIQUE (a, b)); CREATE UNIQUE INDEX t_a ON t (a);");
  EXPECT_TRUE(r.redundant.empty()) << r.redundant[0].index;
}

TEST_F(ExplainRedundant, DifferentWhereClausesAreNotRedundant) {
  ExplainReport r = Run(
      "CREATE TABLE t (a, b, c);"
      "CREATE INDEX partial_a ON t (a) WHERE c IS NOT NULL;"  // vs a full (a, b)
      "CREATE INDEX full_ab ON t (a, b);"
      "CREATE INDEX partial_b ON t (b) WHERE c > 0;"  // vs (b, a) under another WHERE
      "CREATE INDEX partial_ba ON t (b, a) WHERE c > 1;"
      "CREATE TABLE u (a, b); CREATE INDEX u_a ON u (a);"  // a full index vs a partial longer one
      "CREATE INDEX u_ab_partial ON u (a, b) WHERE b IS NOT NULL;");
  EXPECT_TRUE(r.redundant.empty()) << r.redundant[0].index;
}

TEST_F(ExplainRedundant, TheSameWhereClauseCounts) {
  ExplainReport r = Run(
      "CREATE TABLE t (a, b, c);"
      "CREATE INDEX p_a ON t (a) WHERE c IS NOT NULL;"
      "CREATE INDEX p_ab ON t (a, b) WHERE c  IS  NOT NULL;");
  ASSERT_EQ(r.redundant.size(), 1u);
  EXPECT_EQ(r.redundant[0].index, "p_a");
}

TEST_F(ExplainRedundant, DirectionCollationAndExpressionsAreNotRedundant) {
  ExplainReport r = Run(
      "CREATE TABLE t (a, b, c);"
      "CREATE INDEX a_desc ON t (a DESC);"
      "CREATE INDEX b_nocase ON t (b COLLATE NOCASE);"
      "CREATE INDEX c_lower ON t (lower(c));"
      "CREATE INDEX abc ON t (a, b, c);"
      "CREATE INDEX bc ON t (b, c);"
      "CREATE INDEX lower_c_a ON t (lower(c), a);");
  EXPECT_TRUE(r.redundant.empty()) << r.redundant[0].index;
}

TEST(ExplainChefSocial, Phase4ReportsTheSeedIndexesThatDuplicateUniqueConstraints) {
  Diagnostics d;
  std::optional<VersionedSchema> versioned = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(versioned);
  std::optional<int> phase4 = versioned->project.TagIndex("phase4");
  ASSERT_TRUE(phase4);
  const Schema schema = versioned->At(*phase4);
  testing::TempDir dir;
  const std::string path = (dir / "chefsocial.db").string();
  {
    Result<sqlite::Database> db = sqlite::Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(sqlite::CreateSchema(*db, schema).ok());
  }
  const std::string before = testing::ReadFile(path);
  Result<ExplainReport> r = Status::Ok();
  {
    Result<sqlite::Database> db = sqlite::Database::Open(path, sqlite::Database::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    r = sqlite::Explain(*db, schema);
  }
  ASSERT_TRUE(r.ok()) << r.status().message();

  const RedundantIndex* email = RedundantNamed(*r, "idx_users_email");
  ASSERT_NE(email, nullptr) << report::ExplainText(*r);
  EXPECT_TRUE(email->same);
  EXPECT_EQ(email->covered_by_origin, "UNIQUE constraint");
  EXPECT_EQ(email->covered_by_columns, "(email)");
  EXPECT_TRUE(email->covered_by.starts_with("sqlite_autoindex_users_"));
  const RedundantIndex* usage = RedundantNamed(*r, "idx_usage_user_month");
  ASSERT_NE(usage, nullptr);
  EXPECT_TRUE(usage->same);
  EXPECT_EQ(usage->covered_by_origin, "UNIQUE constraint");
  EXPECT_EQ(usage->covered_by_columns, "(user_id, month_year)");
  EXPECT_EQ(usage->covered_by, "sqlite_autoindex_usage_tracking_1");
  // The lookup queries use the constraint's index, not the seed's.
  for (const QueryPlan& q : r->queries) {
    for (const PlanStep& s : q.steps) {
      EXPECT_NE(s.index, "idx_users_email") << q.name;
      EXPECT_NE(s.index, "idx_usage_user_month") << q.name;
    }
  }
  EXPECT_EQ(r->redundant.size(), 4u) << report::ExplainText(*r);
  EXPECT_EQ(testing::ReadFile(path), before) << "explain must not write to the database";
}

TEST(ExplainReadOnly, TheFileIsByteIdenticalAfterExplain) {
  testing::TempDir dir;
  const std::string path = (dir / "same.db").string();
  {
    Result<sqlite::Database> db = sqlite::Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b); CREATE INDEX t_a ON t (a);"
                         "CREATE INDEX t_ab ON t (a, b); INSERT INTO t (a, b) VALUES (1, 2), (3, 4); ANALYZE;")
                    .ok());
  }
  const std::string before = testing::ReadFile(path);
  {
    Result<sqlite::Database> db = sqlite::Database::Open(path, sqlite::Database::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    Schema schema;
    Result<Schema> inspected = sqlite::InspectSchema(*db);
    ASSERT_TRUE(inspected.ok());
    schema = inspected.value();
    for (Table& t : schema.tables) t.large = true;
    schema.queries.push_back({"by_b", "", "SELECT * FROM t WHERE b = ?", {}});
    Result<ExplainReport> r = sqlite::Explain(*db, schema);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->failed());
    ASSERT_EQ(r->missing.size(), 1u);
    EXPECT_TRUE(r->missing[0].verified) << "the statistics are copied into the sandbox too";
    EXPECT_EQ(r->redundant.size(), 1u);
  }
  EXPECT_EQ(testing::ReadFile(path), before);
}

TEST(ExplainJson, CarriesTheSameContentAsTheText) {
  ExplainDb f(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a, b); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);");
  ExplainReport r = f.Explain(f.SchemaWith({"t"}, {{"by_b", "SELECT * FROM t WHERE b = ?"}}));
  const std::string json = report::ExplainJson(r, "v1");
  EXPECT_TRUE(json.starts_with("{\"ok\":false,\"tag\":\"v1\",\"queries\":[{\"name\":\"by_b\"")) << json;
  EXPECT_NE(json.find("\"classification\":\"full scan t\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"large_tables_scanned\":[\"t\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"detail\":\"SCAN t\",\"kind\":\"full scan\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"columns\":[\"b\"],\"sql\":\"CREATE INDEX \\\"idx_t_b\\\" ON \\\"t\\\" (\\\"b\\\");\",\"verified\":true"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"table\":\"t\",\"index\":\"t_a\",\"columns\":\"(a)\",\"covered_by\":\"t_ab\""), std::string::npos)
      << json;
  const std::string text = report::ExplainText(r);
  EXPECT_NE(text.find("query by_b: full scan t\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  SCAN t\n"), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE INDEX \"idx_t_b\" ON \"t\" (\"b\");"), std::string::npos) << text;
  EXPECT_NE(text.find("t_a ON t (a): a left prefix of index t_ab (a, b)"), std::string::npos) << text;
}

}  // namespace
}  // namespace strata
