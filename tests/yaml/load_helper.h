// Loads schema sources given as strings, for loader tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "yaml/loader.h"

namespace strata::testing {

inline const char* kProject =
    "project: test\n"
    "dialect: sqlite\n"
    "tags: [baseline, phase1, phase2]\n";

struct LoadOutcome {
  std::optional<VersionedSchema> schema;
  std::vector<std::string> diagnostics;  // Diagnostic::ToString(), sorted
};

// `files` are (path, text) pairs after the project file.
inline LoadOutcome LoadFiles(const std::vector<std::pair<std::string, std::string>>& files,
                             const std::string& project = kProject) {
  std::vector<yaml::SourceFile> sources = {{"schema/project.yaml", project}};
  for (const auto& [path, text] : files) sources.push_back({path, text});
  Diagnostics d;
  LoadOutcome out;
  out.schema = yaml::LoadSchemaSources(sources, d);
  for (const Diagnostic& x : d.Sorted()) out.diagnostics.push_back(x.ToString());
  return out;
}

inline LoadOutcome LoadOne(const std::string& text) { return LoadFiles({{"schema/t.yaml", text}}); }

}  // namespace strata::testing
