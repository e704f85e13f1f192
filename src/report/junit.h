// JUnit XML, which CI systems display as test results: one test case per
// check (strata check), per table (strata drift) or per step (strata
// verify).
#pragma once

#include <string>
#include <vector>

namespace strata::report {

struct JUnitCase {
  std::string name;
  std::string classname;
  std::vector<std::string> failures;  // empty when it passed
  std::string error;                  // the case could not run
  std::string skipped;                // why it did not run (a step after a failed one)
};

std::string JUnitXml(const std::string& suite, const std::vector<JUnitCase>& cases);

}  // namespace strata::report
