// The integrity-check report (`strata check`) as text, JSON and JUnit XML,
// from the same values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dialect/integrity.h"

namespace strata::report {

struct CheckReport {
  std::string database;  // as the user named it
  std::string tag;
  std::vector<CheckResult> results;
  int failed() const;
};

std::string CheckText(const CheckReport& report);
std::string CheckJson(const CheckReport& report);
std::string CheckJunit(const CheckReport& report);

}  // namespace strata::report
