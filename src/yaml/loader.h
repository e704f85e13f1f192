// Loads a schema folder (`project.yaml` plus every other `*.yaml`/`*.yml`
// file below it, in path order) into a VersionedSchema, reporting every
// mistake as a Diagnostic. The result is all or nothing: when any error is
// reported, no schema is returned.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "schema/versioned.h"

namespace strata::yaml {

inline constexpr std::string_view kProjectFile = "project.yaml";

struct SourceFile {
  std::string path;  // as shown in diagnostics
  std::string text;
};

// REQUIRES: sources[0] is the project file.
std::optional<VersionedSchema> LoadSchemaSources(const std::vector<SourceFile>& sources,
                                                 Diagnostics& diagnostics);

// The project file, then every other schema file below `dir` in path
// order, as LoadSchemaSources takes them; nullopt after reporting a folder
// or a file that cannot be read.
std::optional<std::vector<SourceFile>> ReadSchemaSources(const std::filesystem::path& dir,
                                                         Diagnostics& diagnostics);

// Reads `dir` and loads it; file paths in diagnostics are `dir` joined with
// the file's relative path, as the user spelled `dir`.
std::optional<VersionedSchema> LoadSchemaDir(const std::filesystem::path& dir,
                                             Diagnostics& diagnostics);

// Only `dir`/project.yaml: for commands that need the tags but not the
// tables (status, plan, down), which then start in a fraction of the time.
std::optional<Project> LoadProjectDir(const std::filesystem::path& dir, Diagnostics& diagnostics);

}  // namespace strata::yaml
