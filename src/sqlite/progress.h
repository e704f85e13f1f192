// Progress of a long statement while a migration runs: SQLite's progress
// handler calls back every kProgressSteps virtual machine steps, and a copy
// (`INSERT INTO ... SELECT ... FROM source`, as a table rebuild does) is
// measured in rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "dialect/connection.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// For a copy: the rows of the source, and the virtual machine steps one row
// takes, which are the instructions of the loop in the statement's EXPLAIN
// (Rewind to its Next). All zero for any other statement.
struct CopyEstimate {
  int64_t rows = 0;
  int64_t steps_per_row = 0;
};

// Runs a count(*) over the copy's source: only called when someone listens.
CopyEstimate EstimateCopy(Database& db, const std::string& sql);

// SQLite calls the handler once every kProgressSteps virtual machine steps
// (the statement's own step counter is only updated when a step returns).
constexpr int kProgressSteps = 100000;

struct ProgressState {
  const ProgressCallback* callback;
  const std::string* file;
  const std::string* statement;
  std::chrono::steady_clock::time_point start;
  CopyEstimate copy;
  int64_t calls = 0;
};

// The sqlite3_progress_handler callback; `arg` is a ProgressState.
int OnProgress(void* arg);

}  // namespace strata::sqlite
