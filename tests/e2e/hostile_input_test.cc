// Hostile input, end to end: each test replays an input of the reliability
// trial (docs in /work/shared/research/reliability-trial.md, D1-D17) against
// the strata binary and real SQLite files with rows, and checks the fixed
// behaviour: the exit code, the message with its position, and that the
// harmful effect is absent (rows still there, nothing written outside the
// project's folders, files byte for byte unchanged, no partial backup).
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "migrate/scenario_harness.h"
#include "json_checker.h"
#include "sqlite/database.h"
#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::Query;
using testing::ReadFile;

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Like testing::RunStrata, but under `timeout`, so that a regression to a
// hang (a NUL in SQL, a FIFO) fails the test instead of blocking the suite.
// The limit is generous: this is no timing assertion. Exit 124 = timed out.
constexpr int kTimedOut = 124;
CommandResult RunStrataWithin(const std::vector<std::string>& args, const fs::path& cwd,
                              const std::string& shell_prefix = "") {
  testing::TempDir capture;
  std::string command = "cd " + ShellQuote(cwd.string()) + " && " + shell_prefix + "timeout -k 5 120 " +
                        ShellQuote(STRATA_BINARY);
  for (const std::string& a : args) command += " " + ShellQuote(a);
  command += " >" + ShellQuote((capture / "out").string()) + " 2>" + ShellQuote((capture / "err").string());
  const int status = std::system(command.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(capture / "out");
  r.err = ReadFile(capture / "err");
  return r;
}

bool IsCleanError(int exit_code) { return exit_code == 1 || exit_code == 2; }

// Every regular file under `root` with its bytes, by relative path.
std::map<std::string, std::string> Snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  std::error_code error;
  if (!fs::exists(root, error)) return files;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end; it.increment(error))
    if (it->is_regular_file(error)) files[fs::relative(it->path(), root).string()] = ReadFile(it->path());
  return files;
}

std::vector<std::string> FileNames(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

// The trial's project (`mk` in its common.sh): tags a and b, tables t and
// keep. Tests append tables or keys to t.yaml.
const char* kTables =
    "tables:\n"                                                 // 1
    "  - name: t\n"                                             // 2
    "    columns:\n"                                            // 3
    "      - {name: id, type: INTEGER, primary_key: true}\n"    // 4
    "      - {name: v, type: TEXT}\n"                           // 5
    "  - name: keep\n"                                          // 6
    "    columns:\n"                                            // 7
    "      - {name: id, type: INTEGER, primary_key: true}\n";   // 8

class HostileInput : public ::testing::Test {
 protected:
  CommandResult Strata(const std::vector<std::string>& args) { return RunStrataWithin(args, dir_.path()); }
  std::string Db() const { return (dir_ / "x.db").string(); }
  void Project(const std::string& tags = "[a, b]") {
    dir_.Write("schema/project.yaml", "project: p\ndialect: sqlite\ntags: " + tags + "\n");
  }
  void Tables(const std::string& extra = "") { dir_.Write("schema/tables/t.yaml", kTables + extra); }
  void Exec(const std::string& db, const std::string& sql) {
    std::string err;
    ASSERT_EQ(testing::RunSqliteShell(db, sql, false, &err), 0) << err;
  }
  // x.db at tag a, made by strata, with two rows in t and three in keep.
  void DatabaseAtTagAWithRows() {
    Project();
    Tables();
    CommandResult generate = Strata({"generate"});
    ASSERT_EQ(generate.exit_code, 0) << generate.err;
    CommandResult up = Strata({"up", "--db", "x.db", "--tag", "a", "--no-backup"});
    ASSERT_EQ(up.exit_code, 0) << up.err;
    Exec(Db(), "INSERT INTO t (id, v) VALUES (1, 'one'), (2, 'two'); INSERT INTO keep VALUES (1), (2), (3);");
  }
  // A writer killed mid-transaction: a forked child inserts enough rows to
  // spill its cache into x.db, runs `more_sql`, then _exits without COMMIT,
  // leaving a hot journal.
  void InterruptAWrite(const std::string& more_sql = "") {
    pid_t pid = fork();
    if (pid == 0) {
      Result<sqlite::Database> db = sqlite::Database::Open(Db(), sqlite::Database::Mode::kReadWrite);
      if (!db.ok()) _exit(3);
      Status s = db->Exec(
          "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 4; BEGIN;"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
          "INSERT INTO t (v) SELECT hex(randomblob(500)) FROM n;" +
          more_sql);
      _exit(s.ok() ? 0 : 4);  // no COMMIT, no close: as if killed
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    ASSERT_GT(fs::file_size(Db() + "-journal"), 0u);
  }
  testing::TempDir dir_;
};

// ---------------------------------------------------------------- D1

// The trial's r1_where.sh: a partial-index predicate that carries a DELETE.
TEST_F(HostileInput, D1_SecondStatementInIndexWhereIsRefusedAndKeepKeepsItsRows) {
  DatabaseAtTagAWithRows();
  const auto migrations_before = Snapshot(dir_ / "migrations");
  Tables(
      "  - name: extra\n"                                                                      // 9
      "    since: b\n"                                                                         // 10
      "    columns: [{name: id, type: INTEGER, primary_key: true}]\n"                          // 11
      "    indexes: [{name: ie, columns: [id], where: \"id > 0; DELETE FROM keep\"}]\n");     // 12
  for (const char* command : {"validate", "generate"}) {
    SCOPED_TRACE(command);
    CommandResult r = Strata({command});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("schema/tables/t.yaml:12:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error: schema at tag \"b\": index \"ie\": holds more than one statement"),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(Snapshot(dir_ / "migrations"), migrations_before) << "a refused generate writes nothing";
  for (const auto& [name, text] : Snapshot(dir_ / "migrations"))
    EXPECT_EQ(text.find("DELETE FROM keep"), std::string::npos) << name;
  // Whatever `up` makes of the folder now, the payload never runs.
  Strata({"up", "--db", "x.db", "--no-backup"});
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM t"), "2");
}

// r2_view_trigger.sh: a view and a trigger whose sql goes on after its CREATE.
TEST_F(HostileInput, D1_SecondStatementInViewOrTriggerSqlIsRefusedWithPosition) {
  struct Case {
    std::string yaml;
    std::string position;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"views:\n"                                                                   // 9
       "  - name: vv\n"                                                             // 10
       "    since: b\n"                                                             // 11
       "    sql: \"CREATE VIEW vv AS SELECT 1 AS one; DELETE FROM t\"\n",           // 12
       "schema/tables/t.yaml:10:", "view \"vv\": holds more than one statement"},
      {"  - name: extra\n"                                                          // 9
       "    since: b\n"                                                             // 10
       "    columns: [{name: id, type: INTEGER, primary_key: true}]\n"              // 11
       "    triggers:\n"                                                            // 12
       "      - name: tr\n"                                                         // 13
       "        sql: \"CREATE TRIGGER tr AFTER INSERT ON extra BEGIN SELECT 1; END; DELETE FROM keep\"\n",
       "schema/tables/t.yaml:13:", "trigger \"tr\": holds more than one statement"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    Project();
    Tables(c.yaml);
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find(c.position), std::string::npos) << command << ": " << r.err;
      EXPECT_NE(r.err.find(c.message), std::string::npos) << command << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ / "migrations")) << "generate wrote migrations";
  }
}

