// The verify report (`strata verify`) as text, JSON and JUnit XML, from the
// same values: one line, object or test case per step.
#pragma once

#include <string>

#include "migrate/verify.h"

namespace strata::report {

// `database` is the snapshot as the user named it.
std::string VerifyText(const std::string& database, const VerifyReport& report);
std::string VerifyJson(const std::string& database, const VerifyReport& report);
std::string VerifyJunit(const VerifyReport& report);

}  // namespace strata::report
