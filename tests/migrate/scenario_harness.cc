#include "migrate/scenario_harness.h"

#include <sys/wait.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "diff/differ.h"
#include "migrate/generator.h"
#include "schema_compare.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/load_helper.h"

namespace strata::testing {

int RunSqliteShell(const std::string& db, const std::string& sql, bool foreign_keys_on, std::string* err) {
  TempDir dir;
  auto script = dir.Write("script.sql", sql);
  std::string command = "sqlite3 -bail -cmd 'PRAGMA foreign_keys=" + std::string(foreign_keys_on ? "ON" : "OFF") +
                        "' '" + db + "' < '" + script.string() + "' >/dev/null 2>'" + (dir / "err").string() + "'";
  int status = std::system(command.c_str());
  if (err) *err = ReadFile(dir / "err");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Dump(const std::string& db) {
  TempDir dir;
  std::string command = "sqlite3 '" + db + "' .dump > '" + (dir / "dump").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
  return ReadFile(dir / "dump");
}

std::string Query(const std::string& db, const std::string& query) {
  Result<sqlite::Database> conn = sqlite::Database::Open(db, sqlite::Database::Mode::kReadOnly);
  if (!conn.ok()) return "error: " + conn.status().message();
  Result<sqlite::Statement> stmt = conn->Prepare(query);
  if (!stmt.ok()) return "error: " + stmt.status().message();
  std::string out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return "error: " + row.status().message();
    if (!*row) break;
    if (!out.empty()) out += "\n";
    for (int i = 0; i < stmt->column_count(); ++i)
      out += (i ? "|" : "") + (stmt->IsNull(i) ? std::string("NULL") : stmt->Text(i));
  }
  return out;
}

namespace {

void ExpectSchema(const std::string& db, const Schema& expected, const std::string& when) {
  SCOPED_TRACE(when);
  Result<sqlite::Database> conn = sqlite::Database::Open(db, sqlite::Database::Mode::kReadOnly);
  ASSERT_TRUE(conn.ok());
  Result<Schema> actual = sqlite::InspectSchema(*conn, {"strata_migrations"});
  ASSERT_TRUE(actual.ok()) << actual.status().message();
  EXPECT_EQ(AsPragmasSeeIt(*actual), AsPragmasSeeIt(expected));
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(db, "PRAGMA foreign_key_check"), "");
  // The migration is idempotent: diffing the result with its target finds nothing.
  EXPECT_TRUE(Diff(AsPragmasSeeIt(*actual), AsPragmasSeeIt(expected), {}, {.compare_rows = false}).empty());
}

}  // namespace

void RunScenario(const Scenario& s) {
  SCOPED_TRACE("scenario: " + s.name);
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", s.tables_yaml}},
                                 "project: scenario\ntags: [before, after]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
  GenerateResult generated = GenerateMigrations(*loaded.schema, *dialect, {});
  const std::string& up0 = generated.files.at("0010_before.up.sql");
  const std::string& up1 = generated.files.at("0020_after.up.sql");
  const std::string& down1 = generated.files.at("0020_after.down.sql");

  TempDir dir;
  const std::string db = (dir / "scenario.db").string();
  std::string err;
  ASSERT_EQ(RunSqliteShell(db, up0, true, &err), 0) << err;
  if (!s.seed_sql.empty()) {
    ASSERT_EQ(RunSqliteShell(db, s.seed_sql, false, &err), 0) << err;
  }

  std::vector<std::string> kept_before;
  for (const std::string& q : s.kept) kept_before.push_back(Query(db, q));
  const std::string dump_before = Dump(db);

  int rc = RunSqliteShell(db, up1, true, &err);
  if (!s.up_fails_with.empty()) {
    EXPECT_NE(rc, 0);
    EXPECT_NE(err.find(s.up_fails_with), std::string::npos) << err;
    EXPECT_EQ(Dump(db), dump_before) << "a failed migration must change nothing";
    // Without -bail the shell goes on after the error; the file must still roll back.
    TempDir plain;
    auto script = plain.Write("up.sql", up1);
    std::system(("sqlite3 '" + db + "' < '" + script.string() + "' >/dev/null 2>&1").c_str());
    EXPECT_EQ(Dump(db), dump_before) << "a failed migration run without -bail must change nothing";
    return;
  }
  ASSERT_EQ(rc, 0) << err << "\n" << up1;
  const Schema before = loaded.schema->At(0), after = loaded.schema->At(1);
  ExpectSchema(db, after, "after up");
  for (size_t i = 0; i < s.kept.size(); ++i) EXPECT_EQ(Query(db, s.kept[i]), kept_before[i]) << s.kept[i];
  for (const auto& [query, expected] : s.after_up) EXPECT_EQ(Query(db, query), expected) << query;

  ASSERT_EQ(RunSqliteShell(db, down1, true, &err), 0) << err << "\n" << down1;
  ExpectSchema(db, before, "after down");
  for (size_t i = 0; i < s.kept.size(); ++i) EXPECT_EQ(Query(db, s.kept[i]), kept_before[i]) << s.kept[i];

  ASSERT_EQ(RunSqliteShell(db, up1, false, &err), 0) << err;
  ExpectSchema(db, after, "after up, down and up again");
  for (size_t i = 0; i < s.kept.size(); ++i) EXPECT_EQ(Query(db, s.kept[i]), kept_before[i]) << s.kept[i];
}

}  // namespace strata::testing
