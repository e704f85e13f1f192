#include "schema_compare.h"

#include "sqlite/inspect.h"

namespace strata::testing {

Table AsPragmasSeeIt(Table t) { return sqlite::AsInspected(std::move(t)); }
Schema AsPragmasSeeIt(const Schema& s) { return sqlite::AsInspected(s); }

}  // namespace strata::testing
