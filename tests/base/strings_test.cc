#include "base/strings.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("nullable", "nullable"), 0u);
  EXPECT_EQ(EditDistance("nulable", "nullable"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(NearestWord, SuggestsOnlyPlausibleTypos) {
  std::vector<std::string> keys = {"name", "type", "nullable", "default", "description"};
  EXPECT_EQ(NearestWord("nulable", keys), "nullable");
  EXPECT_EQ(NearestWord("Typ", keys), "type");
  EXPECT_EQ(NearestWord("descripton", keys), "description");
  EXPECT_EQ(NearestWord("zzzzzzzz", keys), "");
}

TEST(JoinQuoted, ReadsLikeEnglish) {
  EXPECT_EQ(JoinQuoted({"a"}), "\"a\"");
  EXPECT_EQ(JoinQuoted({"a", "b", "c"}), "\"a\", \"b\" and \"c\"");
}

}  // namespace
}  // namespace strata
