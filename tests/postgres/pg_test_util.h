// A database of its own for each PostgreSQL test, on the server that
// STRATA_TEST_PG (a libpq URL) names; scripts/test starts a throwaway one.
// Without a reachable server the tests skip with a message, except with
// CI=true, where that is a failure.
#pragma once

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "dialect/connection.h"

namespace strata::testing {

// A database created as strata_test_<random> and dropped at the end.
class TestDatabase {
 public:
  // nullopt, with `why` set, when there is no server to use.
  static std::optional<TestDatabase> Create(std::string* why);
  TestDatabase(TestDatabase&& other) noexcept : server_(other.server_), name_(std::move(other.name_)), url_(other.url_) {
    other.name_.clear();
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  TestDatabase& operator=(TestDatabase&&) = delete;
  ~TestDatabase();
  const std::string& url() const { return url_; }

 private:
  TestDatabase(std::string server, std::string name, std::string url)
      : server_(std::move(server)), name_(std::move(name)), url_(std::move(url)) {}
  std::string server_, name_, url_;
};

bool PgRequired();  // CI=true

// A migration file to apply, with what its head states (as the runner reads it).
ScriptRun FileRun(const std::string& file, int64_t version, bool up, const std::string& sql);

// `url` pointing at database `name` instead.
std::string WithDatabase(const std::string& url, const std::string& name);

// Runs `sql` with `psql -X -v ON_ERROR_STOP=1 -f`; returns the exit code,
// stderr in `err`.
int RunPsql(const std::string& url, const std::string& sql, std::string* err);

// Rows joined by '\n', columns by '|', NULL as "NULL"; "error: ..." on failure.
std::string PgQuery(const std::string& url, const std::string& sql);

}  // namespace strata::testing

// Declares `var`, a TestDatabase, or skips (fails with CI=true) the test.
#define STRATA_TEST_DATABASE(var)                                                      \
  std::string var##_why;                                                               \
  std::optional<::strata::testing::TestDatabase> var =                                 \
      ::strata::testing::TestDatabase::Create(&var##_why);                             \
  if (!var) {                                                                          \
    if (::strata::testing::PgRequired()) FAIL() << var##_why << " (CI=true: required)"; \
    GTEST_SKIP() << var##_why;                                                         \
  }
