// Fuzz target: the YAML loader and validation on arbitrary bytes, as the
// table file of a fixed project and as the project file itself. Any input
// must give a schema or diagnostics: no crash, no hang, no sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/diagnostic.h"
#include "schema/validate.h"
#include "yaml/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    strata::Diagnostics diagnostics;
    std::optional<strata::VersionedSchema> schema = strata::yaml::LoadSchemaSources(
        {{"schema/project.yaml", "project: p\ntags: [a, b, c]\nforeign_keys: {enforced_from: b}\n"},
         {"schema/t.yaml", text}},
        diagnostics);
    if (schema)
      for (int tag = 0; tag <= schema->project.last_tag(); ++tag) (void)schema->At(tag);
  }
  {
    strata::Diagnostics diagnostics;
    (void)strata::yaml::LoadSchemaSources({{"schema/project.yaml", text}}, diagnostics);
  }
  return 0;
}
