// Renders diagnostics for people (GCC style) and machines (JSON).
#pragma once

#include <string>

#include "base/diagnostic.h"

namespace strata::report {

// One diagnostic per line (notes on their own lines), sorted by position,
// and a last line counting errors and warnings.
std::string DiagnosticsText(const Diagnostics& diagnostics);

// {"ok": bool, "errors": n, "warnings": n, "diagnostics": [{"file", "line",
// "column", "severity", "message", "notes": [...]}]}
std::string DiagnosticsJson(const Diagnostics& diagnostics);

}  // namespace strata::report
