// End-to-end: the strata binary as a user runs it.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>

#include "test_util.h"

namespace strata {
namespace {

using testing::RunStrata;

std::string SchemaDir() { return (testing::SourceDir() / "schema").string(); }

TEST(Cli, ValidatePassesOnTheChefSocialSchema) {
  testing::CommandResult r = RunStrata({"validate", "--schema", SchemaDir()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("valid (5 tags, 17 tables"), std::string::npos) << r.out;
}

TEST(Cli, ValidateFindsTheDefaultSchemaFolderFromTheRepository) {
  testing::CommandResult r = RunStrata({"validate"}, testing::SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, AnUnknownDialectIsReportedAtItsPosition) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ndialects: [sqlite, oracle]\ntags: [a]\n");
  dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns: [{name: id, type: INTEGER}]\n");
  for (const char* command : {"validate", "generate"}) {
    testing::CommandResult r = RunStrata({command}, dir.path());
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("schema/project.yaml:2:11: error: unknown dialect \"oracle\"; this strata supports "
                         "\"sqlite\""),
              std::string::npos)
        << command << ": " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "migrations")) << "generate wrote nothing";
}

TEST(Cli, ADatabaseOfADialectTheProjectDoesNotGenerateForIsRefused) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
  dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns: [{name: id, type: INTEGER}]\n");
  testing::CommandResult r = RunStrata({"status", "--db", "postgresql://u:secret@localhost/db"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the project generates migrations for \"sqlite\" only"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret"), std::string::npos) << "a password never appears: " << r.err;
}

TEST(Cli, UpRefusesMigrationsThatTheEditedSchemaNoLongerProduces) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a, b]\ndatabase: app.db\n");
  dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns: [{name: id, type: INTEGER}]\n");
  ASSERT_EQ(RunStrata({"generate"}, dir.path()).exit_code, 0);
  ASSERT_EQ(RunStrata({"up", "--tag", "a"}, dir.path()).exit_code, 0);
  // A column added at tag b, and no `generate`.
  dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns:\n      - {name: id, type: INTEGER}\n"
                             "      - {name: note, type: TEXT, since: b}\n");
  testing::CommandResult r = RunStrata({"up"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("not what schema produces now"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0020_b.up.sql: out of date"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("run `strata generate`"), std::string::npos) << r.err;
  EXPECT_NE(RunStrata({"status"}, dir.path()).out.find("1 applied, 1 pending"), std::string::npos)
      << "nothing was applied";
  // The way out the message names, both of them.
  EXPECT_EQ(RunStrata({"up", "--allow-stale", "--tag", "b"}, dir.path()).exit_code, 0);
  EXPECT_EQ(RunStrata({"down", "--allow-destructive"}, dir.path()).exit_code, 0);
  ASSERT_EQ(RunStrata({"generate"}, dir.path()).exit_code, 0);
  r = RunStrata({"up"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, ValidateAndGenerateRefuseAViewOverATableThatIsGone) {
  // The YAML is well formed; SQLite would refuse the view at phase b, and
  // every later ALTER with it.
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a, b]\n");
  dir.Write("schema/t.yaml",
            "tables:\n"
            "  - name: t\n    columns: [{name: id, type: INTEGER}]\n"
            "  - name: gone\n    removed: b\n    columns: [{name: id, type: INTEGER}]\n"
            "views:\n"
            "  - name: v\n    sql: CREATE VIEW v AS SELECT id FROM gone\n");
  for (const char* command : {"validate", "generate"}) {
    testing::CommandResult r = RunStrata({command}, dir.path());
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("schema at tag \"b\": view \"v\": no such table: main.gone"), std::string::npos)
        << command << ": " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "migrations")) << "generate wrote nothing";
}

TEST(Cli, ValidateReportsEveryErrorAndExitsTwo) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [baseline]\n");
  dir.Write("schema/a.yaml", "tables:\n  - name: t\n    columns:\n      - {name: a, type: TXET}\n");
  dir.Write("schema/b.yaml", "tables:\n  - name: t\n    columns:\n      - {name: a, type: TEXT}\n");
  testing::CommandResult r = RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "schema/a.yaml:4:25: error: unknown type \"TXET\"; did you mean \"TEXT\"?\n"
            "schema/b.yaml:2:11: error: duplicate table \"t\"\n"
            "schema/a.yaml:2:11: note: first defined here\n"
            "2 error(s), 0 warning(s)\n");
  EXPECT_EQ(r.out, "");

  testing::CommandResult json = RunStrata({"validate", "--format", "json"}, dir.path());
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(json.out,
            "{\"ok\":false,\"errors\":2,\"warnings\":0,\"diagnostics\":["
            "{\"file\":\"schema/a.yaml\",\"line\":4,\"column\":25,\"severity\":\"error\","
            "\"message\":\"unknown type \\\"TXET\\\"; did you mean \\\"TEXT\\\"?\",\"notes\":[]},"
            "{\"file\":\"schema/b.yaml\",\"line\":2,\"column\":11,\"severity\":\"error\","
            "\"message\":\"duplicate table \\\"t\\\"\",\"notes\":[{\"file\":\"schema/a.yaml\","
            "\"line\":2,\"column\":11,\"message\":\"first defined here\"}]}]}\n");
}

