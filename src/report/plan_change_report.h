// How the declared queries' plans change between two schema states
// (`strata explain --base`): text for a person, JSON, and JUnit with one
// test case per query, failed when its plan got worse.
#pragma once

#include <string>
#include <vector>

#include "dialect/index_plan.h"

namespace strata::report {

struct PlanChangeReport {
  std::string base;  // "tag \"phase3\"" or the database the base came from
  std::string tag;   // the tag compared with it
  std::vector<PlanChange> changes;
};

std::string PlanChangeText(const PlanChangeReport& report);
std::string PlanChangeJson(const PlanChangeReport& report);
std::string PlanChangeJunit(const PlanChangeReport& report);

}  // namespace strata::report
