// Small string helpers shared by the loader and the dialects.
#pragma once

#include <optional>
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

// A name that may become part of a file name or a single line of text:
// 1 to 64 of [A-Za-z0-9_.-], starting with a letter or digit.
bool IsSafeName(std::string_view name);

// `text` with control characters and quotes escaped, for an error message.
std::string EscapedForMessage(std::string_view text);

// The offset of the first NUL byte or invalid UTF-8 sequence, if any.
std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// `text` with every NUL byte and invalid UTF-8 sequence replaced by U+FFFD,
// for output formats that must be valid UTF-8 (JSON, XML).
std::string ToValidUtf8(std::string_view text);

// `text` as one comment line: line breaks and other control characters
// become spaces, so nothing after them can run as SQL.
std::string OneLine(std::string_view text);

// "a, b and c"
std::string JoinQuoted(const std::vector<std::string>& items);

// A database target fit for messages: the password of a URL
// (postgresql://user:secret@host/db) or of a conninfo string or URL
// parameter (password=secret) replaced by "***"; anything else unchanged.
std::string RedactedTarget(std::string_view target);

}  // namespace strata