// D16 as fixed with D1: a trigger's sql must create the trigger its YAML
// names, on the table (or view) it is declared under.
TEST_F(HostileInput, D1_TriggerThatCreatesAnotherNameOrTableIsRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CREATE TRIGGER other AFTER INSERT ON keep BEGIN SELECT 1; END",
       "trigger \"tr\": its sql must create the trigger \"tr\" on \"keep\""},
      {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
       "trigger \"tr\": its sql must create the trigger \"tr\" on \"keep\""},
  };
  Project();
  for (const auto& [sql, message] : cases) {
    SCOPED_TRACE(sql);
    Tables("    triggers:\n"                        // 9
           "      - name: tr\n"                     // 10
           "        sql: " + sql + "\n");
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find("schema/tables/t.yaml:10:"), std::string::npos) << command << ": " << r.err;
      EXPECT_NE(r.err.find(message), std::string::npos) << command << ": " << r.err;
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "migrations"));
}

TEST_F(HostileInput, D1_DataFixWithDdlAttachPragmaOrBeginIsRefused) {
  DatabaseAtTagAWithRows();
  const auto migrations_before = Snapshot(dir_ / "migrations");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"DROP TABLE keep", "DROP"},
      {"UPDATE t SET v = 'x'; DROP TABLE keep", "DROP"},
      {"ATTACH DATABASE 'other.db' AS o", "ATTACH"},
      {"PRAGMA foreign_keys = OFF", "PRAGMA"},
      {"BEGIN; DELETE FROM keep; COMMIT", "BEGIN"},
      {"COMMIT; DELETE FROM keep", "COMMIT"},
  };
  for (const auto& [sql, first_word] : cases) {
    SCOPED_TRACE(sql);
    Tables("    data_fixes:\n"                       // 9
           "      - name: f\n"                       // 10
           "        since: b\n"
           "        sql: \"" + sql + "\"\n");
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find("schema/tables/t.yaml:10:"), std::string::npos) << command << ": " << r.err;
      EXPECT_NE(r.err.find("data fix \"f\": the statement at line 1 of its sql starts with \"" + first_word + "\""),
                std::string::npos)
          << command << ": " << r.err;
    }
  }
  EXPECT_EQ(Snapshot(dir_ / "migrations"), migrations_before);
  EXPECT_FALSE(fs::exists(dir_ / "other.db"));
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
}

TEST_F(HostileInput, D1_DeclaredQueryThatIsNotOneSelectIsRefused) {
  Project();
  Tables();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"DELETE FROM keep", "query \"q\": a declared query must be one SELECT"},
      {"SELECT id FROM keep; DELETE FROM keep", "query \"q\": holds more than one statement"},
  };
  for (const auto& [sql, message] : cases) {
    SCOPED_TRACE(sql);
    dir_.Write("schema/queries.yaml",
               "queries:\n"              // 1
               "  - name: q\n"           // 2
               "    since: a\n"
               "    sql: \"" + sql + "\"\n");
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find("schema/queries.yaml:2:"), std::string::npos) << command << ": " << r.err;
      EXPECT_NE(r.err.find(message), std::string::npos) << command << ": " << r.err;
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "migrations"));
}

// ---------------------------------------------------------------- D2, D12

// r4_tagpath.sh and D12: tags that would become paths outside migrations/
// and checks/, an empty tag, a quote (cut by HeaderTag) and a newline (which
// broke strata.sum).
TEST_F(HostileInput, D2_UnsafeTagNamesAreRefusedAndNothingIsWrittenOutside) {
  // The project sits three folders down, so that even a successful escape
  // would land inside the test's own folder, where it is looked for.
  const fs::path root = dir_ / "w" / "x" / "proj";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\"../../outside\"", "tag \"../../outside\" must be 1 to 64"},
      {"\"../../../../outside\"", "tag \"../../../../outside\" must be 1 to 64"},
      {"\"p5/sub\"", "tag \"p5/sub\" must be 1 to 64"},
      {"\"\"", "tag \"\" must be 1 to 64"},
      {"'b\"x'", "tag \"b\\\"x\" must be 1 to 64"},
      {"\"b\\nDELETE FROM t;\"", "tag \"b\\x0aDELETE FROM t;\" must be 1 to 64"},
      {"\".hidden\"", "tag \".hidden\" must be 1 to 64"},
      {"\"" + std::string(65, 'a') + "\"", "tag \"" + std::string(65, 'a') + "\" must be 1 to 64"},
  };
  for (const auto& [tag, message] : cases) {
    SCOPED_TRACE(tag);
    // tags: [a, <tag>]: the second item starts at column 11.
    dir_.Write("w/x/proj/s/project.yaml", "project: p\ndialect: sqlite\ntags: [a, " + tag + "]\n");
    dir_.Write("w/x/proj/s/tables/t.yaml", kTables);
    CommandResult validate = RunStrataWithin({"validate", "--schema", "s"}, root);
    EXPECT_EQ(validate.exit_code, 2) << validate.err;
    EXPECT_NE(validate.err.find("s/project.yaml:3:11: error: " + message), std::string::npos) << validate.err;
    CommandResult generate =
        RunStrataWithin({"generate", "--schema", "s", "--migrations", "m", "--checks", "c"}, root);
    EXPECT_EQ(generate.exit_code, 2) << generate.err;
    EXPECT_NE(generate.err.find("s/project.yaml:3:11: error: " + message), std::string::npos) << generate.err;
    EXPECT_FALSE(fs::exists(root / "m"));
    EXPECT_FALSE(fs::exists(root / "c"));
    // Nothing but the two schema files anywhere under the test's folder.
    std::set<std::string> files;
    for (const auto& [name, text] : Snapshot(dir_.path())) files.insert(name);
    EXPECT_EQ(files, (std::set<std::string>{"w/x/proj/s/project.yaml", "w/x/proj/s/tables/t.yaml"}));
  }
  // The same alphabet is fine when it is safe.
  dir_.Write("w/x/proj/s/project.yaml", "project: p\ndialect: sqlite\ntags: [a, v1.2-rc_3]\n");
  CommandResult ok = RunStrataWithin({"generate", "--schema", "s", "--migrations", "m", "--checks", "c"}, root);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(root / "m" / "0020_v1.2-rc_3.up.sql"));
  EXPECT_TRUE(fs::exists(root / "c" / "v1.2-rc_3.sql"));
}

