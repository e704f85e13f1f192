// Diagnostic: one problem found in user input (YAML, flags, hand-edited
// files), with the position it refers to. Diagnostics are collected, never
// thrown, so a user sees every mistake in one run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/source_pos.h"

namespace strata {

enum class Severity { kError, kWarning, kNote };

struct Note {
  SourcePos pos;
  std::string message;
  friend bool operator==(const Note&, const Note&) = default;
};

struct Diagnostic {
  SourcePos pos;
  Severity severity = Severity::kError;
  std::string message;
  std::vector<Note> notes;  // e.g. "first defined here" at the other position

  // GCC style: "file:line:col: error: message", then one line per note.
  std::string ToString() const;
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

std::string_view SeverityName(Severity s);

// An ordered collection. Adding the same diagnostic twice keeps one: the
// schema is validated once per tag, and an error present at every tag must
// be reported once.
class Diagnostics {
 public:
  void Error(SourcePos pos, std::string message, std::vector<Note> notes = {});
  void Warning(SourcePos pos, std::string message, std::vector<Note> notes = {});
  void Add(Diagnostic d);
  void Append(const Diagnostics& other);

  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }

  // Sorted by file, line, column, then insertion order, so output is stable.
  std::vector<Diagnostic> Sorted() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

}  // namespace strata
