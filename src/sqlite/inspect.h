// Reads a live SQLite database into the schema model through SQLite's own
// introspection: sqlite_schema, pragma_table_xinfo, pragma_index_list,
// pragma_index_xinfo and pragma_foreign_key_list.
//
// What the pragmas do not expose (CHECK constraints, column collations) is
// not read here; those need the stored CREATE text.
#pragma once

#include "base/status.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// Every table except SQLite's internal ones (sqlite_*) and `ignored` ones,
// in the order of sqlite_schema.
Result<Schema> InspectSchema(Database& db, const std::vector<std::string>& ignored = {});

// Parses a pragma dflt_value back into a default: literals become values,
// anything else is SQL.
DefaultValue ParseDefault(std::string_view text);

}  // namespace strata::sqlite
