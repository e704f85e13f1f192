// Small string helpers shared by the loader and the dialects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata {

std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view Trim(std::string_view s);

// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when none is close enough to be a
// plausible typo (distance at most a third of the word, minimum 2).
std::string NearestWord(std::string_view word, const std::vector<std::string>& candidates);

// "a, b and c"
std::string JoinQuoted(const std::vector<std::string>& items);

}  // namespace strata
