#include "sqlite/transaction_structure.h"

#include <cctype>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata::sqlite {

std::string Normalized(const std::string& sql) {
  std::string out;
  bool space = false;
  for (char c : Trim(sql)) {
    if (c == ';') continue;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsBegin(const std::string& n) { return n == "BEGIN" || n.starts_with("BEGIN "); }
bool IsCommit(const std::string& n) { return n == "COMMIT" || n == "END" || n.starts_with("COMMIT ") || n.starts_with("END "); }
bool IsForeignKeysPragma(const std::string& n) { return n.starts_with("PRAGMA FOREIGN_KEYS"); }

std::string TransactionObstacle(const std::string& n) {
  if (IsBegin(n) || IsCommit(n) || n.starts_with("ROLLBACK") || n.starts_with("SAVEPOINT") ||
      n.starts_with("RELEASE"))
    return "it manages its own transaction";
  if (n.starts_with("VACUUM")) return "VACUUM cannot run inside a transaction";
  if (IsForeignKeysPragma(n)) return "PRAGMA foreign_keys has no effect inside a transaction";
  if (n.starts_with("PRAGMA JOURNAL_MODE")) return "the journal mode cannot change inside a transaction";
  return {};
}

Status CheckTransactionStructure(const ScriptRun& run, const std::vector<ScriptStatement>& statements) {
  if (run.own_transaction) {
    bool begun = false, committed = false;
    for (const ScriptStatement& s : statements) {
      const std::string n = Normalized(s.sql);
      committed = committed || (begun && IsCommit(n));
      begun = begun || IsBegin(n);
    }
    if (begun && committed) return Status::Ok();
    return Status::InvalidInput(fmt::format("{}: its head says it manages its own transaction, but it has no "
                                            "BEGIN followed by COMMIT; restore the generated file or remove the "
                                            "`-- strata:` line", run.file_name));
  }
  for (const ScriptStatement& s : statements)
    if (TransactionObstacle(Normalized(s.sql)) == "it manages its own transaction")
      return Status::InvalidInput(fmt::format("{}:{}: a hand-written migration must not manage its own "
                                              "transaction (strata runs each file in one); remove this statement",
                                              run.file_name, s.line));
  return Status::Ok();
}

}  // namespace strata::sqlite
