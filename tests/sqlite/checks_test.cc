// Orphan-record checks on real files with planted problems: every ChefSocial
// foreign key gets a known number of orphans, and each check must report
// exactly those rows and keys; NULL keys are not orphans; composite keys,
// self-references, keys that reference a UNIQUE column, and parents with no
// index at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "schema/versioned.h"
#include "sqlite/checks.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {


bool IsIntegerType(const std::string& type) { return type.find("INT") != std::string::npos; }

// A value for `column` that no other generated value equals.
std::string Fresh(const Column& column, int& counter) {
  ++counter;
  return IsIntegerType(column.type) ? std::to_string(counter) : fmt::format("'v{}'", counter);
}

std::string OrphanKey(const Column& column, size_t fk, int row) {
  return IsIntegerType(column.type) ? std::to_string(7000000 + fk * 10 + row) : fmt::format("'orphan-{}-{}'", fk, row);
}

std::string Insert(const Table& t, const std::map<std::string, std::string>& values) {
  std::string columns, literals;
  for (const auto& [name, value] : values) {
    columns += (columns.empty() ? "" : ", ") + sqlite::QuoteIdentifier(name);
    literals += (literals.empty() ? "" : ", ") + value;
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({});\n", sqlite::QuoteIdentifier(t.name), columns, literals);
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const CheckResult* Find(const std::vector<CheckResult>& results, const std::string& name) {
  for (const CheckResult& r : results)
    if (r.check.name == name) return &r;
  return nullptr;
}

TEST(OrphanChecks, EveryChefSocialForeignKeyReportsExactlyThePlantedOrphans) {
  Diagnostics d;
  std::optional<VersionedSchema> versioned = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(versioned);
  const Schema schema = versioned->Latest();
  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "planted.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(sqlite::CreateSchema(*db, schema).ok());
  // Planting needs what the schema forbids.
  ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;").ok());

  // One healthy anchor row per table, its foreign keys pointing at its
  // parents' anchors (repeated so that chains settle).
  int counter = 1000;
  std::map<std::string, std::map<std::string, std::string>> anchor;
  for (const Table& t : schema.tables)
    for (const Column& c : t.columns) anchor[t.name][c.name] = Fresh(c, counter);
  for (int pass = 0; pass < 4; ++pass)
    for (const Table& t : schema.tables)
      for (const ForeignKey& fk : t.foreign_keys) {
        const Table* parent = schema.FindTable(fk.ref_table);
        std::vector<std::string> ref = fk.ref_columns.empty() ? parent->PrimaryKeyColumns() : fk.ref_columns;
        for (size_t j = 0; j < fk.columns.size(); ++j) anchor[t.name][fk.columns[j]] = anchor[parent->name][ref[j]];
      }
  std::string sql;
  for (const Table& t : schema.tables) sql += Insert(t, anchor[t.name]);
  ASSERT_TRUE(db->Exec(sql).ok()) << db->Exec(sql).message();

  std::vector<IntegrityCheck> checks = sqlite::BuildChecks(schema);
  for (const CheckResult& r : sqlite::RunChecks(*db, checks, 10))
    if (r.check.kind == IntegrityCheck::Kind::kOrphans) {
      EXPECT_TRUE(r.passed()) << r.check.name << " on healthy data: " << r.offending_rows << " " << r.error;
    }

  // Foreign key number k gets k % 3 + 1 orphans, each with its own missing
  // key, plus (when nullable) a row whose key is NULL, which is no orphan.
  std::map<std::string, std::vector<std::string>> expected;
  size_t k = 0;
  sql.clear();
  for (const Table& t : schema.tables)
    for (const ForeignKey& fk : t.foreign_keys) {
      const std::string name = fmt::format("orphans:{}.{}->{}", t.name, fmt::join(fk.columns, ","), fk.ref_table);
      const auto row_with = [&](const std::function<std::string(const Column&)>& key) {
        std::map<std::string, std::string> row;
        for (const Column& c : t.columns) row[c.name] = Fresh(c, counter);
        for (const ForeignKey& other : t.foreign_keys)
          for (const std::string& col : other.columns)
            row[col] = t.FindColumn(col)->nullable ? "NULL" : anchor[t.name][col];
        for (const std::string& col : fk.columns) row[col] = key(*t.FindColumn(col));
        return row;
      };
      for (int r = 0; r < static_cast<int>(k % 3) + 1; ++r) {
        sql += Insert(t, row_with([&](const Column& c) { return OrphanKey(c, k, r); }));
        expected[name].push_back(OrphanKey(*t.FindColumn(fk.columns[0]), k, r));
      }
      if (t.FindColumn(fk.columns[0])->nullable) sql += Insert(t, row_with([](const Column&) { return "NULL"; }));
      ++k;
    }
  ASSERT_GE(k, 16u) << "every ChefSocial foreign key is planted";
  Status planted = db->Exec(sql);
  ASSERT_TRUE(planted.ok()) << planted.message();

  const std::vector<CheckResult> results = sqlite::RunChecks(*db, checks, 10);
  for (const auto& [name, keys] : expected) {
    SCOPED_TRACE(name);
    const CheckResult* r = Find(results, name);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->error, "");
    EXPECT_EQ(r->offending_rows, static_cast<int64_t>(keys.size()));
    EXPECT_EQ(Sorted(r->samples), Sorted(keys));
  }
}

class CraftedOrphans : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<sqlite::Database> opened = sqlite::Database::Open((dir_ / "crafted.db").string());
    ASSERT_TRUE(opened.ok());
    db_.emplace(std::move(*opened));
  }

  // Builds the schema in YAML, creates it, plants `data` with foreign keys off.
  std::vector<CheckResult> Run(const std::string& tables_yaml, const std::string& data, int samples = 5) {
    Diagnostics d;
    std::optional<VersionedSchema> schema = yaml::LoadSchemaSources(
        {{"project.yaml", "project: t\ndialect: sqlite\ntags: [v1]\n"}, {"t.yaml", tables_yaml}}, d);
    EXPECT_TRUE(schema) << (d.Sorted().empty() ? "" : d.Sorted()[0].ToString());
    if (!schema) return {};
    schema_ = schema->Latest();
    EXPECT_TRUE(sqlite::CreateSchema(*db_, schema_).ok());
    Status s = db_->Exec("PRAGMA foreign_keys = OFF;\n" + data);
    EXPECT_TRUE(s.ok()) << s.message();
    checks_ = sqlite::BuildChecks(schema_);
    return sqlite::RunChecks(*db_, checks_, samples);
  }

  testing::TempDir dir_;
  std::optional<sqlite::Database> db_;
  Schema schema_;
  std::vector<IntegrityCheck> checks_;
};

