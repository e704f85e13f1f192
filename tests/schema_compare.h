// Comparing a model with what SQLite's pragmas report about a database.
#pragma once

#include "schema/table.h"

namespace strata::testing {

// The model reduced to what the pragmas can show: no descriptions,
// positions, CHECK constraints, column collations or data; a one-column
// UNIQUE constraint is the same as a UNIQUE column.
Table AsPragmasSeeIt(Table t);
Schema AsPragmasSeeIt(const Schema& s);

}  // namespace strata::testing
