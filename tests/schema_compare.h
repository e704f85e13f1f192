// Comparing a model with what SQLite's pragmas report about a database.
#pragma once

#include "schema/table.h"

namespace strata::testing {

// The model reduced to what the inspector can show: no descriptions,
// positions or data; SQL expressions in canonical spelling; a one-column
// UNIQUE constraint is the same as a UNIQUE column.
Table AsPragmasSeeIt(Table t);
Schema AsPragmasSeeIt(const Schema& s);

}  // namespace strata::testing