// ---------------------------------------------------------------- D3

// r3_checksfile.sh: a data check description with a newline and a DELETE;
// the checks file is then run in the sqlite3 shell, as the README suggests.
TEST_F(HostileInput, D3_ChecksFileCommentsAreOneLineSoTheShellRunsNoPayload) {
  Project();
  Tables("    data_checks:\n"
         "      - name: keep_ids_positive\n"
         "        description: \"ids are positive\\nDELETE FROM t;\\rDELETE FROM keep;\"\n"
         "        sql: SELECT id FROM keep WHERE id <= 0\n");
  CommandResult generate = Strata({"generate"});
  ASSERT_EQ(generate.exit_code, 0) << generate.err;
  CommandResult up = Strata({"up", "--db", "x.db", "--no-backup"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  Exec(Db(), "INSERT INTO t (id, v) VALUES (1, 'one'), (2, 'two'); INSERT INTO keep VALUES (1), (2), (3);");

  std::vector<fs::path> checks_files;
  for (const auto& e : fs::directory_iterator(dir_ / "checks")) checks_files.push_back(e.path());
  ASSERT_FALSE(checks_files.empty());
  for (const fs::path& file : checks_files) {
    SCOPED_TRACE(file.string());
    const std::string text = ReadFile(file);
    // Every line that is not a comment is part of a SELECT.
    size_t start = 0;
    std::string statement;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      EXPECT_EQ(line.find('\r'), std::string::npos) << line;
      if (!line.empty() && !line.starts_with("--")) statement += line + "\n";
      start = end + 1;
    }
    EXPECT_EQ(statement.find("DELETE"), std::string::npos) << statement;
    if (text.find("keep_ids_positive") != std::string::npos) {
      EXPECT_NE(text.find("-- keep_ids_positive: ids are positive DELETE FROM t; DELETE FROM keep;\n"),
                std::string::npos)
          << text;
    }
    std::string err;
    EXPECT_EQ(testing::RunSqliteShell(Db(), text, false, &err), 0) << err;
  }
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM t"), "2");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
}

// ---------------------------------------------------------------- D4

// A NUL byte in the YAML file itself.
TEST_F(HostileInput, D4_NulByteInYamlIsRefusedWithItsPosition) {
  Project();
  Tables("  - name: n\n"                                                  // 9
         "    columns: [{name: id, type: INT" + std::string(1, '\0') + "EGER}]\n");  // 10, NUL at column 35
  for (const char* command : {"validate", "generate"}) {
    CommandResult r = Strata({command});
    EXPECT_NE(r.exit_code, kTimedOut) << command << " hung";
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("schema/tables/t.yaml:10:35: error: a NUL byte in the file"), std::string::npos)
        << command << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "migrations"));
}

// r5_nul.sh: "\0" escapes put a NUL into SQL text, which made Database::Exec
// loop forever (validate and generate on a `where` or a view, up on a fix).
TEST_F(HostileInput, D4_NulInSqlTextIsRefusedAndNeverHangs) {
  struct Case {
    std::string yaml;
    std::string position;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"  - name: n\n"                                                         // 9
       "    since: b\n"
       "    columns: [{name: id, type: INTEGER, primary_key: true}]\n"
       "    indexes: [{name: i, columns: [id], where: \"id > 0\\0\"}]\n",     // 12
       "schema/tables/t.yaml:12:", "index \"i\": SQL text holds a NUL byte"},
      {"views:\n"
       "  - name: v\n"                                                         // 10
       "    since: b\n"
       "    sql: \"CREATE VIEW v AS SELECT 1\\0\"\n",
       "schema/tables/t.yaml:10:", "view \"v\": SQL text holds a NUL byte"},
      {"    data_fixes:\n"
       "      - name: f\n"                                                     // 10
       "        since: b\n"
       "        sql: \"UPDATE t SET v = 'x';\\0\"\n",
       "schema/tables/t.yaml:10:", "data fix \"f\": SQL text holds a NUL byte"},
  };
  Project();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    Tables(c.yaml);
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_NE(r.exit_code, kTimedOut) << command << " hung";
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find(c.position), std::string::npos) << command << ": " << r.err;
      EXPECT_NE(r.err.find(c.message), std::string::npos) << command << ": " << r.err;
    }
  }
}

