#include "sqlite/transaction_structure.h"

#include <fmt/format.h>

#include "dialect/statement_kind.h"

namespace strata::sqlite {

bool IsBegin(std::string_view sql) { return TransactionControlOf(sql) == TransactionControl::kBegin; }
bool IsCommit(std::string_view sql) { return TransactionControlOf(sql) == TransactionControl::kCommit; }
bool IsForeignKeysPragma(std::string_view sql) { return LeadingWords(sql, 2) == "PRAGMA FOREIGN_KEYS"; }

std::string TransactionObstacle(std::string_view sql) {
  if (TransactionControlOf(sql) != TransactionControl::kNone) return "it manages its own transaction";
  const std::string w = LeadingWords(sql, 2);
  if (w.starts_with("VACUUM")) return "VACUUM cannot run inside a transaction";
  if (w == "PRAGMA FOREIGN_KEYS") return "PRAGMA foreign_keys has no effect inside a transaction";
  if (w == "PRAGMA JOURNAL_MODE") return "the journal mode cannot change inside a transaction";
  return {};
}

Status CheckTransactionStructure(const ScriptRun& run, const std::vector<ScriptStatement>& statements) {
  if (run.own_transaction) {
    bool begun = false, committed = false;
    for (const ScriptStatement& s : statements) {
      committed = committed || (begun && IsCommit(s.sql));
      begun = begun || IsBegin(s.sql);
    }
    if (begun && committed) return Status::Ok();
    return Status::InvalidInput(fmt::format("{}: its head says it manages its own transaction, but it has no "
                                            "BEGIN followed by COMMIT; restore the generated file or remove the "
                                            "`-- strata:` line", run.file_name));
  }
  for (const ScriptStatement& s : statements)
    if (TransactionControlOf(s.sql) != TransactionControl::kNone)
      return Status::InvalidInput(fmt::format("{}:{}: a hand-written migration must not manage its own "
                                              "transaction (strata runs each file in one); remove this statement",
                                              run.file_name, s.line));
  return Status::Ok();
}

}  // namespace strata::sqlite
