#include "base/diagnostic.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

TEST(Diagnostic, PrintsGccStyleWithNotes) {
  Diagnostic d{{"schema/a.yaml", 12, 5}, Severity::kError, "duplicate column \"email\"",
               {{{"schema/a.yaml", 8, 5}, "first defined here"}}};
  EXPECT_EQ(d.ToString(),
            "schema/a.yaml:12:5: error: duplicate column \"email\"\n"
            "schema/a.yaml:8:5: note: first defined here");
}

TEST(Diagnostics, KeepsOneOfIdenticalDiagnosticsAndSortsByPosition) {
  Diagnostics ds;
  ds.Error({"b.yaml", 1, 1}, "x");
  ds.Error({"a.yaml", 9, 1}, "y");
  ds.Error({"a.yaml", 2, 3}, "z");
  ds.Error({"b.yaml", 1, 1}, "x");  // the same problem seen at a second tag
  ds.Warning({"a.yaml", 2, 1}, "w");
  EXPECT_EQ(ds.error_count(), 3);
  std::vector<Diagnostic> sorted = ds.Sorted();
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(sorted[0].message, "w");
  EXPECT_EQ(sorted[1].message, "z");
  EXPECT_EQ(sorted[2].message, "y");
  EXPECT_EQ(sorted[3].message, "x");
}

}  // namespace
}  // namespace strata
