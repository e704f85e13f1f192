#include "dialect/statement_kind.h"

#include <cctype>

#include "base/strings.h"

namespace strata {

std::string LeadingWords(std::string_view sql, int count) {
  std::string out;
  size_t i = 0;
  for (int n = 0; n < count; ++n) {
    while (i < sql.size()) {  // blanks and comments
      if (std::isspace(static_cast<unsigned char>(sql[i]))) {
        ++i;
      } else if (sql.substr(i, 2) == "--") {
        const size_t end = sql.find('\n', i);
        i = end == std::string_view::npos ? sql.size() : end;
      } else if (sql.substr(i, 2) == "/*") {
        const size_t end = sql.find("*/", i + 2);
        i = end == std::string_view::npos ? sql.size() : end + 2;
      } else {
        break;
      }
    }
    size_t j = i;
    while (j < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
    if (j == i) break;
    if (!out.empty()) out += ' ';
    out += AsciiUpper(sql.substr(i, j - i));
    i = j;
  }
  return out;
}

TransactionControl TransactionControlOf(std::string_view sql) {
  const std::string w = LeadingWords(sql, 2);
  const std::string first = w.substr(0, w.find(' '));
  if (first == "BEGIN" || w == "START TRANSACTION") return TransactionControl::kBegin;
  if (first == "COMMIT" || first == "END") return TransactionControl::kCommit;
  if (first == "SAVEPOINT" || first == "RELEASE" || w == "ROLLBACK TO") return TransactionControl::kSavepoint;
  // ROLLBACK TRANSACTION TO SAVEPOINT s is SQLite's long form.
  if (first == "ROLLBACK" && LeadingWords(sql, 3).ends_with(" TO")) return TransactionControl::kSavepoint;
  if (first == "ROLLBACK" || first == "ABORT") return TransactionControl::kRollback;
  return TransactionControl::kNone;
}

}  // namespace strata
