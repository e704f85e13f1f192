// The layout of the SQL strata generates: lines a reviewer can read in a
// diff (no generated line over 200 characters; these keep them near 100).
// Both dialects quote text the standard way ('it''s'), so one layout
// serves both. Never applied to SQL the user wrote.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// Standard SQL quoting, which SQLite and PostgreSQL (with
// standard_conforming_strings, the default since 9.1) both read:
// 'it''s' for text, "a ""b""" for a name.
std::string QuoteText(std::string_view text);
std::string QuoteName(std::string_view name);

// The width generated lines are wrapped to.
inline constexpr size_t kSqlLineWidth = 100;

// Breaks lines longer than `width` at spaces outside quoted text ('...',
// "...") and outside `--` comments; a continuation is indented two spaces
// deeper than the line it continues. A quoted text longer than `width`
// stays whole (see LiteralInParts).
std::string WrapSql(std::string_view sql, size_t width = kSqlLineWidth);

// `text` as a string expression of quoted parts joined with `||`, each part
// at most about `width` characters and cut at a space when there is one,
// so that WrapSql can lay it out. For expression positions only: a place
// that takes a literal alone (SQLite's RAISE, a DEFAULT) needs one piece.
std::string LiteralInParts(std::string_view text, size_t width = kSqlLineWidth / 2);

}  // namespace strata
