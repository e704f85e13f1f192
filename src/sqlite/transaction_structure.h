// What a migration file does with transactions, read from its statements:
// strata runs a hand-written file inside a transaction of its own, so the
// file must not begin or end one; a generated file manages its own and must
// have the BEGIN and COMMIT it claims.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dialect/connection.h"
#include "sqlite/statement_split.h"

namespace strata::sqlite {

// Of a statement (comments before it do not hide what it is): BEGIN,
// COMMIT (or END), PRAGMA foreign_keys.
bool IsBegin(std::string_view sql);
bool IsCommit(std::string_view sql);
bool IsForeignKeysPragma(std::string_view sql);

// Why a statement cannot run inside the single transaction of ApplyAll,
// or "" when it can.
std::string TransactionObstacle(std::string_view sql);

// A hand-written file runs inside strata's transaction: its own BEGIN or
// COMMIT would end it early (a partial commit, a file never recorded).
// A file whose head says it manages its own transaction (a generated one)
// must have the structure it claims: a BEGIN, then a COMMIT.
Status CheckTransactionStructure(const ScriptRun& run, const std::vector<ScriptStatement>& statements);

}  // namespace strata::sqlite
