// JUnit XML, which CI systems display as test results: one test case per
// check (strata check) or per table (strata drift).
#pragma once

#include <string>
#include <vector>

namespace strata::report {

struct JUnitCase {
  std::string name;
  std::string classname;
  std::vector<std::string> failures;  // empty when it passed
  std::string error;                  // the case could not run
};

std::string JUnitXml(const std::string& suite, const std::vector<JUnitCase>& cases);

}  // namespace strata::report
