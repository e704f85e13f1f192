// What a migration file does with transactions, read from its statements:
// strata runs a hand-written file inside a transaction of its own, so the
// file must not begin or end one; a generated file manages its own and must
// have the BEGIN and COMMIT it claims.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "dialect/connection.h"
#include "sqlite/statement_split.h"

namespace strata::sqlite {

// A statement upper-cased, its whitespace runs made single spaces and its
// semicolons dropped, for the prefix tests below.
std::string Normalized(const std::string& sql);

// Of a Normalized statement: BEGIN, COMMIT (or END), PRAGMA foreign_keys.
bool IsBegin(const std::string& n);
bool IsCommit(const std::string& n);
bool IsForeignKeysPragma(const std::string& n);

// Why a Normalized statement cannot run inside the single transaction of
// ApplyAll, or "" when it can.
std::string TransactionObstacle(const std::string& n);

// A hand-written file runs inside strata's transaction: its own BEGIN or
// COMMIT would end it early (a partial commit, a file never recorded).
// A file whose head says it manages its own transaction (a generated one)
// must have the structure it claims: a BEGIN, then a COMMIT.
Status CheckTransactionStructure(const ScriptRun& run, const std::vector<ScriptStatement>& statements);

}  // namespace strata::sqlite