TEST_F(CraftedOrphans, CompositeKeysCountOnlyRowsWithEveryColumnSet) {
  std::vector<CheckResult> r = Run(R"(tables:
  - name: teams
    primary_key: [org, code]
    columns:
      - {name: org, type: TEXT}
      - {name: code, type: INTEGER}
  - name: members
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: org, type: TEXT}
      - {name: code, type: INTEGER}
    foreign_keys:
      - columns: [org, code]
        references: {table: teams, columns: [org, code]}
)",
                                   "INSERT INTO teams VALUES ('a', 1), ('a', 2), ('b', 1);\n"
                                   "INSERT INTO members (org, code) VALUES ('a', 1), ('a', 2), ('b', 1),"
                                   " ('b', 2), ('b', 2), ('c', 1), ('a', NULL), (NULL, 9);");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].offending_rows, 3) << "('b', 2) twice and ('c', 1); rows with a NULL part are not orphans";
  EXPECT_EQ(Sorted(r[0].samples), (std::vector<std::string>{"'b'/2", "'c'/1"}));
}

TEST_F(CraftedOrphans, SelfReferenceAndUniqueParentColumn) {
  std::vector<CheckResult> r = Run(R"(tables:
  - name: features
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: key, type: TEXT, nullable: false, unique: true}
  - name: grants
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: feature_key, type: TEXT}
      - {name: parent_id, type: INTEGER}
    foreign_keys:
      - columns: [feature_key]
        references: {table: features, columns: [key]}
      - columns: [parent_id]
        references: {table: grants, columns: [id]}
        on_delete: cascade
)",
                                   "INSERT INTO features (key) VALUES ('ai_images'), ('voice');\n"
                                   "INSERT INTO grants (id, feature_key, parent_id) VALUES (1, 'voice', NULL),"
                                   " (2, 'ai_images', 1), (3, 'teams', 1), (4, 'teams', 40), (5, NULL, 41),"
                                   " (6, '1', 2);");
  const CheckResult* by_key = Find(r, "orphans:grants.feature_key->features");
  const CheckResult* self = Find(r, "orphans:grants.parent_id->grants");
  ASSERT_NE(by_key, nullptr);
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(by_key->offending_rows, 3) << "'teams' twice and '1' (not the id 1 of a feature)";
  EXPECT_EQ(Sorted(by_key->samples), (std::vector<std::string>{"'1'", "'teams'"}));
  EXPECT_EQ(self->offending_rows, 2);
  EXPECT_EQ(Sorted(self->samples), (std::vector<std::string>{"40", "41"}));
  EXPECT_FALSE(by_key->check.child_indexed);
}

