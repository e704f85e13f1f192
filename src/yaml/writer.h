// Writes a schema in the format the loader reads: `project.yaml` and one
// `tables/<name>.yaml` per table. Used by `strata inspect` to adopt a live
// database: the output loads back into the same model (round trip).
#pragma once

#include <map>
#include <string>

#include "schema/project.h"
#include "schema/table.h"

namespace strata::yaml {

// Relative path -> file content. The schema is one state: nothing carries
// `since`, so every element belongs to the project's first tag.
std::map<std::string, std::string> WriteSchemaFiles(const Project& project, const Schema& schema);

}  // namespace strata::yaml
