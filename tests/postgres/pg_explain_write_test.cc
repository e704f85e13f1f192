// `strata explain --write` against a PostgreSQL URL: the server checks each
// suggested index by building it in a rolled-back transaction, so verified
// advice is written as on SQLite; advice it could not check (a read-only
// session) is only written with --include-unverified.
#include <gtest/gtest.h>

#include "pg_test_util.h"
#include "test_util.h"

namespace strata::testing {
namespace {

constexpr const char* kTables = R"(tables:
  - name: orders
    large: true
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer, type: TEXT}
      - {name: status, type: TEXT}
    indexes:
      - {name: idx_orders_customer, columns: [customer]}
      - {name: idx_orders_customer_status, columns: [customer, status]}
)";

TEST(PgExplainWriteCli, VerifiedAdviceIsWrittenAndUnverifiedOnlyWhenAskedFor) {
  STRATA_TEST_DATABASE(db);
  TempDir dir;
  dir.Write("schema/project.yaml", "project: shop\ndialect: postgres\ntags: [v1, v2]\n");
  dir.Write("schema/tables.yaml", kTables);
  dir.Write("schema/queries.yaml", "queries:\n  - name: orders_by_status\n    sql: SELECT id FROM orders WHERE status = ?\n");
  const auto run = [&](std::vector<std::string> args, const std::string& url) {
    args.insert(args.end(), {"--db", url});
    return RunStrata(args, dir.path());
  };
  CommandResult r = RunStrata({"generate"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run({"up", "--tag", "v1", "--no-backup"}, db->url());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string err;
  ASSERT_EQ(RunPsql(db->url(),
                    "INSERT INTO orders (id, customer, status) SELECT g, 'c' || (g % 5000), "
                    "(ARRAY['open', 'paid', 'shipped', 'returned'])[1 + g % 4] FROM generate_series(1, 40000) g;"
                    "ANALYZE;",
                    &err),
            0)
      << err;

  // A read-only session cannot build the index to check it.
  const std::string read_only = db->url() + (db->url().find('?') == std::string::npos ? "?" : "&") +
                                "options=-c%20default_transaction_read_only%3Don";
  r = run({"explain", "--write", "--only", "idx_orders_status"}, read_only);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("skipped: index \"idx_orders_status\" on orders (query orders_by_status reads every row): not "
                       "verified: explain could not check that it serves (pass --include-unverified to write it)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("nothing to write for tag \"v2\""), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(dir / "schema/tables.yaml"), kTables);
  r = run({"explain", "--write", "--only", "idx_orders_status", "--include-unverified", "--dry-run"}, read_only);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("+      - {name: idx_orders_status, columns: [status], description: \"strata explain at v1: query "
                       "orders_by_status reads every row\", since: v2}\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(ReadFile(dir / "schema/tables.yaml"), kTables);

  r = run({"explain", "--write"}, db->url());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("schema/tables.yaml:9: index \"idx_orders_customer\" removed at v2 (a left prefix of index "
                       "idx_orders_customer_status (customer, status))\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("schema/tables.yaml:11: index \"idx_orders_status\" on orders since v2"), std::string::npos)
      << r.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_class WHERE relname = 'idx_orders_status'"), "0")
      << "checking the index leaves nothing behind";

  r = RunStrata({"generate"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run({"up", "--no-backup"}, db->url());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_EQ(PgQuery(db->url(), "ANALYZE"), "");
  r = run({"explain"}, db->url());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("missing indexes (0):\n  none\nredundant indexes (0):\n  none\n"), std::string::npos) << r.out;
  EXPECT_EQ(PgQuery(db->url(), "SELECT indexname FROM pg_indexes WHERE tablename = 'orders' ORDER BY 1"),
            "idx_orders_customer_status\nidx_orders_status\norders_pkey");
}

}  // namespace
}  // namespace strata::testing
