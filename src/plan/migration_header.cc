#include "plan/migration_header.h"

#include <fmt/format.h>

#include "plan/sql_layout.h"

namespace strata {

namespace {

constexpr std::string_view kFirstLine = "-- strata migration ";
constexpr std::string_view kFacts = "-- strata: ";
constexpr std::string_view kChanges = "-- changes: ";
constexpr std::string_view kDestructive = "-- DESTRUCTIVE: ";
constexpr std::string_view kIrreversible = "-- IRREVERSIBLE: ";
constexpr std::string_view kOwnTransaction = "own-transaction";
constexpr std::string_view kOutsideTransaction = "outside-transaction-steps";
constexpr std::string_view kDataFixes = "data-fixes";
constexpr std::string_view kHandWritten = ", hand-written";

// The first line of a step's comment, short enough for a summary line.
std::string Summary(const std::string& comment) {
  std::string line = comment.substr(0, comment.find('\n'));
  if (line.size() > 100) line = line.substr(0, 97) + "...";
  return line;
}

}  // namespace

void AppendComment(std::string& out, std::string_view text) {
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    // Long prose (a data fix's reason) is cut at spaces into lines of
    // about kSqlLineWidth; a word longer than that stays whole.
    while (line.size() + 3 > kSqlLineWidth) {
      const size_t cut = line.rfind(' ', kSqlLineWidth - 3);
      if (cut == std::string_view::npos || cut == 0) break;
      out += "-- ";
      out += line.substr(0, cut);
      out += "\n";
      line.remove_prefix(cut + 1);
    }
    out += "-- ";
    out += line;
    out += "\n";
    start = end + 1;
  }
}

std::string RenderMigrationHeader(const MigrationHeader& header, const Plan& plan, std::string_view how_to_run) {
  std::string out;
  if (header.versioned)
    out += fmt::format("{}{} ({}), tag \"{}\"{}\n", kFirstLine, header.file_name, header.up ? "up" : "down", header.tag,
                       header.hand_written ? kHandWritten : "");
  AppendComment(out, how_to_run);
  bool outside = false;
  for (const Step& step : plan.steps) outside = outside || step.outside_transaction;
  if (!header.hand_written)
    out += fmt::format("{}{}{}{}\n", kFacts, kOwnTransaction, outside ? fmt::format(", {}", kOutsideTransaction) : "",
                       plan.data_fixes.empty() ? "" : fmt::format(", {}", kDataFixes));
  for (const Step& step : plan.data_fixes) out += fmt::format("{}{}\n", kChanges, Summary(step.comment));
  for (const Step& step : plan.steps) out += fmt::format("{}{}\n", kChanges, Summary(step.comment));
  for (const std::string& d : plan.destructive_changes) out += fmt::format("{}{}\n", kDestructive, d);
  for (const std::string& n : plan.irreversible_notes) out += fmt::format("{}{}\n", kIrreversible, n);
  out += "\n";
  return out;
}

MigrationFacts ReadMigrationFacts(std::string_view sql) {
  MigrationFacts facts;
  facts.generated = sql.starts_with(kFirstLine) && !sql.substr(0, sql.find('\n')).ends_with(kHandWritten);
  for (size_t start = 0; start < sql.size();) {
    size_t end = sql.find('\n', start);
    if (end == std::string_view::npos) end = sql.size();
    const std::string_view line = sql.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("--")) break;  // the head ends at the first statement or blank line
    if (line.starts_with(kDestructive)) facts.destructive.emplace_back(line.substr(kDestructive.size()));
    if (line.starts_with(kIrreversible)) facts.irreversible.emplace_back(line.substr(kIrreversible.size()));
    if (line.starts_with(kFacts)) {
      const std::string_view flags = line.substr(kFacts.size());
      facts.own_transaction = flags.find(kOwnTransaction) != std::string_view::npos;
      facts.outside_transaction = flags.find(kOutsideTransaction) != std::string_view::npos;
      facts.data_fixes = flags.find(kDataFixes) != std::string_view::npos;
    }
    if (line.starts_with(kFirstLine)) {
      const size_t at = line.rfind("tag \"");
      const size_t close = at == std::string_view::npos ? at : line.find('"', at + 5);
      if (close != std::string_view::npos) facts.tag = std::string(line.substr(at + 5, close - at - 5));
    }
  }
  return facts;
}

}  // namespace strata