// The runner side: a hand-written migration file with a NUL in it. `up`
// must stop (not spin holding the write lock) and change nothing.
TEST_F(HostileInput, D4_NulInAMigrationFileStopsUpWithoutChangingTheDatabase) {
  DatabaseAtTagAWithRows();
  dir_.Write("migrations/0015_nul.up.sql", "UPDATE t SET v = 'x';" + std::string(1, '\0') + "\nDELETE FROM keep;\n");
  CommandResult generate = Strata({"generate"});
  ASSERT_EQ(generate.exit_code, 0) << generate.err;
  const std::string before = testing::Dump(Db());
  CommandResult r = Strata({"up", "--db", "x.db", "--no-backup"});
  EXPECT_NE(r.exit_code, kTimedOut) << "up hung";
  EXPECT_TRUE(IsCleanError(r.exit_code)) << r.exit_code << ": " << r.err;
  EXPECT_NE(r.err.find("0015_nul.up.sql"), std::string::npos) << r.err;
  EXPECT_EQ(testing::Dump(Db()), before);
  EXPECT_EQ(Query(Db(), "SELECT group_concat(v) FROM t"), "one,two");
  EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
}

// ---------------------------------------------------------------- D5

// r6_crash.sh: each of these aborted with an uncaught filesystem_error
// (exit 134). Now: exit 1 or 2 with a message, and nothing harmed.
TEST_F(HostileInput, D5_FilesystemErrorsGiveAMessageNotAnAbort) {
  DatabaseAtTagAWithRows();
  const std::string before = testing::Dump(Db());

  {
    SCOPED_TRACE("backups is a regular file");
    dir_.Write("backups", "not a directory\n");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"backup", "--db", "x.db"}, std::vector<std::string>{"up", "--db", "x.db"},
          std::vector<std::string>{"down", "--db", "x.db", "--allow-destructive"}}) {
      CommandResult r = Strata(args);
      EXPECT_TRUE(IsCleanError(r.exit_code)) << args[0] << ": exit " << r.exit_code << ": " << r.err;
      EXPECT_NE(r.err.find("cannot create the backups folder"), std::string::npos) << args[0] << ": " << r.err;
      EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    }
    EXPECT_EQ(ReadFile(dir_ / "backups"), "not a directory\n");
    EXPECT_EQ(testing::Dump(Db()), before) << "no run went ahead without its backup";
    fs::remove(dir_ / "backups");
  }
  {
    SCOPED_TRACE("--db path too long");
    const std::string long_name(5000, 'a');
    for (const char* command : {"backup", "status", "up", "inspect"}) {
      CommandResult r = Strata({command, "--db", long_name});
      EXPECT_TRUE(IsCleanError(r.exit_code)) << command << ": exit " << r.exit_code << ": " << r.err;
      EXPECT_FALSE(r.err.empty()) << command;
      EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    }
  }
  {
    SCOPED_TRACE("symlink loop as --db");
    fs::create_symlink("l.db", dir_ / "l.db");
    for (const char* command : {"status", "up", "backup"}) {
      CommandResult r = Strata({command, "--db", "l.db"});
      EXPECT_TRUE(IsCleanError(r.exit_code)) << command << ": exit " << r.exit_code << ": " << r.err;
      EXPECT_FALSE(r.err.empty()) << command;
      EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(fs::is_symlink(dir_ / "l.db"));
  }
  {
    SCOPED_TRACE("symlink loop in the migrations folder");
    fs::create_symlink("x.sql", dir_ / "migrations" / "x.sql");
    CommandResult r = Strata({"status", "--db", "x.db"});
    EXPECT_TRUE(IsCleanError(r.exit_code)) << "exit " << r.exit_code << ": " << r.err;
    EXPECT_FALSE(r.err.empty() && r.out.empty());
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    fs::remove(dir_ / "migrations" / "x.sql");
  }
  {
    SCOPED_TRACE("symlink loop in the schema folder");
    fs::create_symlink("loop.yaml", dir_ / "schema" / "tables" / "loop.yaml");
    CommandResult r = Strata({"validate"});
    EXPECT_TRUE(IsCleanError(r.exit_code)) << "exit " << r.exit_code << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    fs::remove(dir_ / "schema" / "tables" / "loop.yaml");
  }
  EXPECT_EQ(testing::Dump(Db()), before);
}

// ---------------------------------------------------------------- D6, D7, D8

