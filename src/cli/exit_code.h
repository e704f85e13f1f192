// The exit codes of the command line contract, and the one place that maps
// a Status to them.
#pragma once

#include "base/status.h"

namespace strata::cli {

enum ExitCode : int {
  kOk = 0,
  kFindings = 1,  // the command worked and found problems (drift, orphans, stale files)
  kUsage = 2,     // bad flags or bad input
};

// Input mistakes are usage errors (2); operational failures of a command
// (database errors, locks, I/O) are reported as 1.
inline int ExitCodeFor(const Status& s) {
  if (s.ok()) return kOk;
  return s.code() == StatusCode::kInvalidInput || s.code() == StatusCode::kNotFound ? kUsage : kFindings;
}

}  // namespace strata::cli
