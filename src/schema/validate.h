// Semantic checks on the schema model: everything that can be wrong once
// the YAML parsed cleanly (duplicates, references to missing tables or
// columns, keys that SQLite would refuse at run time).
#pragma once

#include "base/diagnostic.h"
#include "schema/table.h"
#include "schema/versioned.h"

namespace strata {

// Checks one state of the schema. Messages do not name a tag, so an error
// present at every tag is reported once when states are validated in turn.
void ValidateSchema(const Schema& schema, Diagnostics& diagnostics);

// Checks the state at every tag of the project.
void ValidateVersionedSchema(const VersionedSchema& schema, Diagnostics& diagnostics);

}  // namespace strata
