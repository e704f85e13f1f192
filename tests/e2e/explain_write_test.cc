// `strata explain --write` as a user runs it: the advice about a database
// becomes edits of the schema files for the next tag, which `generate`
// turns into a migration that `up` applies, after which `explain` has
// nothing left to say. Every other byte of the files stays; a bad tag, a
// last tag, no advice and advice the files cannot take are said clearly,
// with nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunStrata;

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Every schema file by its path under the folder.
std::map<std::string, std::string> Files(const fs::path& schema) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(schema))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), schema).string()] = testing::ReadFile(entry.path());
  return files;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines `after` has that `before` has not, when `before` is `after`
// with some lines taken out; a line "MISMATCH" otherwise.
std::vector<std::string> InsertedLines(const std::string& before, const std::string& after) {
  const std::vector<std::string> a = Lines(before), b = Lines(after);
  std::vector<std::string> inserted;
  size_t i = 0;
  for (const std::string& line : b) {
    if (i < a.size() && a[i] == line)
      ++i;
    else
      inserted.push_back(line);
  }
  if (i != a.size()) inserted.push_back("MISMATCH");
  return inserted;
}

std::string MigrationOf(const fs::path& migrations, const std::string& tag) {
  for (const auto& entry : fs::directory_iterator(migrations)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with("_" + tag + ".up.sql")) return testing::ReadFile(entry.path());
  }
  return "";
}

