// `strata drift` on real files: a ChefSocial database at phase4, altered by
// hand in one way per case; every kind of drift is reported with the table
// and what differs, and a clean database reports nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "sqlite/database.h"
#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

// Replaces `from` with `to` in a table's CREATE text by dropping and
// re-creating the table with its indexes (the tables are empty).
std::string RewriteTable(const std::string& table, const std::string& from, const std::string& to) {
  return "REWRITE " + table + '\x1f' + from + '\x1f' + to;
}

Status Apply(sqlite::Database& db, const std::string& change) {
  if (!change.starts_with("REWRITE ")) return db.Exec(change);
  const size_t l1 = change.find('\x1f'), l2 = change.find('\x1f', l1 + 1);
  const std::string table = change.substr(8, l1 - 8);
  const std::string from = change.substr(l1 + 1, l2 - l1 - 1), to = change.substr(l2 + 1);
  Result<sqlite::Statement> stmt = db.Prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = ?1 AND sql IS NOT NULL ORDER BY type = 'index'");
  if (!stmt.ok()) return stmt.status();
  if (Status s = stmt->Bind(1, table); !s.ok()) return s;
  std::vector<std::string> ddl;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ddl.push_back(stmt->Text(0));
  }
  if (ddl.empty() || ddl[0].find(from) == std::string::npos) return Status::InvalidInput("no \"" + from + "\" in " + table);
  ddl[0].replace(ddl[0].find(from), from.size(), to);
  std::string sql = "PRAGMA foreign_keys = OFF; BEGIN; DROP TABLE \"" + table + "\";";
  for (const std::string& d : ddl) sql += d + ";";
  return db.Exec(sql + "COMMIT;");
}

struct DriftCase {
  std::string name;
  std::string change;
  std::vector<std::string> findings;  // each must appear in the report
};

