#include "pg_scenario.h"

#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "diff/differ.h"
#include "migrate/runner.h"
#include "pg_test_util.h"
#include "postgres/connection.h"
#include "postgres/pg.h"
#include "postgres/postgres_dialect.h"
#include "yaml/load_helper.h"

namespace strata::testing {

PgScripts MakePgScripts(const Schema& before, const Schema& after) {
  std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  const Schema empty;
  PgScripts out;
  out.create = dialect->RenderMigration(
      dialect->PlanMigration(empty, before, Diff(empty, before, RenameHints::From(before)), {.up = true}),
      {"0010_before.up.sql", 10, "before", "before", true, std::nullopt});
  out.create_after = dialect->RenderMigration(
      dialect->PlanMigration(empty, after, Diff(empty, after, RenameHints::From(after)), {.up = true}),
      {"0010_after.up.sql", 10, "after", "after", true, std::nullopt});
  const RenameHints hints = RenameHints::From(after);
  Plan up = dialect->PlanMigration(before, after, Diff(before, after, hints), {.up = true});
  Plan down = dialect->PlanMigration(after, before, Diff(after, before, hints.Inverted()), {.up = false});
  out.up = dialect->RenderMigration(up, {"0020_after.up.sql", 20, "after", "after", true, 10});
  out.down = dialect->RenderMigration(down, {"0020_after.down.sql", 20, "after", "after", false, std::nullopt});
  return out;
}

std::string DescribeSchema(const std::string& url) {
  return PgQuery(url, R"(
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type ||
       coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable ||
       ' default=' || coalesce(column_default, '') || ' identity=' || is_identity ||
       coalesce(' collation=' || collation_name, '')
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'strata_migrations'
UNION ALL
SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) ||
       ' valid=' || convalidated
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
   AND conrelid::regclass::text <> 'strata_migrations'
UNION ALL
SELECT 'index valid=' || x.indisvalid || ' ' || pg_get_indexdef(x.indexrelid)
  FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
 WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> 'strata_migrations'
UNION ALL
SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
ORDER BY 1)");
}

