#include "migrate/scenario_harness.h"

#include <algorithm>
#include <sys/wait.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "diff/differ.h"
#include "migrate/generator.h"
#include "schema_compare.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_writer.h"
#include "sqlite/sqlite_dialect.h"
#include "test_util.h"
#include "yaml/load_helper.h"

namespace strata::testing {

ScenarioScripts MakeScripts(const Schema& before, const Schema& after) {
  std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
  const Schema empty;
  ScenarioScripts out;
  const std::vector<Change> create = Diff(empty, before, RenameHints::From(before));
  out.create = dialect->RenderMigration(dialect->PlanMigration(empty, before, create, {.up = true}),
                                        {"0010_before.up.sql", 10, "before", "before", true, std::nullopt});
  const RenameHints hints = RenameHints::From(after);
  const std::vector<Change> up = Diff(before, after, hints);
  const std::vector<Change> down = Diff(after, before, hints.Inverted());
  Plan up_plan = dialect->PlanMigration(before, after, up, {.up = true});
  Plan down_plan = dialect->PlanMigration(after, before, down, {.up = false});
  // As the generator annotates them, so that the files compare equal.
  for (const std::string& d : up_plan.destructive_changes)
    up_plan.irreversible_notes.push_back("rolling back cannot restore: " + d);
  for (const std::string& d : down_plan.destructive_changes)
    down_plan.irreversible_notes.push_back("data is lost: " + d);
  out.up = dialect->RenderMigration(up_plan, {"0020_after.up.sql", 20, "after", "after", true, 10});
  out.down = dialect->RenderMigration(down_plan, {"0020_after.down.sql", 20, "after", "after", false, std::nullopt});
  return out;
}

int RunSqliteShell(const std::string& db, const std::string& sql, bool foreign_keys_on, std::string* err,
                   std::string* out) {
  TempDir dir;
  auto script = dir.Write("script.sql", sql);
  std::string command = "sqlite3 -bail -cmd 'PRAGMA foreign_keys=" + std::string(foreign_keys_on ? "ON" : "OFF") +
                        "' '" + db + "' < '" + script.string() + "' >'" + (dir / "out").string() + "' 2>'" +
                        (dir / "err").string() + "'";
  int status = std::system(command.c_str());
  if (err) *err = ReadFile(dir / "err");
  if (out) *out = ReadFile(dir / "out");
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
  // Triggers and views a scenario wrote by hand are the user's, not the
  // schema's: they are probed, not compared.
  std::erase_if(actual->views, [&](const View& v) {
    return std::none_of(expected.views.begin(), expected.views.end(), [&](const View& w) { return w.name == v.name; });
  });
  for (Table& t : actual->tables)
    if (const Table* want = expected.FindTable(t.name))
      std::erase_if(t.triggers, [&](const Trigger& tr) {
        return std::none_of(want->triggers.begin(), want->triggers.end(),
                            [&](const Trigger& w) { return w.name == tr.name; });
      });
  EXPECT_EQ(AsPragmasSeeIt(*actual), AsPragmasSeeIt(expected));
  // The same as SQL, so that a difference is readable.
  EXPECT_EQ(sqlite::CreateSchemaSql(AsPragmasSeeIt(*actual)), sqlite::CreateSchemaSql(AsPragmasSeeIt(expected)));
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(db, "PRAGMA foreign_key_check"), "");
  // The migration is idempotent: diffing the result with its target finds nothing.
  EXPECT_TRUE(Diff(AsPragmasSeeIt(*actual), AsPragmasSeeIt(expected), {}, {.compare_rows = false}).empty());
  // Nothing of the script's bookkeeping is left behind.
  EXPECT_EQ(Query(db, "SELECT name FROM sqlite_schema WHERE name LIKE '%strata_new%'"), "");
}

// Runs `sql` on a connection with foreign keys on, in a transaction that is
// rolled back; returns "" or the error message.
std::string TryStatement(const std::string& db, const std::string& sql) {
  Result<sqlite::Database> conn = sqlite::Database::Open(db, sqlite::Database::Mode::kReadWrite);
  if (!conn.ok()) return "cannot open: " + conn.status().message();
  if (Status s = conn->Exec("BEGIN"); !s.ok()) return "cannot begin: " + s.message();
  Status s = conn->Exec(sql);
  (void)conn->Exec("ROLLBACK");
  return s.ok() ? "" : s.message() + " ";
}

void ExpectProbes(const std::string& db, const std::vector<Probe>& probes, bool up, const std::string& when) {
  SCOPED_TRACE(when);
  for (const Probe& p : probes) {
    const std::string& expected = up ? p.up_error : p.down_error;
    std::string error = TryStatement(db, p.sql);
    if (expected.empty()) {
      EXPECT_EQ(error, "") << p.sql;
    } else {
      EXPECT_NE(error.find(expected), std::string::npos) << p.sql << "\nexpected an error containing: " << expected
                                                         << "\ngot: " << (error.empty() ? "success" : error);
    }
  }
}

void ExpectKept(const std::string& db, const Scenario& s, const std::vector<std::string>& kept_before,
                const std::string& when) {
  SCOPED_TRACE(when);
  for (size_t i = 0; i < s.kept.size(); ++i) EXPECT_EQ(Query(db, s.kept[i]), kept_before[i]) << s.kept[i];
}

}  // namespace

