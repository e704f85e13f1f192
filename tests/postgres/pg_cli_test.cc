// The strata binary against a PostgreSQL URL: up, status and down with the
// ChefSocial migrations planned for PostgreSQL, and no password in output.
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "migrate/generator.h"
#include "pg_test_util.h"
#include "postgres/postgres_dialect.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata::testing {
namespace {

TEST(PgCli, UpStatusAndDownAgainstAPostgresUrl) {
  STRATA_TEST_DATABASE(db);
  Diagnostics d;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
  ASSERT_TRUE(schema);
  TempDir dir;
  const std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  ASSERT_TRUE(WriteMigrationFiles(dir / "migrations", GenerateMigrations(*schema, *dialect, {}).files).ok());
  const std::vector<std::string> common = {"--db", db->url(), "--schema", (SourceDir() / "schema").string(),
                                           "--migrations", (dir / "migrations").string()};
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    return RunStrata(args, dir.path());
  };
  CommandResult up = run({"up", "--no-backup", "--allow-destructive"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(schema->project.tags.size()));
  CommandResult status = run({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  CommandResult down = run({"down", "--no-backup", "--allow-destructive"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM strata_migrations"), std::to_string(schema->project.tags.size() - 1));
}

TEST(PgCli, APasswordNeverAppearsInOutput) {
  TempDir dir;
  CommandResult r = RunStrata({"status", "--db", "postgresql://alice:hunter2@127.0.0.1:1/app?connect_timeout=2",
                               "--schema", (SourceDir() / "schema").string(), "--migrations",
                               (SourceDir() / "migrations").string()},
                              dir.path());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ((r.out + r.err).find("hunter2"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace strata::testing
