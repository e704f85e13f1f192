#include "base/diagnostic.h"

#include <algorithm>

#include <fmt/format.h>

namespace strata {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

static std::string Prefix(const SourcePos& pos) {
  std::string where = pos.ToString();
  return where.empty() ? std::string() : where + ": ";
}

std::string Diagnostic::ToString() const {
  std::string out = fmt::format("{}{}: {}", Prefix(pos), SeverityName(severity), message);
  for (const Note& n : notes) out += fmt::format("\n{}note: {}", Prefix(n.pos), n.message);
  return out;
}

void Diagnostics::Error(SourcePos pos, std::string message, std::vector<Note> notes) {
  Add({std::move(pos), Severity::kError, std::move(message), std::move(notes)});
}

void Diagnostics::Warning(SourcePos pos, std::string message, std::vector<Note> notes) {
  Add({std::move(pos), Severity::kWarning, std::move(message), std::move(notes)});
}

void Diagnostics::Add(Diagnostic d) {
  if (std::find(items_.begin(), items_.end(), d) != items_.end()) return;
  if (d.severity == Severity::kError) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::Append(const Diagnostics& other) {
  for (const Diagnostic& d : other.items_) Add(d);
}

std::vector<Diagnostic> Diagnostics::Sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos < b.pos;
  });
  return out;
}

}  // namespace strata