void RunScenario(const Scenario& s) {
  SCOPED_TRACE("scenario: " + s.name);
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", s.tables_yaml}},
                                 "project: scenario\ntags: [before, after]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  ASSERT_TRUE(loaded.diagnostics.empty()) << ::testing::PrintToString(loaded.diagnostics);
  Schema before = loaded.schema->At(0), after = loaded.schema->At(1);
  ScenarioScripts scripts;
  if (s.edit) {
    s.edit(before, after);
    scripts = MakeScripts(before, after);
  } else {
    std::unique_ptr<Dialect> dialect = sqlite::MakeDialect();
    GenerateResult generated = GenerateMigrations(*loaded.schema, *dialect, {});
    scripts = {generated.files.at("0010_before.up.sql"), generated.files.at("0020_after.up.sql"),
               generated.files.at("0020_after.down.sql")};
    // MakeScripts, used with `edit` and by the property test, plans exactly as the generator.
    ScenarioScripts same = MakeScripts(before, after);
    EXPECT_EQ(same.create, scripts.create);
    EXPECT_EQ(same.up, scripts.up);
    EXPECT_EQ(same.down, scripts.down);
  }
  const std::string& up0 = scripts.create;
  const std::string& up1 = scripts.up;
  const std::string& down1 = scripts.down;
  for (const std::string& text : s.up_script_contains)
    EXPECT_NE(up1.find(text), std::string::npos) << "the up script should contain: " << text << "\n" << up1;

  TempDir dir;
  const std::string db = (dir / "scenario.db").string();
  std::string err;
  ASSERT_EQ(RunSqliteShell(db, up0, true, &err), 0) << err;
  if (!s.seed_sql.empty()) {
    ASSERT_EQ(RunSqliteShell(db, s.seed_sql, false, &err), 0) << err;
  }

  std::vector<std::string> kept_before;
  for (const std::string& q : s.kept) {
    kept_before.push_back(Query(db, q));
    EXPECT_EQ(kept_before.back().find("error:"), std::string::npos) << q << ": " << kept_before.back();
  }
  const std::string dump_before = Dump(db);
  const std::string bytes_before = ReadFile(db);

  std::string printed;
  int rc = RunSqliteShell(db, up1, true, &err, &printed);
  if (!s.up_fails_with.empty()) {
    EXPECT_NE(rc, 0);
    // The file prints every failed check before it stops.
    EXPECT_NE((printed + err).find(s.up_fails_with), std::string::npos) << printed << err;
    if (!s.up_fails_unchecked) {
      EXPECT_NE(err.find("nothing was applied"), std::string::npos) << err;
    }
    EXPECT_EQ(Dump(db), dump_before) << "a failed migration must change nothing";
    EXPECT_TRUE(ReadFile(db) == bytes_before) << "a failed migration must leave the file byte for byte as it was";
    // Without -bail the shell goes on after the error; the file must still roll back.
    TempDir plain;
    auto script = plain.Write("up.sql", up1);
    std::system(("sqlite3 '" + db + "' < '" + script.string() + "' >/dev/null 2>&1").c_str());
    EXPECT_EQ(Dump(db), dump_before) << "a failed migration run without -bail must change nothing";
    // In process, the failed check's record names the offending rows.
    {
      Result<sqlite::Database> conn = sqlite::Database::Open(db, sqlite::Database::Mode::kReadWrite);
      ASSERT_TRUE(conn.ok());
      Status applied = conn->Exec(up1);
      EXPECT_FALSE(applied.ok());
      std::string reported = applied.message();
      // A failed check stops with RAISE(ABORT), leaving the transaction and
      // the record of every failure open.
      if (!conn->autocommit()) {
        Result<std::string> recorded = conn->QueryString(
            "SELECT group_concat('check ' || check_id || ' failed: ' || what || ': ' || detail, '; ') "
            "FROM temp.strata_failure JOIN temp.strata_check USING (check_id)");
        ASSERT_TRUE(recorded.ok()) << recorded.status().message();
        reported += "\n" + *recorded;
        if (!s.up_fails_naming.empty()) {
          EXPECT_NE(recorded->find(s.up_fails_naming), std::string::npos) << *recorded;
        }
        EXPECT_TRUE(conn->Exec("ROLLBACK").ok());
      } else {
        EXPECT_TRUE(s.up_fails_naming.empty()) << "the file rolled back, and its record of the failure with it";
      }
      EXPECT_NE(reported.find(s.up_fails_with), std::string::npos) << reported;
    }
    EXPECT_EQ(Dump(db), dump_before) << "a failed migration run in process must change nothing";
    EXPECT_EQ(Query(db, "SELECT count(*) FROM strata_migrations WHERE version = 20"), "0");
    return;
  }
  ASSERT_EQ(rc, 0) << err << "\n" << up1;
  ExpectSchema(db, after, "after up");
  ExpectKept(db, s, kept_before, "after up");
  for (const auto& [query, expected] : s.after_up) EXPECT_EQ(Query(db, query), expected) << "after up: " << query;
  ExpectProbes(db, s.probes, true, "after up");

  ASSERT_EQ(RunSqliteShell(db, down1, true, &err), 0) << err << "\n" << down1;
  ExpectSchema(db, before, "after down");
  ExpectKept(db, s, kept_before, "after down");
  for (const auto& [query, expected] : s.after_down)
    EXPECT_EQ(Query(db, query), expected) << "after down: " << query;
  ExpectProbes(db, s.probes, false, "after down");

  ASSERT_EQ(RunSqliteShell(db, up1, false, &err), 0) << err;
  ExpectSchema(db, after, "after up, down and up again");
  ExpectKept(db, s, kept_before, "after up, down and up again");
  for (const auto& [query, expected] : s.after_up)
    EXPECT_EQ(Query(db, query), expected) << "after up again: " << query;
  ExpectProbes(db, s.probes, true, "after up, down and up again");
}

}  // namespace strata::testing
