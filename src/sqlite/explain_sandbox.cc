#include "sqlite/explain_sandbox.h"

#include "sqlite/query_plan.h"

namespace strata::sqlite {

Result<Sandbox> Sandbox::Create(Database& live) {
  Result<Database> mem = Database::Open(":memory:");
  if (!mem.ok()) return mem.status();
  // Foreign keys and CHECKs play no part in plans; a table whose module
  // is missing here (a virtual table) is simply left out.
  Result<Statement> ddl = live.Prepare(
      "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'index', rowid");
  if (!ddl.ok()) return ddl.status();
  for (;;) {
    Result<bool> row = ddl->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    (void)mem->Exec(ddl->Text(0));
  }
  // Statistics change plans; without them both databases assume the same
  // default sizes.
  Result<int64_t> has_stat = live.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'");
  if (!has_stat.ok()) return has_stat.status();
  if (*has_stat > 0) {
    if (Status s = mem->Exec("ANALYZE; DELETE FROM sqlite_stat1;"); !s.ok()) return s;
    Result<Statement> rows = live.Prepare("SELECT tbl, idx, stat FROM sqlite_stat1");
    if (!rows.ok()) return rows.status();
    Result<Statement> insert = mem->Prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)");
    if (!insert.ok()) return insert.status();
    for (;;) {
      Result<bool> row = rows->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      (void)insert->Reset();
      (void)insert->Bind(1, rows->Text(0));
      if (rows->IsNull(1)) {
        (void)insert->BindNull(2);
      } else {
        (void)insert->Bind(2, rows->Text(1));
      }
      (void)insert->Bind(3, rows->Text(2));
      if (Result<bool> done = insert->Step(); !done.ok()) return done.status();
    }
    if (Status s = mem->Exec("ANALYZE sqlite_schema"); !s.ok()) return s;
  }
  return Sandbox(std::move(mem.value()));
}

Result<std::vector<PlanStep>> Sandbox::PlanWith(const std::string& create_index, const std::string& sql,
                                                const std::vector<std::string>& tables) {
  if (Status s = db_.Exec("SAVEPOINT strata_explain"); !s.ok()) return s;
  Status created = db_.Exec(create_index);
  Result<std::vector<PlanStep>> plan = created.ok() ? ExplainQueryPlan(db_, sql, tables) : Result<std::vector<PlanStep>>(created);
  // ROLLBACK TO keeps the savepoint open; RELEASE ends it.
  if (Status s = db_.Exec("ROLLBACK TO strata_explain; RELEASE strata_explain"); !s.ok()) return s;
  return plan;
}

}  // namespace strata::sqlite
