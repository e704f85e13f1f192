#include "postgres/postgres_dialect.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "postgres/checks.h"
#include "postgres/connection.h"
#include "postgres/history.h"
#include "postgres/planner.h"
#include "postgres/script.h"
#include "postgres/splitter.h"
#include "postgres/types.h"

namespace strata::postgres {

namespace {

class PostgresDialect final : public Dialect {
 public:
  std::string_view name() const override { return kDialectName; }

  Result<std::unique_ptr<Connection>> Open(const std::string& target, const OpenOptions& options) const override {
    Result<std::unique_ptr<PostgresConnection>> c = PostgresConnection::Open(target, options);
    if (!c.ok()) return c.status();
    return std::unique_ptr<Connection>(std::move(c.value()));
  }

  // What PostgreSQL keeps of a schema: no SQLite table options, and each
  // column's `postgres` override as its type (what the server was given);
  // other dialects' overrides are no part of a PostgreSQL database.
  Schema Normalize(const Schema& schema) const override {
    Schema out = ResolveDialectTypes(schema, kDialectName);
    for (Table& t : out.tables) {
      t.without_rowid = false;
      t.strict = false;
      // The server records the parent's key columns a foreign key points
      // at; inspection reads them back.
      for (ForeignKey& fk : t.foreign_keys)
        if (const Table* parent = out.FindTable(fk.ref_table)) fk.ref_columns = fk.ParentColumns(*parent);
    }
    return out;
  }

  DiffOptions DiffRules() const override { return {.narrows = NarrowsType}; }

  Plan PlanMigration(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                     const MigrationOptions& options) const override {
    // The changes come from a dialect-neutral diff: a column whose only
    // change is another dialect's override has nothing to do here.
    if (!HasDialectTypes(from) && !HasDialectTypes(to)) return PlanChanges(from, to, changes, options);
    return PlanChanges(ResolveDialectTypes(from, kDialectName), ResolveDialectTypes(to, kDialectName),
                       ResolveDialectTypes(changes, kDialectName), options);
  }

  std::string RenderMigration(const Plan& plan, const MigrationHeader& header) const override {
    return RenderMigrationScript(plan, header);
  }

  std::string RenderChecks(const Schema& schema, std::string_view tag) const override {
    return RenderChecksFile(BuildChecks(schema), tag);
  }

  std::vector<SchemaProblem> Problems(const Schema& schema) const override {
    std::vector<SchemaProblem> problems;
    const auto sqlite_only = [&](const SourcePos& pos, const std::string& what, std::string_view sql) {
      if (std::optional<std::string> f = SqliteOnlyConstruct(sql))
        problems.push_back({pos, fmt::format("{}: \"{}\" is SQLite's own; PostgreSQL cannot run this SQL", what, *f)});
    };
    for (const Table& t : schema.tables) {
      const std::string table = fmt::format("table \"{}\"", t.name);
      if (EqualsIgnoreCase(t.name, kHistoryTable))
        problems.push_back({t.pos, table + ": the name is strata's own migration history table"});
      if (t.name.size() > 63) problems.push_back({t.pos, table + ": PostgreSQL names are at most 63 bytes"});
      for (const Column& c : t.columns) {
        const std::string what = fmt::format("column \"{}\".\"{}\"", t.name, c.name);
        if (std::optional<std::string> p = TypeProblem(c)) problems.push_back({c.pos, what + ": " + *p});
        if (std::optional<std::string> p = CollationProblem(c.collation)) problems.push_back({c.pos, what + ": " + *p});
        if (c.default_value && c.default_value->is_sql()) sqlite_only(c.pos, what + " default", c.default_value->sql);
        if (!c.check.empty()) sqlite_only(c.pos, what + " check", c.check);
        if (c.generated) sqlite_only(c.pos, what + " generated expression", c.generated->expr);
        if (c.primary_key && !c.autoincrement && !c.default_value)
          for (const ReferenceRow& r : t.rows)
            if (!r.Find(c.name))
              problems.push_back({r.pos, fmt::format("{} row: no value for primary key column \"{}\"; PostgreSQL "
                                                     "assigns one only to an identity column (autoincrement: true)",
                                                     table, c.name)});
      }
      for (const CheckConstraint& c : t.checks) sqlite_only(c.pos, table + " check", c.expr);
      for (const Index& i : t.indexes) {
        const std::string what = fmt::format("index \"{}\"", i.name);
        if (!i.where.empty()) sqlite_only(i.pos, what, i.where);
        for (const IndexPart& p : i.parts) {
          if (!p.expression.empty()) sqlite_only(i.pos, what, p.expression);
          if (std::optional<std::string> c = CollationProblem(p.collation)) problems.push_back({i.pos, what + ": " + *c});
        }
      }
      for (const Trigger& tr : t.triggers)
        problems.push_back({tr.pos, fmt::format("trigger \"{}\": its body is written in SQLite's dialect (CREATE TRIGGER "
                                                "... BEGIN ... END); PostgreSQL needs a trigger function",
                                                tr.name)});
      for (const DataFix& f : t.data_fixes) sqlite_only(f.pos, fmt::format("data fix \"{}\"", f.name), f.sql);
      // Data checks are not judged here although `strata check` runs them: a
      // check only SQLite can run stops no migration, so it is no reason to
      // refuse the schema (validate, generate and up would all fail). The
      // checks file marks it and `strata check` reports it as that check's
      // error, naming the construct (checks.cc).
    }
    for (const View& v : schema.views) {
      sqlite_only(v.pos, fmt::format("view \"{}\"", v.name), v.sql);
      for (const Trigger& tr : v.triggers)
        problems.push_back({tr.pos, fmt::format("trigger \"{}\": INSTEAD OF triggers in SQLite's dialect have no "
                                                "PostgreSQL form; PostgreSQL needs a trigger function",
                                                tr.name)});
    }
    return problems;
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect() { return std::make_unique<PostgresDialect>(); }

}  // namespace strata::postgres
