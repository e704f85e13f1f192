// Adopting a live database: inspect it, write the YAML, load that YAML,
// render its DDL into a new file, and the new file must introspect exactly
// as the original. On the ChefSocial database at every tag and on
// hand-written databases with what ChefSocial does not use.
#include <gtest/gtest.h>

#include "schema/versioned.h"
#include "schema_compare.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "test_util.h"
#include "yaml/loader.h"
#include "yaml/writer.h"

namespace strata {
namespace {

Schema Inspect(const std::filesystem::path& file) {
  Result<sqlite::Database> db = sqlite::Database::Open(file.string(), sqlite::Database::Mode::kReadOnly);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return {};
  Result<Schema> schema = sqlite::InspectSchema(*db);
  EXPECT_TRUE(schema.ok()) << schema.status().message();
  return schema.ok() ? *schema : Schema{};
}

// Inspect -> YAML -> load -> create -> inspect; returns the second inspection.
Schema RoundTrip(const testing::TempDir& dir, const std::filesystem::path& original) {
  Project project;
  project.name = "adopted";
  project.tags = {"baseline"};
  std::vector<yaml::SourceFile> sources;
  for (const auto& [name, text] : yaml::WriteSchemaFiles(project, Inspect(original))) {
    dir.Write("schema/" + name, text);
    sources.push_back({"schema/" + name, text});
  }
  std::stable_partition(sources.begin(), sources.end(),
                        [](const yaml::SourceFile& f) { return f.path == "schema/project.yaml"; });
  Diagnostics diagnostics;
  std::optional<VersionedSchema> loaded = yaml::LoadSchemaSources(sources, diagnostics);
  EXPECT_TRUE(loaded) << "the written YAML does not load:\n"
                      << (diagnostics.Sorted().empty() ? "" : diagnostics.Sorted()[0].ToString());
  if (!loaded) return {};
  const std::filesystem::path copy = dir / "recreated.db";
  Result<sqlite::Database> db = sqlite::Database::Open(copy.string());
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return {};
  Status created = sqlite::CreateSchema(*db, loaded->Latest());
  EXPECT_TRUE(created.ok()) << created.message();
  return Inspect(copy);
}

class ChefSocialAdoption : public ::testing::TestWithParam<std::string> {};

TEST_P(ChefSocialAdoption, InspectedYamlRecreatesTheDatabase) {
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  std::optional<int> tag = schema->project.TagIndex(GetParam());
  ASSERT_TRUE(tag);
  testing::TempDir dir;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "live.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(sqlite::CreateSchema(*db, schema->At(*tag)).ok());
  }
  const Schema original = Inspect(dir / "live.db");
  const Schema recreated = RoundTrip(dir, dir / "live.db");
  EXPECT_EQ(testing::AsPragmasSeeIt(recreated), testing::AsPragmasSeeIt(original));
  // And the inspected database is what the declared schema says, CHECKs and collations included.
  EXPECT_EQ(testing::AsPragmasSeeIt(original), testing::AsPragmasSeeIt(schema->At(*tag)));
}

INSTANTIATE_TEST_SUITE_P(EveryTag, ChefSocialAdoption,
                         ::testing::Values("baseline", "phase1", "phase2", "phase3", "phase4"));

TEST(InspectRoundTrip, HandWrittenDatabaseWithEverythingTheModelHolds) {
  testing::TempDir dir;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "live.db").string());
    ASSERT_TRUE(db.ok());
    Status s = db->Exec(R"sql(
      CREATE TABLE accounts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        nick  VARCHAR(40) COLLATE RTRIM DEFAULT 'cook',
        score REAL DEFAULT 1.5 CHECK (score >= 0),
        flags INTEGER NOT NULL DEFAULT -3,
        joined DATETIME DEFAULT CURRENT_TIMESTAMP,
        CONSTRAINT email_shape CHECK (email LIKE '%@%')
      );
      CREATE TABLE memberships (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        team TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
        since TEXT,
        PRIMARY KEY (account_id, team),
        UNIQUE (team, role, since)
      ) WITHOUT ROWID;
      CREATE TABLE tree (
        id INTEGER PRIMARY KEY,
        parent_id INTEGER REFERENCES tree(id) ON DELETE SET NULL ON UPDATE CASCADE,
        account_id INTEGER, team TEXT,
        FOREIGN KEY (account_id, team) REFERENCES memberships(account_id, team)
      );
      CREATE TABLE typed (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, t TEXT) STRICT;
      CREATE INDEX tree_recent ON tree (account_id DESC, id);
      CREATE INDEX tree_roots ON tree (id) WHERE parent_id IS NULL;
      CREATE UNIQUE INDEX accounts_nick ON accounts (nick DESC) WHERE nick <> 'cook';
      CREATE TRIGGER accounts_touch AFTER UPDATE OF email ON accounts
      BEGIN UPDATE accounts SET flags = flags + 1 WHERE id = NEW.id; END;
      CREATE VIEW team_sizes AS SELECT team, count(*) AS members FROM memberships GROUP BY team;
      INSERT INTO accounts (email) VALUES ('a@b.c');
    )sql");
    ASSERT_TRUE(s.ok()) << s.message();
  }
  const Schema original = Inspect(dir / "live.db");
  ASSERT_EQ(original.tables.size(), 4u);
  const Table* accounts = original.FindTable("accounts");
  ASSERT_NE(accounts, nullptr);
  EXPECT_EQ(accounts->columns[1].collation, "NOCASE");
  EXPECT_EQ(accounts->columns[3].check, "score >= 0");
  ASSERT_EQ(accounts->checks.size(), 1u);
  EXPECT_EQ(accounts->checks[0].name, "email_shape");
  EXPECT_TRUE(original.FindTable("memberships")->without_rowid);
  EXPECT_TRUE(original.FindTable("typed")->strict);
  ASSERT_EQ(accounts->triggers.size(), 1u);
  EXPECT_EQ(accounts->triggers[0].name, "accounts_touch");
  ASSERT_EQ(original.views.size(), 1u);
  EXPECT_EQ(original.views[0].name, "team_sizes");

  const Schema recreated = RoundTrip(dir, dir / "live.db");
  EXPECT_EQ(testing::AsPragmasSeeIt(recreated), testing::AsPragmasSeeIt(original));
}