TEST_F(CraftedOrphans, KeysMatchWithTheParentsCollation) {
  // SQLite matches a key with the parent column's collation: 'ABC' is an
  // orphan of a BINARY parent even when the child column is NOCASE.
  std::vector<CheckResult> r = Run(R"(tables:
  - name: p
    columns:
      - {name: k, type: TEXT, primary_key: true}
  - name: c
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: pk, type: TEXT, collate: NOCASE}
    foreign_keys:
      - {columns: [pk], references: {table: p, columns: [k]}}
)",
                                   "INSERT INTO p VALUES ('abc');\n"
                                   "INSERT INTO c (pk) VALUES ('abc'), ('ABC'), ('Abc');");
  ASSERT_EQ(r.size(), 1u);
  Result<int64_t> pragma = db_->QueryInt("SELECT count(*) FROM pragma_foreign_key_check('c')");
  ASSERT_TRUE(pragma.ok());
  EXPECT_EQ(*pragma, 2);
  EXPECT_EQ(r[0].offending_rows, 2) << "the same rows as the pragma";
  EXPECT_EQ(Sorted(r[0].samples), (std::vector<std::string>{"'ABC'", "'Abc'"}));
}

TEST(OrphanChecks, ParentWithoutAnyIndexIsOneScanNotAScanPerKey) {
  // A parent column that no index covers, in a database strata did not
  // create (the YAML loader refuses such a key): PRAGMA foreign_key_check
  // fails with "foreign key mismatch"; the check must still answer, and its
  // plan must not run a subquery per child key.
  testing::TempDir dir;
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "legacy.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = OFF;\n"
                       "CREATE TABLE parents (id INTEGER PRIMARY KEY, code TEXT);\n"
                       "CREATE TABLE children (id INTEGER PRIMARY KEY, code TEXT REFERENCES parents (code));\n"
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)\n"
                       "INSERT INTO parents (code) SELECT 'p' || i FROM n;\n"
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)\n"
                       "INSERT INTO children (code) SELECT 'p' || (i % 20100) FROM n;\n").ok());
  EXPECT_FALSE(db->Exec("PRAGMA foreign_key_check(children)").ok()) << "SQLite itself refuses this key";
  Result<Schema> schema = sqlite::InspectSchema(*db);
  ASSERT_TRUE(schema.ok());
  const std::vector<IntegrityCheck> checks = sqlite::BuildChecks(*schema);
  ASSERT_EQ(checks.size(), 1u);
  const std::vector<CheckResult> r = sqlite::RunChecks(*db, checks, 3);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error, "");
  // i % 20100 = 0 or 20001..20099 has no parent: 100 keys, one row each.
  Result<int64_t> want = db->QueryInt(
      "SELECT count(*) FROM children WHERE code NOT IN (SELECT code FROM parents WHERE code IS NOT NULL)");
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(*want, 100);
  EXPECT_EQ(r[0].offending_rows, *want);
  EXPECT_EQ(r[0].samples.size(), 3u) << "samples are capped";

  Result<sqlite::Statement> plan = db->Prepare("EXPLAIN QUERY PLAN " + checks[0].sql);
  ASSERT_TRUE(plan.ok());
  std::string text;
  for (;;) {
    Result<bool> row = plan->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    text += plan->Text(3) + "\n";
  }
  EXPECT_EQ(text.find("CORRELATED"), std::string::npos) << text;
}

TEST(CheckCommand, ReportsFailuresAsTextJsonAndJUnitOnAnUnmanagedDatabase) {
  testing::TempDir dir;
  testing::CommandResult r = testing::RunStrata(
      {"create", "--schema", (testing::SourceDir() / "schema").string(), "--db", "app.db", "--tag", "phase1"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string schema = (testing::SourceDir() / "schema").string();
  r = testing::RunStrata({"check", "--schema", schema, "--db", "app.db", "--tag", "phase1"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "app.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = OFF;"
                         "INSERT INTO content (user_id, title) VALUES ('ghost', 'a'), ('ghost', 'b');"
                         "INSERT INTO users (id, email, password_hash, name) VALUES ('u1', 'u1@x', 'h', 'U');"
                         "INSERT INTO usage_tracking (user_id, month_year) VALUES ('u1', '2025-13');").ok());
  }
  r = testing::RunStrata({"check", "--schema", schema, "--db", "app.db", "--tag", "phase1"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAILED 2 row(s); sample keys: 'ghost'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("usage_month_year_format"), std::string::npos);
  EXPECT_NE(r.out.find("2 failed"), std::string::npos) << r.out;

  r = testing::RunStrata({"check", "--schema", schema, "--db", "app.db", "--tag", "phase1", "--format", "json"},
                         dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("\"name\":\"orphans:content.user_id->users\",\"table\":\"content\",\"kind\":\"orphans\","
                       "\"passed\":false,\"offending_rows\":2,\"samples\":[\"'ghost'\"]"),
            std::string::npos)
      << r.out;

  r = testing::RunStrata({"check", "--schema", schema, "--db", "app.db", "--tag", "phase1", "--format", "junit"},
                         dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("<testsuite"), std::string::npos);
  EXPECT_NE(r.out.find("failures=\"2\""), std::string::npos) << r.out;

  r = testing::RunStrata({"check", "--schema", schema, "--db", "app.db", "--tag", "phase9"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace strata
