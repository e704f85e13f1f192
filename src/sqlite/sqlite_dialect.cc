#include "sqlite/sqlite_dialect.h"

#include <fmt/format.h>

#include "sqlite/checks.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/planner.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  Schema Normalize(const Schema& schema) const override { return AsInspected(schema); }

  DiffOptions DiffRules() const override { return {.same_sql = SameSql}; }

  Plan PlanMigration(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                     const MigrationOptions& options) const override {
    return PlanChanges(from, to, changes, options);
  }

  std::string RenderMigration(const Plan& plan, const MigrationHeader& h) const override {
    return RenderMigrationScript(plan, ScriptInfo{h.file_name, h.version, h.name, h.tag, h.up, h.previous_version, h.versioned});
  }

  std::string RenderChecks(const Schema& schema, std::string_view tag) const override {
    return RenderChecksFile(BuildChecks(schema), tag);
  }

  // Creates the schema in an in-memory database and reads every view.
  std::vector<std::string> Problems(const Schema& schema) const override {
    Result<Database> db = Database::Open(":memory:");
    if (!db.ok()) return {db.status().message()};
    if (Status s = db->Exec(CreateSchemaSql(schema)); !s.ok()) return {s.message()};
    std::vector<std::string> problems;
    for (const View& v : schema.views)
      if (Result<Statement> read = db->Prepare("SELECT * FROM " + QuoteIdentifier(v.name) + " LIMIT 0"); !read.ok())
        problems.push_back(fmt::format("view \"{}\": {}", v.name,
                                       read.status().message().substr(0, read.status().message().find(" in: "))));
    return problems;
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect() { return std::make_unique<SqliteDialect>(); }

}  // namespace strata::sqlite
