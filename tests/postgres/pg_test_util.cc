#include "pg_test_util.h"

#include <sys/wait.h>

#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "migrate/runner.h"
#include "plan/migration_header.h"
#include "postgres/pg.h"
#include "test_util.h"

namespace strata::testing {

bool PgRequired() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

ScriptRun FileRun(const std::string& file, int64_t version, bool up, const std::string& sql) {
  const MigrationFacts facts = ReadMigrationFacts(sql);
  return {.file_name = file, .version = version, .name = "after", .tag = facts.tag.empty() ? "after" : facts.tag, .up = up,
          .sql = sql, .checksum = Checksum(sql), .own_transaction = facts.own_transaction,
          .outside_transaction = facts.outside_transaction};
}

std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + name;  // conninfo: the last keyword wins
  const size_t path = url.find('/', scheme + 3);
  const size_t query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    const size_t at = query == std::string::npos ? url.size() : query;
    return url.substr(0, at) + "/" + name + url.substr(at);
  }
  const size_t end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path + 1) + name + url.substr(end);
}

std::optional<TestDatabase> TestDatabase::Create(std::string* why) {
  const char* server = std::getenv("STRATA_TEST_PG");
  if (!server || !*server) {
    *why = "STRATA_TEST_PG is not set: no PostgreSQL server, so the PostgreSQL tests skip (scripts/test starts one)";
    return std::nullopt;
  }
  Result<postgres::PgSession> admin = postgres::PgSession::Connect(server);
  if (!admin.ok()) {
    *why = "PostgreSQL server unreachable: " + admin.status().message();
    return std::nullopt;
  }
  std::random_device random;
  const std::string name = fmt::format("strata_test_{:08x}{:08x}", random(), random());
  if (Status s = admin->Exec("CREATE DATABASE " + name); !s.ok()) {
    *why = "cannot create a test database: " + s.message();
    return std::nullopt;
  }
  return TestDatabase(server, name, WithDatabase(server, name));
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  Result<postgres::PgSession> admin = postgres::PgSession::Connect(server_);
  if (admin.ok()) (void)admin->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

int RunPsql(const std::string& url, const std::string& sql, std::string* err) {
  TempDir dir;
  auto script = dir.Write("script.sql", sql);
  const std::string command = "psql -X -q -v ON_ERROR_STOP=1 -d '" + url + "' -f '" + script.string() +
                              "' >/dev/null 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  if (err) *err = ReadFile(dir / "err");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string PgQuery(const std::string& url, const std::string& sql) {
  Result<postgres::PgSession> session = postgres::PgSession::Connect(url);
  if (!session.ok()) return "error: " + session.status().message();
  Result<postgres::PgResult> r = session->Query(sql);
  if (!r.ok()) return "error: " + r.status().message();
  std::string out;
  for (int row = 0; row < r->rows(); ++row) {
    if (row) out += "\n";
    for (int c = 0; c < r->columns(); ++c) out += (c ? "|" : "") + (r->IsNull(row, c) ? std::string("NULL") : r->Text(row, c));
  }
  return out;
}

}  // namespace strata::testing
