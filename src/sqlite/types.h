// SQLite's type affinity (datatype3.html, section 3.1): SQLite stores any
// declared type, and derives from its words how values are converted.
#pragma once

#include <string_view>

#include "schema/table.h"

namespace strata::sqlite {

enum class Affinity { kInteger, kText, kBlob, kReal, kNumeric };

// The affinity SQLite gives a column declared with `declared` (any text,
// known to strata or not). The rules apply in order: "INT" anywhere means
// INTEGER, even in "POINT".
Affinity TypeAffinity(std::string_view declared);

// Whether moving a column to `to`'s type can change or reject stored
// values: SQLite converts on the way to a stricter affinity (INTEGER
// before REAL before NUMERIC before TEXT before BLOB, which keeps
// anything), and a STRICT table rejects what does not fit.
bool NarrowsAffinity(const Column& from, const Column& to);

}  // namespace strata::sqlite
