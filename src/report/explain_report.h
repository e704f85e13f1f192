// The index-plan report (`strata explain`) as text for a person and as
// JSON, from the same values. The report's notes (when there are any) come
// first in both: they say how far the plans can be trusted.
#pragma once

#include <string>
#include <string_view>

#include "dialect/index_plan.h"

namespace strata::report {

std::string ExplainText(const ExplainReport& report);
std::string ExplainJson(const ExplainReport& report, std::string_view tag);

}  // namespace strata::report
