// SQLite's type affinity (datatype3.html, section 3.1): SQLite stores any
// declared type, and derives from its words how values are converted.
#pragma once

#include <string_view>

namespace strata::sqlite {

enum class Affinity { kInteger, kText, kBlob, kReal, kNumeric };

// The affinity SQLite gives a column declared with `declared` (any text,
// known to strata or not). The rules apply in order: "INT" anywhere means
// INTEGER, even in "POINT".
Affinity TypeAffinity(std::string_view declared);

}  // namespace strata::sqlite