TEST(ExplainWriteCli, ChefSocialAdviceBecomesTheNextTagsMigration) {
  testing::TempDir dir;
  fs::copy(testing::SourceDir() / "schema", dir / "schema", fs::copy_options::recursive);
  // A new tag for the changes; the users index that a declared query needs
  // is gone, and notifications get an index its composite one makes redundant.
  dir.Write("schema/project.yaml", Replaced(testing::ReadFile(dir / "schema/project.yaml"), "phase4]", "phase4, phase5]"));
  dir.Write("schema/tables/users.yaml",
            Replaced(testing::ReadFile(dir / "schema/tables/users.yaml"),
                     "      - name: idx_users_stripe_customer\n        columns: [stripe_customer_id]\n"
                     "        description: Map Stripe webhook events to the user by customer id\n        since: phase4\n",
                     ""));
  dir.Write("schema/tables/notifications.yaml",
            testing::ReadFile(dir / "schema/tables/notifications.yaml") +
                "      - name: idx_notifications_user\n        columns: [user_id]   # a user's notifications\n");
  CommandResult r = RunStrata({"generate"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunStrata({"up", "--db", "chef.db", "--tag", "phase4", "--no-backup"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  r = RunStrata({"explain", "--db", "chef.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("query user_by_stripe_customer: full scan users"), std::string::npos) << r.out;
  const std::map<std::string, std::string> before = Files(dir / "schema");

  // --dry-run shows the edits and writes nothing.
  r = RunStrata({"explain", "--db", "chef.db", "--write", "--dry-run"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("--- schema/tables/users.yaml\n+++ schema/tables/users.yaml\n@@ "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n+        removed: phase5  # strata explain at phase4: the same as UNIQUE constraint "
                       "sqlite_autoindex_users_"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("; nothing was written\n"), std::string::npos) << r.out;
  EXPECT_EQ(Files(dir / "schema"), before);

  r = RunStrata({"explain", "--db", "chef.db", "--write"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("(^|\n)schema/tables/users\\.yaml:\\d+: index \"idx_users_stripe_customer_id\" "
                                                  "on users since phase5 \\(query user_by_stripe_customer reads every "
                                                  "row\\)\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\nschema/tables/notifications\\.yaml:\\d+: index \"idx_notifications_user\" "
                                                  "removed at phase5 \\(a left prefix of index "
                                                  "idx_notifications_user_unread \\(user_id, read_at, created_at\\)\\)\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("schema/tables/users\\.yaml:\\d+: index \"idx_users_email\" removed at "
                                                  "phase5 \\(the same as UNIQUE constraint sqlite_autoindex_users_\\d")))
      << r.out;
  EXPECT_NE(r.out.find("for tag \"phase5\"; next: `strata generate`"), std::string::npos) << r.out;

  // Only lines were added, each one of the edits; the rest is byte for byte.
  const std::map<std::string, std::string> after = Files(dir / "schema");
  ASSERT_EQ(after.size(), before.size());
  const std::regex edit_line(
      R"( +(removed: phase5(  # strata explain at phase4: .*)?|- name: idx_\w+|columns: \[[\w, ]+\]|)"
      R"(description: "strata explain at phase4: .*"|since: phase5|indexes:))");
  int changed = 0;
  for (const auto& [path, text] : before) {
    if (after.at(path) == text) continue;
    ++changed;
    const std::vector<std::string> inserted = InsertedLines(text, after.at(path));
    EXPECT_FALSE(inserted.empty()) << path;
    for (const std::string& line : inserted) EXPECT_TRUE(std::regex_match(line, edit_line)) << path << ": " << line;
  }
  EXPECT_GE(changed, 3) << "users, notifications and usage_tracking at least";
  EXPECT_EQ(after.at("project.yaml"), before.at("project.yaml"));
  EXPECT_EQ(after.at("queries.yaml"), before.at("queries.yaml"));

  r = RunStrata({"validate"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunStrata({"generate"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string migration = MigrationOf(dir / "migrations", "phase5");
  EXPECT_NE(migration.find("CREATE INDEX \"idx_users_stripe_customer_id\" ON \"users\" (\"stripe_customer_id\")"),
            std::string::npos)
      << migration;
  EXPECT_NE(migration.find("DROP INDEX \"idx_notifications_user\""), std::string::npos) << migration;
  EXPECT_NE(migration.find("DROP INDEX \"idx_users_email\""), std::string::npos) << migration;

  r = RunStrata({"up", "--db", "chef.db", "--no-backup"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunStrata({"explain", "--db", "chef.db"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("query user_by_stripe_customer: search users via idx_users_stripe_customer_id\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("redundant indexes (0):\n  none\n"), std::string::npos) << r.out;
  // What is still advised at phase5 is only what --write skipped.
  const std::string missing = r.out.substr(r.out.find("missing indexes ("));
  EXPECT_EQ(missing.find("CREATE INDEX"), std::string::npos) << missing;
}

constexpr const char* kProject = "project: shop\ndialect: sqlite\ntags: [v1, v2]\n";
constexpr const char* kTables =
    "tables:\n"
    "  - name: orders\n"
    "    large: true\n"
    "    columns:\n"
    "      - {name: id, type: INTEGER, primary_key: true}\n"
    "      - {name: customer, type: TEXT}\n"
    "      - {name: status, type: TEXT}\n"
    "    indexes:\n"
    "      - {name: idx_orders_customer, columns: [customer]}\n";
constexpr const char* kQueries = "queries:\n  - name: orders_of_customer\n    sql: SELECT id FROM orders WHERE customer = ?\n";

// A shop at v1, with migrations for both tags.
void MakeShop(const testing::TempDir& dir, const std::string& tables = kTables) {
  dir.Write("schema/project.yaml", kProject);
  dir.Write("schema/tables.yaml", tables);
  dir.Write("schema/queries.yaml", kQueries);
  CommandResult r = RunStrata({"generate"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunStrata({"up", "--db", "shop.db", "--tag", "v1", "--no-backup"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(ExplainWriteCli, NothingToWriteExitsZeroAndSaysSo) {
  testing::TempDir dir;
  MakeShop(dir);
  const std::map<std::string, std::string> before = Files(dir / "schema");
  CommandResult r = RunStrata({"explain", "--db", "shop.db", "--write"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "nothing to write for tag \"v2\": explain has no index advice\n");
  EXPECT_EQ(Files(dir / "schema"), before);
}

TEST(ExplainWriteCli, BadTagsAndFlagsAreUsageErrors) {
  testing::TempDir dir;
  MakeShop(dir);
  const std::map<std::string, std::string> before = Files(dir / "schema");
  const auto explain = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"explain", "--db", "shop.db"});
    return RunStrata(args, dir.path());
  };
  CommandResult r = explain({"--write", "--to", "v9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--to \"v9\" is not a tag of the project (\"v1\" and \"v2\")"), std::string::npos) << r.err;
  r = explain({"--write", "--to", "v1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--to \"v1\" is not after tag \"v1\", the one explained"), std::string::npos) << r.err;
  r = explain({"--to", "v2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("go with --write"), std::string::npos) << r.err;
  EXPECT_EQ(explain({"--write", "--base", "v1"}).exit_code, 2);
  EXPECT_EQ(explain({"--write", "--format", "json"}).exit_code, 2);
  r = explain({"--write", "--only", "idx_nothing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--only \"idx_nothing\" names no suggestion"), std::string::npos) << r.err;

  // At the last tag there is no later one to put the changes in.
  ASSERT_EQ(RunStrata({"up", "--db", "shop.db", "--no-backup"}, dir.path()).exit_code, 0);
  r = explain({"--write"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tag \"v2\" is the last tag, and --write adds the changes to a later one: add the next tag at the "
                       "end of `tags:` in schema/project.yaml"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--to TAG"), std::string::npos) << r.err;
  // A tag the database has applied already would never run the changes.
  r = explain({"--write", "--tag", "v1", "--to", "v2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has applied the migration into tag \"v2\" already"), std::string::npos) << r.err;
  EXPECT_EQ(Files(dir / "schema"), before);
}

TEST(ExplainWriteCli, OnlyWritesTheNamedAdviceInFlowStyle) {
  testing::TempDir dir;
  MakeShop(dir, std::string(kTables) + "      - {name: idx_orders_customer_2, columns: [customer]}\n");
  dir.Write("schema/queries.yaml",
            std::string(kQueries) + "  - name: orders_by_status\n    sql: SELECT id FROM orders WHERE status = ?\n");
  CommandResult r = RunStrata({"explain", "--db", "shop.db", "--write", "--only", "idx_orders_status"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out,
            "schema/tables.yaml:11: index \"idx_orders_status\" on orders since v2 (query orders_by_status reads every "
            "row)\n1 edit(s) written to 1 file(s) for tag \"v2\"; next: `strata generate` writes them into that tag's "
            "migration: review it, then commit it with the schema files\n");
  EXPECT_EQ(testing::ReadFile(dir / "schema/tables.yaml"),
            std::string(kTables) +
                "      - {name: idx_orders_customer_2, columns: [customer]}\n"
                "      - {name: idx_orders_status, columns: [status], description: \"strata explain at v1: query "
                "orders_by_status reads every row\", since: v2}\n");

  r = RunStrata({"explain", "--db", "shop.db", "--write", "--only", "orders"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("skipped: index \"idx_orders_status\" on orders (query orders_by_status reads every row): index "
                       "\"idx_orders_status\" (status) serves it at tag \"v2\"\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("schema/tables.yaml:10: index \"idx_orders_customer_2\" removed at v2 (the same as index "
                       "idx_orders_customer (customer))\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(testing::ReadFile(dir / "schema/tables.yaml")
                .find("      - {name: idx_orders_customer_2, columns: [customer], removed: v2}\n"),
            std::string::npos);
}

// The database has an index the files no longer declare (deleted rather
// than given `removed:`): the advice cannot be placed, and nothing changes.
TEST(ExplainWriteCli, AdviceTheFilesNoLongerMatchIsRefusedWithNothingWritten) {
  testing::TempDir dir;
  MakeShop(dir, std::string(kTables) + "      - {name: idx_orders_customer_2, columns: [customer]}\n");
  dir.Write("schema/tables.yaml", kTables);
  dir.Write("schema/queries.yaml",
            std::string(kQueries) + "  - name: orders_by_status\n    sql: SELECT id FROM orders WHERE status = ?\n");
  const std::map<std::string, std::string> before = Files(dir / "schema");
  CommandResult r = RunStrata({"explain", "--db", "shop.db", "--write"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("index \"idx_orders_customer_2\" of table \"orders\" is not declared at tag \"v1\" in the schema "
                       "files, although the database the advice comes from has it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was edited"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Files(dir / "schema"), before);
}

}  // namespace
}  // namespace strata
