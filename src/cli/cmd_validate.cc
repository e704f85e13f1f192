#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/json.h"
#include "cli/commands.h"
#include "cli/exit_code.h"

namespace strata::cli {

void SetupValidate(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("validate", "Load and check every YAML file; report all errors");
  auto flags = std::make_shared<CommonOptions>();
  AddSchemaOption(*cmd, *flags);
  AddFormatOption(*cmd, *flags);
  cmd->callback([flags, &exit_code] {
    const CommonOptions& o = *flags;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema || !DialectAcceptsOrReport(*schema)) {
      exit_code = kUsage;
      return;
    }
    const Schema latest = schema->Latest();
    if (o.format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("ok").Bool(true).Key("errors").Int(0);
      json.Key("project").String(schema->project.name);
      json.Key("tags").BeginArray();
      for (const std::string& t : schema->project.tags) json.String(t);
      json.EndArray();
      json.Key("tables").Int(static_cast<int64_t>(latest.tables.size()));
      json.Key("queries").Int(static_cast<int64_t>(latest.queries.size()));
      json.Key("diagnostics").BeginArray().EndArray().EndObject();
      std::cout << json.str() << "\n";
    } else {
      std::cout << fmt::format("{}: valid ({} tags, {} tables and {} queries at \"{}\")\n",
                               o.schema_dir, schema->project.tags.size(), latest.tables.size(),
                               latest.queries.size(), schema->project.tags.back());
    }
    exit_code = kOk;
  });
}

}  // namespace strata::cli