namespace {

// Every table's rows, for "nothing changed" comparisons.
std::string DumpData(const std::string& url) {
  std::string tables = PgQuery(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  std::string out;
  size_t start = 0;
  while (start < tables.size()) {
    size_t end = tables.find('\n', start);
    if (end == std::string::npos) end = tables.size();
    const std::string t = tables.substr(start, end - start);
    out += t + ":\n" + PgQuery(url, fmt::format("SELECT x::text FROM {} AS x ORDER BY 1", postgres::QuoteIdent(t))) + "\n";
    start = end + 1;
  }
  return out;
}

// Applies a file; returns "" or the error.
std::string Apply(ApplyWith with, const std::string& url, const std::string& file, int64_t version, bool up,
                  const std::string& sql) {
  if (with == ApplyWith::kPsql) {
    std::string err;
    return RunPsql(url, sql, &err) == 0 ? "" : "psql: " + err;
  }
  Result<std::unique_ptr<postgres::PostgresConnection>> conn = postgres::PostgresConnection::Open(url);
  if (!conn.ok()) return conn.status().message();
  Result<ApplyOutcome> r = (*conn)->Apply(FileRun(file, version, up, sql));
  if (!r.ok()) return r.status().message();
  return *r == ApplyOutcome::kApplied ? "" : "not applied: already done";
}

std::string FreshSchema(const std::string& server_url, const std::string& create) {
  std::random_device random;
  const std::string name = fmt::format("strata_fresh_{:08x}{:08x}", random(), random());
  Result<postgres::PgSession> admin = postgres::PgSession::Connect(server_url);
  if (!admin.ok()) return "error: " + admin.status().message();
  if (Status s = admin->Exec("CREATE DATABASE " + name); !s.ok()) return "error: " + s.message();
  const std::string url = WithDatabase(server_url, name);
  std::string err;
  std::string out = RunPsql(url, create, &err) == 0 ? DescribeSchema(url) : "error: " + err;
  (void)admin->Exec("DROP DATABASE " + name + " WITH (FORCE)");
  return out;
}

}  // namespace

void RunPgScenario(const PgScenario& s, ApplyWith with, const std::string& url, const std::string& server_url) {
  SCOPED_TRACE("scenario: " + s.name + (with == ApplyWith::kPsql ? " (psql)" : " (PostgresConnection)"));
  LoadOutcome loaded = LoadFiles({{"schema/t.yaml", s.tables_yaml}}, "project: scenario\ntags: [before, after]\n");
  ASSERT_TRUE(loaded.schema) << ::testing::PrintToString(loaded.diagnostics);
  Schema before = loaded.schema->At(0), after = loaded.schema->At(1);
  if (s.edit) s.edit(before, after);
  std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  for (const Schema* state : {&before, &after})
    for (const SchemaProblem& p : dialect->Problems(*state)) ADD_FAILURE() << "problem: " << p.message;
  const PgScripts scripts = MakePgScripts(before, after);
  for (const std::string& text : s.up_script_contains)
    EXPECT_NE(scripts.up.find(text), std::string::npos) << "the up script should contain: " << text << "\n" << scripts.up;

  ASSERT_EQ(Apply(with, url, "0010_before.up.sql", 10, true, scripts.create), "") << scripts.create;
  if (!s.seed_sql.empty()) {
    std::string err;
    ASSERT_EQ(RunPsql(url, s.seed_sql, &err), 0) << err;
  }
  std::vector<std::string> kept;
  for (const std::string& q : s.kept) {
    kept.push_back(PgQuery(url, q));
    EXPECT_EQ(kept.back().find("error:"), std::string::npos) << q << ": " << kept.back();
  }
  const auto expect_kept = [&](const std::string& when) {
    for (size_t i = 0; i < s.kept.size(); ++i) EXPECT_EQ(PgQuery(url, s.kept[i]), kept[i]) << when << ": " << s.kept[i];
  };
  const std::string schema_before = DescribeSchema(url);
  EXPECT_EQ(schema_before, FreshSchema(server_url, scripts.create));

  if (!s.up_fails_with.empty()) {
    const std::string data_before = DumpData(url);
    const std::string error = Apply(with, url, "0020_after.up.sql", 20, true, scripts.up);
    EXPECT_NE(error.find(s.up_fails_with), std::string::npos) << error;
    EXPECT_NE(error.find("nothing was applied"), std::string::npos) << error;
    if (!s.up_fails_naming.empty()) {
      EXPECT_NE(error.find(s.up_fails_naming), std::string::npos) << error;
    }
    EXPECT_EQ(DescribeSchema(url), schema_before) << "a failed migration must change nothing";
    EXPECT_EQ(DumpData(url), data_before) << "a failed migration must change nothing";
    EXPECT_EQ(PgQuery(url, "SELECT count(*) FROM strata_migrations WHERE version = 20"), "0");
    return;
  }
  const std::string schema_after = FreshSchema(server_url, scripts.create_after);
  ASSERT_EQ(Apply(with, url, "0020_after.up.sql", 20, true, scripts.up), "") << scripts.up;
  EXPECT_EQ(DescribeSchema(url), schema_after) << "after up";
  expect_kept("after up");
  for (const auto& [q, want] : s.after_up) EXPECT_EQ(PgQuery(url, q), want) << "after up: " << q;

  ASSERT_EQ(Apply(with, url, "0020_after.down.sql", 20, false, scripts.down), "") << scripts.down;
  EXPECT_EQ(DescribeSchema(url), schema_before) << "after down";
  expect_kept("after down");
  for (const auto& [q, want] : s.after_down) EXPECT_EQ(PgQuery(url, q), want) << "after down: " << q;

  ASSERT_EQ(Apply(with, url, "0020_after.up.sql", 20, true, scripts.up), "") << scripts.up;
  EXPECT_EQ(DescribeSchema(url), schema_after) << "after up, down and up again";
  expect_kept("after up, down and up again");
  for (const auto& [q, want] : s.after_up) EXPECT_EQ(PgQuery(url, q), want) << "after up again: " << q;
  EXPECT_EQ(PgQuery(url, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0") << "no INVALID index is left";
}

}  // namespace strata::testing