class Drift : public ::testing::TestWithParam<DriftCase> {
 protected:
  static void SetUpTestSuite() {
    template_dir_ = std::make_unique<testing::TempDir>();
    // A copy of the schema whose project ignores one table.
    fs::copy(testing::SourceDir() / "schema", template_dir_->path() / "schema", fs::copy_options::recursive);
    std::string project = testing::ReadFile(template_dir_->path() / "schema/project.yaml");
    template_dir_->Write("schema/project.yaml", project + "ignore_tables: [legacy_cache]\n");
    testing::CommandResult r = testing::RunStrata({"create", "--db", "phase4.db", "--tag", "phase4"}, template_dir_->path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { template_dir_.reset(); }

  static testing::CommandResult DriftOf(const std::string& change, const std::string& format) {
    const fs::path db_path = template_dir_->path() / "case.db";
    fs::copy_file(template_dir_->path() / "phase4.db", db_path, fs::copy_options::overwrite_existing);
    if (!change.empty()) {
      Result<sqlite::Database> db = sqlite::Database::Open(db_path.string());
      EXPECT_TRUE(db.ok());
      Status s = Apply(*db, change);
      EXPECT_TRUE(s.ok()) << s.message();
    }
    return testing::RunStrata({"drift", "--db", "case.db", "--tag", "phase4", "--format", format}, template_dir_->path());
  }

  static inline std::unique_ptr<testing::TempDir> template_dir_;
};

TEST_P(Drift, IsReportedWithTheTableAndWhatDiffers) {
  const DriftCase& c = GetParam();
  testing::CommandResult r = DriftOf(c.change, "text");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const std::string& f : c.findings) EXPECT_NE(r.out.find(f), std::string::npos) << "want: " << f << "\ngot:\n" << r.out;
  // One finding per changed object: a changed index or foreign key is not
  // also reported as an extra one.
  if (c.findings.size() == 1 && c.findings[0].find(" instead of ") != std::string::npos) {
    EXPECT_EQ(r.out.find(": extra "), std::string::npos) << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, Drift,
    ::testing::Values(
        DriftCase{"MissingTable", "DROP TABLE invoices", {"invoices: table is missing"}},
        DriftCase{"ExtraTable", "CREATE TABLE scratch (x)", {"scratch: extra table"}},
        DriftCase{"MissingColumn", "ALTER TABLE users DROP COLUMN brand_fonts", {"users: column \"brand_fonts\" is missing"}},
        DriftCase{"ExtraColumn", "ALTER TABLE users ADD COLUMN nickname TEXT", {"users: extra column \"nickname\""}},
        DriftCase{"ColumnType", RewriteTable("content", "\"title\" TEXT", "\"title\" VARCHAR(200)"),
                  {"content: column \"title\": type is VARCHAR(200) instead of TEXT"}},
        DriftCase{"Nullability", RewriteTable("users", "\"name\" TEXT NOT NULL", "\"name\" TEXT"),
                  {"users: column \"name\": allows NULL (expected NOT NULL)"}},
        DriftCase{"Default", RewriteTable("users", "DEFAULT 'en'", "DEFAULT 'fr'"),
                  {"users: column \"preferred_language\": default is 'fr' instead of 'en'"}},
        DriftCase{"PrimaryKey", RewriteTable("user_profiles", "\"user_id\" TEXT PRIMARY KEY", "\"user_id\" TEXT NOT NULL"),
                  {"user_profiles: column \"user_id\": ", "primary key differs"}},
        DriftCase{"Uniqueness", RewriteTable("users", "\"email\" TEXT NOT NULL UNIQUE", "\"email\" TEXT NOT NULL"),
                  {"users: column \"email\": is not UNIQUE (expected UNIQUE)"}},
        DriftCase{"MissingIndex", "DROP INDEX idx_content_scheduled", {"content: index \"idx_content_scheduled\" is missing or differs"}},
        DriftCase{"ExtraIndex", "CREATE INDEX extra_title ON content (title)", {"content: extra index \"extra_title\""}},
        DriftCase{"IndexColumnOrder",
                  "DROP INDEX idx_content_user_platform; CREATE INDEX idx_content_user_platform ON content (platform, user_id)",
                  {"content: index \"idx_content_user_platform\" is (platform, user_id) instead of (user_id, platform)"}},
        DriftCase{"IndexDirection",
                  "DROP INDEX idx_content_viral_score; CREATE INDEX idx_content_viral_score ON content (viral_score ASC)",
                  {"content: index \"idx_content_viral_score\" is (viral_score) instead of (viral_score DESC)"}},
        DriftCase{"MissingForeignKey", RewriteTable("content", ",\n  FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\")", ""),
                  {"content: foreign key (user_id) -> \"users\" is missing or differs"}},
        DriftCase{"ExtraForeignKey", "ALTER TABLE users ADD COLUMN team_id TEXT REFERENCES teams (id)",
                  {"users: extra column \"team_id\"", "users: extra foreign key (team_id) -> \"teams\""}},
        DriftCase{"ForeignKeyAction", RewriteTable("user_profiles", " ON DELETE CASCADE", ""),
                  {"user_profiles: foreign key (user_id) is -> \"users\" (id) ON DELETE NO ACTION ON UPDATE NO ACTION "
                   "instead of -> \"users\" (id) ON DELETE CASCADE ON UPDATE NO ACTION"}},
        DriftCase{"ExtraCheck", RewriteTable("teams", "\"max_members\" INTEGER DEFAULT 2", "\"max_members\" INTEGER DEFAULT 2 CHECK (max_members > 0)"),
                  {"teams: column \"max_members\": CHECK differs"}},
        DriftCase{"ExtraTrigger", "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END",
                  {"users: extra trigger \"users_touch\""}},
        DriftCase{"ExtraView", "CREATE VIEW active_users AS SELECT id FROM users WHERE status = 'active'",
                  {"active_users: extra view"}},
        DriftCase{"Collation", RewriteTable("users", "\"email\" TEXT NOT NULL UNIQUE", "\"email\" TEXT NOT NULL UNIQUE COLLATE NOCASE"),
                  {"users: column \"email\": collation differs"}},
        DriftCase{"ColumnConflictClause",
                  RewriteTable("users", "\"email\" TEXT NOT NULL UNIQUE", "\"email\" TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE"),
                  {"users: column \"email\": NOT NULL is ON CONFLICT IGNORE instead of ABORT; UNIQUE is ON CONFLICT "
                   "REPLACE instead of ABORT"}},
        DriftCase{"UniqueConflictClause",
                  RewriteTable("usage_tracking", "UNIQUE (\"user_id\", \"month_year\")",
                               "UNIQUE (\"user_id\", \"month_year\") ON CONFLICT REPLACE"),
                  {"usage_tracking: UNIQUE (user_id, month_year) is ON CONFLICT REPLACE instead of ABORT"}}),
    [](const ::testing::TestParamInfo<DriftCase>& param_info) { return param_info.param.name; });

TEST_F(Drift, CleanDatabaseAndIgnoredOrInternalTablesAreNotDrift) {
  testing::CommandResult r = DriftOf("", "text");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no drift"), std::string::npos) << r.out;
  // sqlite_sequence exists (AUTOINCREMENT tables), sqlite_stat1 after ANALYZE, legacy_cache is ignored.
  r = DriftOf("ANALYZE; CREATE TABLE legacy_cache (k, v)", "text");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(Drift, JUnitHasOneCasePerTableAndJsonListsFindings) {
  testing::CommandResult r = DriftOf("ALTER TABLE users ADD COLUMN nickname TEXT; DROP INDEX idx_content_scheduled", "junit");
  EXPECT_EQ(r.exit_code, 1);
  size_t cases = 0;
  for (size_t at = r.out.find("<testcase"); at != std::string::npos; at = r.out.find("<testcase", at + 1)) ++cases;
  EXPECT_EQ(cases, 17u) << r.out;
  EXPECT_NE(r.out.find("failures=\"2\""), std::string::npos) << r.out;

  r = DriftOf("ALTER TABLE users ADD COLUMN nickname TEXT", "json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("{\"table\":\"users\",\"finding\":\"extra column \\\"nickname\\\"\"}"), std::string::npos) << r.out;
}

TEST(DriftManaged, DatabaseBroughtUpByStrataHasNoDriftAtItsRecordedTag) {
  testing::TempDir dir;
  const std::string schema = (testing::SourceDir() / "schema").string();
  const std::string migrations = (testing::SourceDir() / "migrations").string();
  testing::CommandResult r = testing::RunStrata(
      {"up", "--schema", schema, "--migrations", migrations, "--db", "app.db", "--tag", "phase2", "--no-backup"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testing::RunStrata({"drift", "--schema", schema, "--migrations", migrations, "--db", "app.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("at tag \"phase2\""), std::string::npos) << r.out;
  // The same file compared with a later tag lacks that tag's tables.
  r = testing::RunStrata({"drift", "--schema", schema, "--migrations", migrations, "--db", "app.db", "--tag", "phase3"},
                         dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("teams: table is missing"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strata
