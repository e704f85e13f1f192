#include "report/diagnostics_report.h"

#include <fmt/format.h>

#include "base/json.h"

namespace strata::report {

std::string DiagnosticsText(const Diagnostics& diagnostics) {
  std::string out;
  int warnings = 0;
  for (const Diagnostic& d : diagnostics.Sorted()) {
    out += d.ToString() + "\n";
    if (d.severity == Severity::kWarning) ++warnings;
  }
  if (diagnostics.error_count() > 0 || warnings > 0)
    out += fmt::format("{} error(s), {} warning(s)\n", diagnostics.error_count(), warnings);
  return out;
}

static void WritePos(JsonWriter& json, const SourcePos& pos) {
  json.Key("file").String(pos.file);
  json.Key("line").Int(pos.line);
  json.Key("column").Int(pos.column);
}

std::string DiagnosticsJson(const Diagnostics& diagnostics) {
  JsonWriter json;
  int warnings = 0;
  for (const Diagnostic& d : diagnostics.items()) warnings += d.severity == Severity::kWarning;
  json.BeginObject();
  json.Key("ok").Bool(!diagnostics.has_errors());
  json.Key("errors").Int(diagnostics.error_count());
  json.Key("warnings").Int(warnings);
  json.Key("diagnostics").BeginArray();
  for (const Diagnostic& d : diagnostics.Sorted()) {
    json.BeginObject();
    WritePos(json, d.pos);
    json.Key("severity").String(SeverityName(d.severity));
    json.Key("message").String(d.message);
    json.Key("notes").BeginArray();
    for (const Note& n : d.notes) {
      json.BeginObject();
      WritePos(json, n.pos);
      json.Key("message").String(n.message);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace strata::report
