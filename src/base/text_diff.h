// A unified diff of two texts, line by line, as `diff -u` prints it: what an
// edit of a file would change, shown before it is made.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// "--- label\n+++ label\n@@ -12,3 +12,4 @@\n ..." with `context` unchanged
// lines around each change; "" when the texts are the same.
std::string UnifiedDiff(std::string_view label, std::string_view before, std::string_view after, int context = 3);

}  // namespace strata
