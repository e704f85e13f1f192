// The drift report (`strata drift`) as text, JSON and JUnit XML, from the
// same values.
#pragma once

#include <string>
#include <vector>

#include "diff/drift.h"

namespace strata::report {

struct DriftReport {
  std::string database;  // as the user named it
  std::string tag;
  std::vector<std::string> expected_tables;  // each is a JUnit case, drifted or not
  std::vector<DriftItem> items;
};

std::string DriftText(const DriftReport& report);
std::string DriftJson(const DriftReport& report);
std::string DriftJunit(const DriftReport& report);

}  // namespace strata::report