TEST(Cli, UsageErrorsExitTwoNotCli11Codes) {
  EXPECT_EQ(RunStrata({"validate", "--bogus"}).exit_code, 2);
  EXPECT_EQ(RunStrata({}).exit_code, 2);
  EXPECT_EQ(RunStrata({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunStrata({"validate", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(RunStrata({"--help"}).exit_code, 0);
}

TEST(Cli, CreateBuildsTheDatabaseAtATagAndRefusesToOverwrite) {
  testing::TempDir dir;
  std::string db = (dir / "chefsocial.db").string();
  testing::CommandResult r = RunStrata({"create", "--schema", SchemaDir(), "--db", db, "--tag", "phase2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("created at tag \"phase2\" (9 tables)"), std::string::npos) << r.out;

  std::string before = testing::ReadFile(db);
  testing::CommandResult again = RunStrata({"create", "--schema", SchemaDir(), "--db", db});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds 9 table(s)"), std::string::npos) << again.err;
  EXPECT_EQ(testing::ReadFile(db), before) << "a refused create must not touch the file";
}

TEST(Cli, CreateWithAnUnknownTagOrBadSchemaWritesNothing) {
  testing::TempDir dir;
  std::string db = (dir / "x.db").string();
  EXPECT_EQ(RunStrata({"create", "--schema", SchemaDir(), "--db", db, "--tag", "phase9"}).exit_code, 2);
  EXPECT_EQ(RunStrata({"create", "--schema", (dir / "none").string(), "--db", db}).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(db));
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(Cli, UnknownCommandIsNamedWithTheNearestOne) {
  testing::CommandResult typo = testing::RunStrata({"stauts"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err, "strata: error: unknown command \"stauts\"; did you mean \"status\"? (strata --help lists the commands)\n");
  testing::CommandResult unknown = testing::RunStrata({"lint"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown command \"lint\""), std::string::npos) << unknown.err;
}

// `plan` of a database that does not exist yet lists every migration and
// creates nothing (it used to fail on the in-memory stand-in's journal).
TEST(Cli, PlanOfADatabaseThatDoesNotExistYetListsEverything) {
  testing::TempDir dir;
  testing::CommandResult r = testing::RunStrata({"plan", "--db", (dir / "new.db").string()}, testing::SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0010_baseline.up.sql"), std::string::npos);
  EXPECT_NE(r.out.find("0050_phase4.up.sql"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "new.db"));
}

// Without --db, STRATA_DB or `database:` in project.yaml, a command that
// needs a database says how to name one.
TEST(Cli, ADatabaseMustBeNamedSomewhere) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
  dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns: [{name: id, type: INTEGER}]\n");
  ASSERT_EQ(testing::RunStrata({"generate"}, dir.path()).exit_code, 0);
  testing::CommandResult r = testing::RunStrata({"up"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no database named: pass --db FILE, set STRATA_DB, or add `database: FILE` to project.yaml"),
            std::string::npos)
      << r.err;
  dir.Write("schema/project.yaml", "project: p\ntags: [a]\ndatabase: named.db\n");
  ASSERT_EQ(testing::RunStrata({"generate"}, dir.path()).exit_code, 0);  // the files name the database
  EXPECT_EQ(testing::RunStrata({"up"}, dir.path()).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "named.db"));
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// A generated file reads in a review: no line over 200 characters (these
// aim at 100) except lines of SQL the user wrote in the YAML, for both
// dialects and every ChefSocial tag.
TEST(Cli, GeneratedFilesKeepTheirLinesShort) {
  testing::TempDir dir;
  std::filesystem::copy(testing::SourceDir() / "schema", dir / "schema", std::filesystem::copy_options::recursive);
  ASSERT_EQ(RunStrata({"generate"}, dir.path()).exit_code, 0);
  // Compared without whitespace: a folded YAML scalar (`>-`) joins the
  // lines the user wrote.
  const auto squeezed = [](const std::string& text) {
    std::string out;
    for (char c : text)
      if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
  };
  std::string yaml;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "schema"))
    if (entry.is_regular_file()) yaml += squeezed(testing::ReadFile(entry.path()));
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "migrations")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    ++files;
    const std::string text = testing::ReadFile(entry.path());
    size_t number = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      ++number;
      if (line.size() <= 200) continue;
      std::string user_sql = squeezed(line);
      if (user_sql.ends_with(';')) user_sql.pop_back();  // the file ends each statement
      EXPECT_NE(yaml.find(user_sql), std::string::npos)
          << entry.path().filename().string() << ":" << number << " has " << line.size()
          << " characters and is not SQL the schema holds: " << line;
    }
  }
  EXPECT_GE(files, 20) << "up and down files of five tags, for SQLite and PostgreSQL";
}

}  // namespace
}  // namespace strata
