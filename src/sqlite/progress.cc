#include "sqlite/progress.h"

#include <algorithm>
#include <vector>

#include "sqlite/sql_lexer.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

CopyEstimate EstimateCopy(Database& db, const std::string& sql) {
  const std::vector<SqlToken> tokens = TokenizeSql(sql);
  if (tokens.size() < 4 || !tokens[0].IsWord("INSERT")) return {};
  std::string source;
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (tokens[i].depth == 0 && tokens[i].IsWord("FROM") && tokens[i + 1].type == SqlToken::kIdent)
      source = tokens[i + 1].text;
  if (source.empty()) return {};
  CopyEstimate estimate;
  Result<int64_t> rows = db.QueryInt("SELECT count(*) FROM " + QuoteIdentifier(source));
  Result<Statement> plan = db.Prepare("EXPLAIN " + sql);
  if (!rows.ok() || !plan.ok()) return {};
  int64_t loop_start = -1;
  for (;;) {
    Result<bool> row = plan->Step();
    if (!row.ok() || !*row) break;
    const std::string opcode = plan->Text(1);
    const int64_t address = plan->Int(0), jump = plan->Int(3);
    if (loop_start < 0 && (opcode == "Rewind" || opcode == "Last")) loop_start = address;
    if (loop_start >= 0 && (opcode == "Next" || opcode == "Prev") && jump > loop_start && jump <= address)
      estimate.steps_per_row = address - loop_start;
  }
  if (estimate.steps_per_row <= 0) return {};
  estimate.rows = *rows;
  return estimate;
}

int OnProgress(void* arg) {
  auto* state = static_cast<ProgressState*>(arg);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - state->start;
  Progress progress{*state->file, *state->statement, elapsed.count(), 0, state->copy.rows};
  ++state->calls;
  if (state->copy.steps_per_row > 0)
    progress.rows_done = std::min(state->copy.rows, state->calls * kProgressSteps / state->copy.steps_per_row);
  (*state->callback)(progress);
  return 0;
}


}  // namespace strata::sqlite
