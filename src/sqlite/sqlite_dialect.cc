#include "sqlite/sqlite_dialect.h"

#include <fmt/format.h>

#include "base/strings.h"

#include "sqlite/checks.h"
#include "sqlite/connection.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/planner.h"
#include "sqlite/script.h"
#include "sqlite/sql_writer.h"
#include "sqlite/types.h"

namespace strata::sqlite {

namespace {

class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  Result<std::unique_ptr<Connection>> Open(const std::string& target, const OpenOptions& options) const override {
    Result<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(target, options);
    if (!connection.ok()) return connection.status();
    return std::unique_ptr<Connection>(std::move(connection.value()));
  }

  Result<std::unique_ptr<Connection>> OpenScratch() const override {
    return Open(":memory:", {.create = true});
  }

  Schema Normalize(const Schema& schema) const override { return AsInspected(schema); }

  DiffOptions DiffRules() const override { return {.same_sql = SameSql, .narrows = NarrowsAffinity}; }

  Plan PlanMigration(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                     const MigrationOptions& options) const override {
    // The planner reads column types directly (postchecks compare them with
    // pragma_table_info), so it is given the types SQLite is given; and the
    // changes come from a dialect-neutral diff, in which another dialect's
    // override can be a column's only change. Most schemas have no
    // override at all, and copying a 1,000-table schema twice is not free.
    if (!HasDialectTypes(from) && !HasDialectTypes(to)) return PlanChanges(from, to, changes, options);
    return PlanChanges(ResolveDialectTypes(from, kDialectName), ResolveDialectTypes(to, kDialectName),
                       ResolveDialectTypes(changes, kDialectName), options);
  }

  std::string RenderMigration(const Plan& plan, const MigrationHeader& h) const override {
    return RenderMigrationScript(plan, h);
  }

  std::string RenderChecks(const Schema& schema, std::string_view tag) const override {
    return RenderChecksFile(BuildChecks(schema), tag);
  }

  // Creates the schema in an in-memory database, one statement at a time
  // through SQLite's own parser, and reads every view.
  std::vector<SchemaProblem> Problems(const Schema& schema) const override {
    std::vector<SchemaProblem> problems;
    Result<Database> db = Database::Open(":memory:");
    if (!db.ok()) return {{{}, db.status().message()}};
    const auto run = [&](const SourcePos& pos, const std::string& what, const std::string& sql) {
      Status s = db->ExecSingle(sql);
      if (!s.ok()) problems.push_back({pos, fmt::format("{}: {}", what, s.message().substr(0, s.message().find(" in: ")))});
      return s.ok();
    };
    // A CREATE TRIGGER or CREATE VIEW must make the object its YAML names.
    const auto made = [&](const SourcePos& pos, const std::string& what, std::string_view type, const std::string& name,
                          const std::string& on) {
      Result<int64_t> n = db->QueryInt(fmt::format(
          "SELECT count(*) FROM sqlite_schema WHERE type = {} AND name = {} COLLATE NOCASE AND tbl_name = {} COLLATE NOCASE",
          QuoteString(type), QuoteString(name), QuoteString(on)));
      if (n.ok() && *n == 0)
        problems.push_back({pos, fmt::format("{}: its sql must create the {} \"{}\" on \"{}\"", what, type, name, on)});
    };
    std::vector<const Table*> created;
    for (const Table& t : schema.tables) {
      const std::string what = fmt::format("table \"{}\"", t.name);
      if (EqualsIgnoreCase(t.name, kHistoryTable)) {
        problems.push_back({t.pos, fmt::format("{}: the name is strata's own migration history table", what)});
        continue;
      }
      if (!run(t.pos, what, CreateTableSql(t))) continue;
      created.push_back(&t);
      for (const Index& i : t.indexes) run(i.pos, fmt::format("index \"{}\"", i.name), CreateIndexSql(t, i));
      for (const ReferenceRow& r : t.rows) run(r.pos, what + " row", InsertRowSql(t, r));
      for (const DataFix& f : t.data_fixes) CheckDataFix(f, problems);
    }
    for (const Table* t : created)
      for (const Trigger& tr : t->triggers) {
        const std::string what = fmt::format("trigger \"{}\"", tr.name);
        if (run(tr.pos, what, tr.sql)) made(tr.pos, what, "trigger", tr.name, t->name);
      }
    for (const View& v : schema.views) {
      const std::string what = fmt::format("view \"{}\"", v.name);
      if (!run(v.pos, what, v.sql)) continue;
      made(v.pos, what, "view", v.name, v.name);
      if (Result<Statement> read = db->Prepare("SELECT * FROM " + QuoteIdentifier(v.name) + " LIMIT 0"); !read.ok())
        problems.push_back({v.pos, fmt::format("{}: {}", what,
                                               read.status().message().substr(0, read.status().message().find(" in: ")))});
      for (const Trigger& tr : v.triggers) {
        const std::string trigger = fmt::format("trigger \"{}\"", tr.name);
        if (run(tr.pos, trigger, tr.sql)) made(tr.pos, trigger, "trigger", tr.name, v.name);
      }
    }
    for (const Query& q : schema.queries) {
      const std::vector<SqlToken> tokens = TokenizeSql(q.sql);
      if (tokens.empty() || !(tokens[0].IsWord("SELECT") || tokens[0].IsWord("WITH") || tokens[0].IsWord("VALUES")))
        problems.push_back({q.pos, fmt::format("query \"{}\": a declared query must be one SELECT", q.name)});
      else
        run(q.pos, fmt::format("query \"{}\"", q.name), q.sql);
    }
    return problems;
  }

 private:
  // A data fix repairs rows: DML only, never DDL, PRAGMA, ATTACH or
  // transaction control, which would escape the migration's guards.
  static void CheckDataFix(const DataFix& f, std::vector<SchemaProblem>& problems) {
    if (f.sql.find('\0') != std::string::npos) {
      problems.push_back({f.pos, fmt::format("data fix \"{}\": SQL text holds a NUL byte", f.name)});
      return;
    }
    for (const ScriptStatement& statement : SplitStatements(f.sql)) {
      const std::vector<SqlToken> tokens = TokenizeSql(statement.sql);
      if (tokens.empty()) continue;
      const SqlToken& first = tokens[0];
      if (!(first.IsWord("INSERT") || first.IsWord("UPDATE") || first.IsWord("DELETE") || first.IsWord("REPLACE") ||
            first.IsWord("WITH"))) {
        problems.push_back({f.pos, fmt::format("data fix \"{}\": the statement at line {} of its sql starts with \"{}\"; a data fix holds "
                                               "INSERT, UPDATE, DELETE or REPLACE statements only",
                                               f.name, statement.line, first.text)});
        return;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect() { return std::make_unique<SqliteDialect>(); }

}  // namespace strata::sqlite