// ON CONFLICT on every constraint that takes one, on columns and on the
// table, written in ways strata would not write them; a one-column table
// key reads as the column's. The recreated tables resolve conflicts alike.
TEST(InspectRoundTrip, ConflictClausesOfEveryKind) {
  testing::TempDir dir;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "live.db").string());
    ASSERT_TRUE(db.ok());
    Status s = db->Exec(R"sql(
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY ON CONFLICT REPLACE AUTOINCREMENT,
        email TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE,
        phone TEXT CONSTRAINT one_phone UNIQUE on conflict fail,
        score INT NOT NULL ON CONFLICT REPLACE DEFAULT 0,
        team TEXT, seat INT,
        UNIQUE (team, seat) ON CONFLICT ROLLBACK,
        CHECK (score >= 0) ON CONFLICT IGNORE
      );
      CREATE TABLE seats (room TEXT, seat INT, label TEXT,
        CONSTRAINT seats_pk PRIMARY KEY (room, seat) ON CONFLICT IGNORE, UNIQUE (label) ON CONFLICT REPLACE);
      CREATE TABLE codes (code TEXT, PRIMARY KEY (code) ON CONFLICT FAIL) WITHOUT ROWID;
      CREATE TABLE plain (id INTEGER PRIMARY KEY ON CONFLICT ABORT, v TEXT UNIQUE);
    )sql");
    ASSERT_TRUE(s.ok()) << s.message();
  }
  const Schema original = Inspect(dir / "live.db");
  ASSERT_TRUE(original.unmodelled.empty()) << original.unmodelled[0].what;
  ASSERT_EQ(original.tables.size(), 4u);
  const Table& contacts = *original.FindTable("contacts");
  EXPECT_EQ(contacts.columns[0].primary_key_on_conflict, ConflictResolution::kReplace);
  EXPECT_TRUE(contacts.columns[0].autoincrement);
  EXPECT_EQ(contacts.columns[1].not_null_on_conflict, ConflictResolution::kIgnore);
  EXPECT_EQ(contacts.columns[1].unique_on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(contacts.columns[2].unique_on_conflict, ConflictResolution::kFail);
  EXPECT_EQ(contacts.columns[3].not_null_on_conflict, ConflictResolution::kReplace);
  ASSERT_EQ(contacts.uniques.size(), 1u);
  EXPECT_EQ(contacts.uniques[0].on_conflict, ConflictResolution::kRollback);
  ASSERT_EQ(contacts.checks.size(), 1u);
  EXPECT_EQ(contacts.checks[0].expr, "score >= 0");
  const Table& seats = *original.FindTable("seats");
  EXPECT_EQ(seats.primary_key, (std::vector<std::string>{"room", "seat"}));
  EXPECT_EQ(seats.primary_key_on_conflict, ConflictResolution::kIgnore);
  EXPECT_EQ(seats.FindColumn("label")->unique_on_conflict, ConflictResolution::kReplace);
  EXPECT_EQ(original.FindTable("codes")->columns[0].primary_key_on_conflict, ConflictResolution::kFail);
  EXPECT_FALSE(original.FindTable("plain")->HasConflictClause()) << "ABORT is what no clause does";

  const Schema recreated = RoundTrip(dir, dir / "live.db");
  EXPECT_EQ(testing::AsPragmasSeeIt(recreated), testing::AsPragmasSeeIt(original));
  const std::string yaml = testing::ReadFile(dir / "schema/tables/contacts.yaml");
  EXPECT_NE(yaml.find("on_conflict: {not_null: ignore, unique: replace}"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("on_conflict: rollback"), std::string::npos) << yaml;
  EXPECT_NE(testing::ReadFile(dir / "schema/tables/seats.yaml").find("primary_key_on_conflict: ignore"),
            std::string::npos);

  // What the clauses do, on the recreated file.
  Result<sqlite::Database> db = sqlite::Database::Open((dir / "recreated.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("INSERT INTO contacts (id, email, phone) VALUES (1, 'a@x', '1');"
                       "INSERT INTO contacts (id, email, phone) VALUES (2, 'a@x', '2');"  // REPLACE drops row 1
                       "INSERT INTO contacts (id, email, phone) VALUES (3, NULL, '3');"   // IGNORE skips it
                       "INSERT INTO contacts (id, email, phone, score) VALUES (2, 'b@x', '4', NULL);"  // REPLACE
                       "INSERT INTO seats VALUES ('r', 1, 'x'), ('r', 1, 'y');")
                  .ok());
  Result<std::string> rows =
      db->QueryString("SELECT group_concat(id || ':' || email || ':' || phone || ':' || score, ',') FROM contacts");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "2:b@x:4:0");
  Result<int64_t> seated = db->QueryInt("SELECT count(*) FROM seats");
  ASSERT_TRUE(seated.ok());
  EXPECT_EQ(*seated, 1);
  EXPECT_FALSE(db->Exec("INSERT INTO contacts (email, phone) VALUES ('c@x', '4')").ok()) << "FAIL refuses";
  EXPECT_FALSE(db->Exec("INSERT INTO codes VALUES ('k'), ('k')").ok());
}

TEST(InspectRoundTrip, InspectCommandWritesALoadableSchemaAndRefusesToOverwrite) {
  testing::TempDir dir;
  {
    Result<sqlite::Database> db = sqlite::Database::Open((dir / "app.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'x');"
                         "CREATE VIEW v AS SELECT * FROM t;").ok());
  }
  testing::CommandResult r = testing::RunStrata({"inspect", "--db", "app.db", "--out", "adopted"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = testing::RunStrata({"validate", "--schema", "adopted"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = testing::RunStrata({"diff", "--from", "adopted", "--to", "app.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::Trimmed(r.out), "-- no differences");

  r = testing::RunStrata({"inspect", "--db", "app.db", "--out", "adopted"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already holds a schema"), std::string::npos) << r.err;
  r = testing::RunStrata({"inspect", "--db", "missing.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db")) << "inspect must not create the file";
}

}  // namespace
}  // namespace strata