class HostileInputBackups : public HostileInput {
 protected:
  // app.db and app-archive.db, real databases with rows (about 1 MB each).
  void SetUp() override {
    for (const char* name : {"app.db", "app-archive.db"})
      Exec((dir_ / name).string(),
           "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);"
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
           "INSERT INTO t (v) SELECT randomblob(1000) FROM n;");
  }
  std::vector<std::string> BackupsOf(const std::string& stem) {
    static const std::regex pattern(R"(-\d{8}T\d{9}Z-\d+\.db)");
    std::vector<std::string> names;
    for (const std::string& name : FileNames(dir_ / "backups"))
      if (name.starts_with(stem) && std::regex_match(name.substr(stem.size()), pattern)) names.push_back(name);
    return names;
  }
  void Backup(const std::string& db, int keep) {
    CommandResult r = Strata({"backup", "--db", db, "--keep-backups", std::to_string(keep)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

// r7_backups.sh (b): a backup that fails (EFBIG under `ulimit -f`, as with a
// full disk) leaves no partial file, and prunes none of the good backups.
TEST_F(HostileInputBackups, D6_FailedBackupLeavesNoPartialAndPrunesNothing) {
  for (int i = 0; i < 3; ++i) Backup("app.db", 10);
  ASSERT_EQ(BackupsOf("app").size(), 3u);
  const auto before = Snapshot(dir_ / "backups");
  // SIGXFSZ ignored, so the write fails with EFBIG; 200 blocks is far below
  // the 1 MB database whatever the shell's block size.
  CommandResult r = RunStrataWithin({"backup", "--db", "app.db", "--keep-backups", "1"}, dir_.path(),
                                    "trap '' XFSZ; ulimit -f 200; ");
  EXPECT_TRUE(IsCleanError(r.exit_code)) << "exit " << r.exit_code << ": " << r.err;
  EXPECT_FALSE(r.err.empty());
  EXPECT_EQ(Snapshot(dir_ / "backups"), before) << "no partial copy, no journal, no good backup deleted";
  for (const std::string& name : FileNames(dir_ / "backups")) {
    EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
    EXPECT_EQ(name.find("-journal"), std::string::npos) << name;
  }
  // A source that is not a database fails the copy too; same outcome.
  const std::string original = ReadFile(dir_ / "app.db");
  dir_.Write("app.db", std::string(8192, 'x'));
  CommandResult garbage = Strata({"backup", "--db", "app.db", "--keep-backups", "1"});
  EXPECT_TRUE(IsCleanError(garbage.exit_code)) << "exit " << garbage.exit_code << ": " << garbage.err;
  EXPECT_EQ(Snapshot(dir_ / "backups"), before);
  dir_.Write("app.db", original);
  // And once a backup succeeds, pruning to 1 happens, of app's own files.
  Backup("app.db", 1);
  EXPECT_EQ(BackupsOf("app").size(), 1u);
  EXPECT_EQ(FileNames(dir_ / "backups"), BackupsOf("app"));
}

// A refused or failed `up`/`down` makes its backup but prunes nothing.
TEST_F(HostileInputBackups, D6_RefusedOrFailedRunDeletesNoBackup) {
  DatabaseAtTagAWithRows();
  for (int i = 0; i < 3; ++i) Backup("x.db", 10);
  const std::vector<std::string> old = BackupsOf("x");
  ASSERT_EQ(old.size(), 3u);
  dir_.Write("migrations/0015_bad.up.sql", "UPDATE t SET v = 'changed';\nINSERT INTO no_such_table VALUES (1);\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  const std::string before = testing::Dump(Db());
  CommandResult failed = Strata({"up", "--db", "x.db", "--keep-backups", "1"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("0015_bad.up.sql:2"), std::string::npos) << failed.err;
  EXPECT_EQ(testing::Dump(Db()), before);
  const std::vector<std::string> after = BackupsOf("x");
  for (const std::string& name : old)
    EXPECT_NE(std::find(after.begin(), after.end(), name), after.end()) << name << " was pruned by a failed run";
  for (const std::string& name : FileNames(dir_ / "backups")) EXPECT_EQ(name.find(".partial"), std::string::npos);
}

// r7_backups.sh (a): backing up app.db must not prune app-archive.db's
// backups (the old match was "<stem>-*"), nor files it did not name.
TEST_F(HostileInputBackups, D7_PruningTouchesOnlyThisDatabasesBackups) {
  for (int i = 0; i < 5; ++i) Backup("app-archive.db", 10);
  const std::vector<std::string> archive = BackupsOf("app-archive");
  ASSERT_EQ(archive.size(), 5u);
  dir_.Write("backups/app-notes.txt", "mine\n");
  dir_.Write("backups/app-20260101T000000000Z.db", "an old-style name, not strata's to delete\n");
  dir_.Write("backups/app-20260101T000000000Z-1.db.partial", "not a finished backup\n");
  for (int i = 0; i < 3; ++i) Backup("app.db", 1);
  EXPECT_EQ(BackupsOf("app-archive"), archive) << "another database's backups were pruned";
  EXPECT_EQ(BackupsOf("app").size(), 1u);
  EXPECT_TRUE(fs::exists(dir_ / "backups" / "app-notes.txt"));
  EXPECT_TRUE(fs::exists(dir_ / "backups" / "app-20260101T000000000Z.db"));
  EXPECT_TRUE(fs::exists(dir_ / "backups" / "app-20260101T000000000Z-1.db.partial"));
  // The archive's own rotation keeps its newest.
  Backup("app-archive.db", 2);
  const std::vector<std::string> kept = BackupsOf("app-archive");
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], archive[4]);
  EXPECT_EQ(BackupsOf("app").size(), 1u);
}

// D8: concurrent backups of one database, same moment: every process gets
// its own file (the name carries the pid), none fails with a disk I/O error.
TEST_F(HostileInputBackups, D8_ConcurrentBackupsEachGetTheirOwnFile) {
  std::vector<pid_t> children;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      CommandResult r = testing::RunStrata({"backup", "--db", "app.db", "--keep-backups", "100"}, dir_.path());
      _exit(r.exit_code);
    }
    children.push_back(pid);
  }
  int succeeded = 0;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    succeeded += WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  EXPECT_EQ(succeeded, 8);
  const std::vector<std::string> backups = BackupsOf("app");
  EXPECT_EQ(backups.size(), 8u);
  EXPECT_EQ(FileNames(dir_ / "backups"), backups) << "no partial or journal left";
  for (const std::string& name : backups)
    EXPECT_EQ(Query((dir_ / "backups" / name).string(), "SELECT count(*) FROM t"), "1000") << name;
}

// ---------------------------------------------------------------- D9

// r9_handwritten.sh: hand-written files that manage their own transaction.
TEST_F(HostileInput, D9_HandWrittenMigrationWithTransactionControlIsRefusedBeforeAnythingRuns) {
  struct Case {
    std::string sql;
    int line;
  };
  const std::vector<Case> cases = {
      {"BEGIN IMMEDIATE;\nUPDATE t SET v = v || '+';\nCOMMIT;\n", 1},
      {"BEGIN IMMEDIATE;\nUPDATE t SET v = 'hundred';\n", 1},
      {"UPDATE t SET v = 'five hundred';\nCOMMIT;\nINSERT INTO nosuch VALUES (1);\n", 2},
      {"DELETE FROM keep;\nEND;\n", 2},
      // A comment before the statement does not hide it.
      {"UPDATE t SET v = 'hidden';\n/* done */ COMMIT;\nINSERT INTO nosuch VALUES (1);\n", 2},
      {"UPDATE t SET v = 'hidden';\n/* a\n  b */ /* c */ rollback transaction;\n", 2},
  };
  DatabaseAtTagAWithRows();
  const std::string before = testing::Dump(Db());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    dir_.Write("migrations/0015_managed.up.sql", c.sql);
    dir_.Write("migrations/0015_managed.down.sql", "SELECT 1;\n");
    ASSERT_EQ(Strata({"generate"}).exit_code, 0);
    // Run three times: the old behaviour applied the file on every run.
    for (int run = 0; run < 3; ++run) {
      CommandResult r = Strata({"up", "--db", "x.db", "--no-backup"});
      EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
      EXPECT_NE(r.err.find("0015_managed.up.sql:" + std::to_string(c.line) +
                           ": a hand-written migration must not manage its own transaction"),
                std::string::npos)
          << r.err;
      EXPECT_EQ(r.err.find("applied:"), std::string::npos) << r.err;
      EXPECT_EQ(testing::Dump(Db()), before);
    }
    EXPECT_EQ(Query(Db(), "SELECT group_concat(v) FROM t"), "one,two");
    EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
    EXPECT_EQ(Query(Db(), "SELECT group_concat(version) FROM strata_migrations"), "10");
  }
  // --single-transaction refuses it as well.
  CommandResult single = Strata({"up", "--db", "x.db", "--no-backup", "--single-transaction"});
  EXPECT_EQ(single.exit_code, 2) << single.err;
  EXPECT_EQ(testing::Dump(Db()), before);
}

// A refused file later in the queue stops the run before the earlier
// pending ones are applied: every file is checked before any runs.
// A hand-written file that leaves orphans (a deferred foreign key lets the
// INSERT through): refused with the rows named, one file at a time and in
// one transaction for all files, where foreign keys are off and the check
// runs once at the end.
TEST_F(HostileInput, D9_HandWrittenFileThatLeavesOrphansIsRolledBack) {
  DatabaseAtTagAWithRows();
  dir_.Write("migrations/0015_orphans.up.sql",
             "CREATE TABLE child (id INTEGER PRIMARY KEY, keep_id INTEGER REFERENCES keep (id) DEFERRABLE INITIALLY "
             "DEFERRED);\n"
             "INSERT INTO child VALUES (1, 99);\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  const std::string before = testing::Dump(Db());
  CommandResult one = Strata({"up", "--db", "x.db", "--no-backup"});
  EXPECT_EQ(one.exit_code, 1) << one.err;
  EXPECT_NE(one.err.find("0015_orphans.up.sql: leaves a foreign key violation: child rowid 1"), std::string::npos)
      << one.err;
  EXPECT_EQ(testing::Dump(Db()), before);
  CommandResult all = Strata({"up", "--db", "x.db", "--no-backup", "--single-transaction"});
  EXPECT_EQ(all.exit_code, 1) << all.err;
  EXPECT_NE(all.err.find("the migrations leave a foreign key violation: child rowid 1"), std::string::npos) << all.err;
  EXPECT_EQ(testing::Dump(Db()), before);
}

TEST_F(HostileInput, D9_RefusedLaterFileAppliesNothingEarlier) {
  DatabaseAtTagAWithRows();
  dir_.Write("migrations/0025_late.up.sql", "UPDATE t SET v = 'late';\nCOMMIT;\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  const std::string before = testing::Dump(Db());
  CommandResult r = Strata({"up", "--db", "x.db", "--no-backup"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("0025_late.up.sql:2: a hand-written migration must not manage its own transaction"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("applied:"), std::string::npos) << r.err;
  EXPECT_EQ(testing::Dump(Db()), before);
}

// ---------------------------------------------------------------- D11

TEST_F(HostileInput, D11_UpWithAMissingMigrationsFolderExitsTwoAndCreatesNoDatabase) {
  Project();
  Tables();
  CommandResult r = Strata({"up", "--migrations", "does/not/exist", "--db", "new.db"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("migrations folder \"does/not/exist\" not found"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "new.db"));
  EXPECT_FALSE(fs::exists(dir_ / "does"));
  // An existing database is not touched either.
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  ASSERT_EQ(Strata({"up", "--db", "x.db", "--tag", "a", "--no-backup"}).exit_code, 0);
  const std::string bytes = ReadFile(Db());
  CommandResult existing = Strata({"up", "--migrations", "nope", "--db", "x.db"});
  EXPECT_EQ(existing.exit_code, 2) << existing.err;
  EXPECT_EQ(ReadFile(Db()), bytes);
  EXPECT_FALSE(fs::exists(dir_ / "backups"));
}

// ---------------------------------------------------------------- D13

TEST_F(HostileInput, D13_NanInfinityAndHugeIntegersAreRefusedAtValidate) {
  struct Case {
    std::string column;
    std::string message;
  };
  // "      - {name: r, type: REAL, default: " is 39 characters: the value is at column 40.
  const std::vector<Case> cases = {
      {"{name: r, type: REAL, default: nan}", "\"nan\" is not a number SQL can store"},
      {"{name: r, type: REAL, default: inf}", "\"inf\" is not a number SQL can store"},
      {"{name: r, type: REAL, default: -inf}", "\"-inf\" is not a number SQL can store"},
      {"{name: r, type: REAL, default: NaN}", "\"NaN\" is not a number SQL can store"},
      {"{name: r, type: REAL, default: 1e999}", "\"1e999\" is not a number SQL can store"},
      {"{name: r, type: INTEGER, default: 99999999999999999999}",
       "99999999999999999999 is outside the 64-bit integer range"},
      {"{name: r, type: INTEGER, default: -9223372036854775809}",
       "-9223372036854775809 is outside the 64-bit integer range"},
  };
  Project();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.column);
    const size_t value_column = 9 + c.column.find("default: ") + 9;
    Tables("  - name: n\n"                                                   // 9
           "    columns:\n"                                                  // 10
           "      - {name: id, type: INTEGER, primary_key: true}\n"          // 11
           "      - " + c.column + "\n");                                     // 12
    for (const char* command : {"validate", "generate"}) {
      CommandResult r = Strata({command});
      EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
      EXPECT_NE(r.err.find("schema/tables/t.yaml:12:" + std::to_string(value_column) + ": error: " + c.message),
                std::string::npos)
          << command << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ / "migrations"));
  }
  // In a reference row too.
  Tables("  - name: n\n"
         "    columns:\n"
         "      - {name: id, type: INTEGER, primary_key: true}\n"
         "      - {name: r, type: REAL}\n"
         "    rows:\n"
         "      values:\n"
         "        - {id: 1, r: inf}\n");                                     // 15
  CommandResult row = Strata({"validate"});
  EXPECT_EQ(row.exit_code, 2) << row.err;
  EXPECT_NE(row.err.find("schema/tables/t.yaml:15:"), std::string::npos) << row.err;
  EXPECT_NE(row.err.find("\"inf\" is not a number SQL can store"), std::string::npos) << row.err;

  // Quoted, they are text, and end to end they stay text.
  Tables("  - name: n\n"
         "    columns:\n"
         "      - {name: id, type: INTEGER, primary_key: true}\n"
         "      - {name: r, type: TEXT, default: \"nan\"}\n"
         "      - {name: s, type: TEXT, default: \"-inf\"}\n");
  ASSERT_EQ(Strata({"validate"}).exit_code, 0);
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  CommandResult up = Strata({"up", "--db", "x.db", "--no-backup"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  Exec(Db(), "INSERT INTO n (id) VALUES (1);");
  EXPECT_EQ(Query(Db(), "SELECT r, typeof(r), s, typeof(s) FROM n"), "nan|text|-inf|text");
  CommandResult drift = Strata({"drift", "--db", "x.db"});
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
}

// ---------------------------------------------------------------- D14

// An orphan whose key is invalid UTF-8 (bytes 67 68 6F FF 73 74, as in the
// trial) and one with a control character.
TEST_F(HostileInput, D14_JsonAndJunitOutputStayValidWithInvalidUtf8AndControlCharacters) {
  Project("[a]");
  Tables("  - name: parent\n"
         "    columns: [{name: id, type: TEXT, primary_key: true}]\n"
         "  - name: child\n"
         "    columns:\n"
         "      - {name: id, type: INTEGER, primary_key: true}\n"
         "      - {name: pid, type: TEXT}\n"
         "    foreign_keys:\n"
         "      - columns: [pid]\n"
         "        references: {table: parent, columns: [id]}\n"
         "    data_checks:\n"
         "      - name: odd_pids\n"
         "        description: pids with odd bytes\n"
         "        sql: SELECT pid FROM child WHERE pid GLOB '*[^a-z]*'\n");
  ASSERT_EQ(Strata({"generate"}).exit_code, 0);
  CommandResult up = Strata({"up", "--db", "x.db", "--no-backup"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  Exec(Db(),
       "INSERT INTO parent VALUES ('ok');"
       "INSERT INTO child VALUES (1, 'ok'), (2, CAST(X'67686FFF7374' AS TEXT)), (3, 'a' || char(1) || 'b'),"
       " (4, 'q\"<&>\\' || char(10) || 'x');");
  ASSERT_EQ(Query(Db(), "SELECT hex(pid) FROM child WHERE id = 2"), "67686FFF7374");

  CommandResult json = Strata({"check", "--db", "x.db", "--format", "json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  EXPECT_TRUE(IsValidUtf8(json.out)) << json.out;
  EXPECT_TRUE(testing::JsonChecker(json.out).Valid()) << json.out;
  EXPECT_NE(json.out.find("gho\xEF\xBF\xBDst"), std::string::npos) << "invalid byte shown as U+FFFD: " << json.out;
  EXPECT_NE(json.out.find("a\\u0001b"), std::string::npos) << json.out;

  CommandResult junit = Strata({"check", "--db", "x.db", "--format", "junit"});
  EXPECT_EQ(junit.exit_code, 1) << junit.err;
  EXPECT_TRUE(IsValidUtf8(junit.out)) << junit.out;
  for (unsigned char c : junit.out)
    EXPECT_FALSE(c < 0x20 && c != '\t' && c != '\n' && c != '\r') << "control character " << int(c) << " in XML";
  EXPECT_NE(junit.out.find("gho\xEF\xBF\xBDst"), std::string::npos) << junit.out;
  EXPECT_NE(junit.out.find("<testsuite"), std::string::npos) << junit.out;
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    testing::TempDir scratch;
    const fs::path xml = scratch.Write("out.xml", junit.out);
    EXPECT_EQ(std::system(("xmllint --noout " + ShellQuote(xml.string()) + " 2>/dev/null").c_str()), 0)
        << junit.out;
  }
}

// ---------------------------------------------------------------- D17

TEST_F(HostileInput, D17_MultiDocumentYamlIsRefusedWithPosition) {
  Project();
  Tables("---\n"                                                      // 9
         "tables:\n"                                                  // 10
         "  - name: hidden\n"
         "    columns: [{name: id, type: INTEGER}]\n");
  for (const char* command : {"validate", "generate"}) {
    CommandResult r = Strata({command});
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("schema/tables/t.yaml:10:1: error: a second YAML document; a schema file holds one"),
              std::string::npos)
        << command << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "migrations"));
}

// project.yaml as a FIFO used to block `validate` forever on the read.
TEST_F(HostileInput, D17_ProjectYamlThatIsAFifoIsRefusedWithoutHanging) {
  Tables();
  ASSERT_EQ(mkfifo((dir_ / "schema" / "project.yaml").c_str(), 0644), 0);
  for (const char* command : {"validate", "generate"}) {
    CommandResult r = Strata({command});
    EXPECT_NE(r.exit_code, kTimedOut) << command << " blocked on the FIFO";
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("project.yaml is not a regular file"), std::string::npos) << command << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "migrations"));
}

// A FIFO among the table files must not block either (the folder scan takes
// regular files only, so it is passed over).
TEST_F(HostileInput, D17_TableFileThatIsAFifoDoesNotHang) {
  Project();
  Tables();
  ASSERT_EQ(mkfifo((dir_ / "schema" / "tables" / "pipe.yaml").c_str(), 0644), 0);
  for (const char* command : {"validate", "generate"}) {
    CommandResult r = Strata({command});
    EXPECT_NE(r.exit_code, kTimedOut) << command << " blocked on the FIFO";
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << command << ": exit " << r.exit_code << ": " << r.err;
  }
}

// A writer killed mid-transaction leaves a hot journal (here: a forked child
// inserts enough rows to spill its cache into the file, then _exits without
// COMMIT). Read-only commands roll it back instead of failing with "attempt
// to write a readonly database", and see the committed rows only.
TEST_F(HostileInput, D17_HotJournalIsRolledBackByReadOnlyCommands) {
  DatabaseAtTagAWithRows();
  const std::string committed = testing::Dump(Db());
  ASSERT_NO_FATAL_FAILURE(InterruptAWrite("DELETE FROM keep;"));
  const fs::path journal = Db() + "-journal";
  ASSERT_GT(fs::file_size(Db()), 3 * 4096u) << "the transaction's pages reached the file";
  const fs::path hot = dir_ / "hot";
  fs::create_directories(hot);
  fs::copy_file(Db(), hot / "x.db");
  fs::copy_file(journal, hot / "x.db-journal");
  const auto restore_hot = [&] {
    fs::copy_file(hot / "x.db", Db(), fs::copy_options::overwrite_existing);
    fs::copy_file(hot / "x.db-journal", journal, fs::copy_options::overwrite_existing);
  };

  const std::vector<std::vector<std::string>> commands = {
      {"inspect", "--db", "x.db"},
      {"diff", "--from", "x.db", "--to", "schema"},
      {"backup", "--db", "x.db"},
  };
  for (const std::vector<std::string>& args : commands) {
    SCOPED_TRACE(args[0]);
    restore_hot();
    CommandResult r = Strata(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err.find("readonly"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(journal) && fs::file_size(journal) > 0) << "journal still hot";
    EXPECT_EQ(Query(Db(), "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(Query(Db(), "SELECT count(*) FROM t"), "2");
    EXPECT_EQ(Query(Db(), "SELECT count(*) FROM keep"), "3");
    EXPECT_EQ(testing::Dump(Db()), committed);
    if (args[0] == "inspect") {
      EXPECT_NE(r.out.find("name: keep"), std::string::npos) << r.out;
    }
    if (args[0] == "backup") {
      const std::string backup = testing::Trimmed(r.out);
      ASSERT_TRUE(fs::exists(dir_ / backup)) << r.out;
      EXPECT_EQ(Query((dir_ / backup).string(), "SELECT count(*) FROM t"), "2");
      EXPECT_EQ(testing::Dump((dir_ / backup).string()), committed);
    }
  }
}

// verify promises to leave the snapshot as it was: with a hot journal it
// refuses instead of rolling the journal back, and both files stay byte
// for byte.
TEST_F(HostileInput, D17_VerifyRefusesASnapshotWithAHotJournal) {
  DatabaseAtTagAWithRows();
  ASSERT_NO_FATAL_FAILURE(InterruptAWrite());
  const std::string journal = Db() + "-journal";
  const std::string db_before = testing::ReadFile(Db()), journal_before = testing::ReadFile(journal);
  CommandResult r = Strata({"verify", "--db", "x.db"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("x.db: a write to it was interrupted (x.db-journal is hot)"), std::string::npos) << r.err;
  EXPECT_EQ(testing::ReadFile(Db()), db_before);
  EXPECT_EQ(testing::ReadFile(journal), journal_before);
}

// The commit also promises a notice when a read-only open rolled a journal
// back ("rolled back the changes of a write that was interrupted").
TEST_F(HostileInput, D17_RollingBackAHotJournalIsReported) {
  DatabaseAtTagAWithRows();
  ASSERT_NO_FATAL_FAILURE(InterruptAWrite());
  CommandResult r = Strata({"inspect", "--db", "x.db"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("x.db: rolled back the changes of a write that was interrupted"), std::string::npos)
      << "stderr: " << r.err;
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// D10: nested aliases (a "billion laughs" under `tables`) used to make
// validate run past 60 s; the expansion is counted before the tree is read.
TEST(HostileInputYaml, D10_AliasAmplificationIsRefusedWithItsPosition) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
  std::string bomb = "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int level = 1; level <= 8; ++level) {
    bomb += "x" + std::to_string(level) + ": &x" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ", *x" : "*x") + std::to_string(level - 1);
    bomb += "]\n";
  }
  dir.Write("schema/t.yaml", bomb + "tables: *x8\n");
  testing::CommandResult r = testing::RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("schema/t.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("aliases expand the file beyond 1000000 nodes"), std::string::npos) << r.err;
}

// Aliases within the budget keep working: a shared column definition.
TEST(HostileInputYaml, D10_OrdinaryAliasesStillLoad) {
  testing::TempDir dir;
  dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
  dir.Write("schema/t.yaml",
            "tables:\n"
            "  - name: t\n    columns:\n      - &id {name: id, type: INTEGER, primary_key: true}\n"
            "  - name: u\n    columns:\n      - *id\n");
  testing::CommandResult r = testing::RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// D16: a table named like strata's history table, or SQLite's reserved
// sqlite_ prefix, is refused at validate with the table's position.
TEST(HostileInputYaml, D16_ReservedTableNamesAreRefusedWithPosition) {
  for (const char* name : {"strata_migrations", "sqlite_things"}) {
    testing::TempDir dir;
    dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
    dir.Write("schema/t.yaml", std::string("tables:\n  - name: ") + name + "\n    columns: [{name: id, type: INTEGER}]\n");
    testing::CommandResult r = testing::RunStrata({"validate"}, dir.path());
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find("schema/t.yaml:2:11: error: schema at tag \"a\": table \"" + std::string(name) + "\""),
              std::string::npos)
        << r.err;
  }
}

// D17: a corrupt page in a user table used to pass `strata check` until a
// query touched it; the file's structure is now the first check.
TEST(HostileInputYaml, D17_CorruptTablePageFailsCheck) {
  testing::TempDir dir;
  std::filesystem::copy(testing::SourceDir() / "schema", dir / "schema", std::filesystem::copy_options::recursive);
  std::filesystem::copy(testing::SourceDir() / "migrations", dir / "migrations", std::filesystem::copy_options::recursive);
  ASSERT_EQ(testing::RunStrata({"up", "--no-backup"}, dir.path()).exit_code, 0);
  const std::string db = (dir / "chefsocial.db").string();
  EXPECT_EQ(testing::RunStrata({"check"}, dir.path()).exit_code, 0);
  const int root = std::stoi(testing::Query(db, "SELECT rootpage FROM sqlite_schema WHERE name = 'users'"));
  const int page_size = std::stoi(testing::Query(db, "PRAGMA page_size"));
  {
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(root - 1) * page_size + 3);  // the page's cell count
    file.write("\x7f\x7f", 2);
  }
  testing::CommandResult r = testing::RunStrata({"check"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("file_structure"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("malformed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strata
