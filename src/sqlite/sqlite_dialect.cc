#include "sqlite/sqlite_dialect.h"

#include "sqlite/checks.h"
#include "sqlite/planner.h"
#include "sqlite/script.h"

namespace strata::sqlite {

namespace {

class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  Plan PlanMigration(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                     const MigrationOptions& options) const override {
    return PlanChanges(from, to, changes, options);
  }

  std::string RenderMigration(const Plan& plan, const MigrationHeader& h) const override {
    return RenderMigrationScript(plan, ScriptInfo{h.file_name, h.version, h.name, h.tag, h.up, h.previous_version});
  }

  std::string RenderChecks(const Schema& schema, std::string_view tag) const override {
    return RenderChecksFile(BuildChecks(schema), tag);
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect() { return std::make_unique<SqliteDialect>(); }

}  // namespace strata::sqlite
