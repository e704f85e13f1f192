#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/file_io.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/dialects.h"

namespace strata::cli {

namespace {

struct CreateFlags {
  CommonOptions common;
  std::string tag;  // the tag to create; empty for the last
};

}  // namespace


void SetupCreate(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "create", "Create a new database directly at a tag (no migration history); for scratch files");
  auto flags = std::make_shared<CreateFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  cmd->add_option("--tag", flags->tag, "tag to create (default: the last one)");
  cmd->callback([flags, &exit_code] {
    const CommonOptions& o = flags->common;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema) {
      exit_code = kUsage;
      return;
    }
    std::optional<int> index = ResolveTagOrReport(*schema, flags->tag);
    if (!index) {
      exit_code = kUsage;
      return;
    }
    const bool existed = PathExists(o.db);
    Status status;
    {
      Result<std::unique_ptr<Connection>> db = OpenTarget(o.db, {.create = true});
      status = db.ok() ? (*db)->CreateSchema(schema->At(*index)) : db.status();
    }
    if (!status.ok()) {
      // Leave no empty file behind for a database this run created.
      if (!existed) {
        std::error_code ignored;
        std::filesystem::remove(o.db, ignored);
      }
      PrintError(status.message());
      exit_code = ExitCodeFor(status);
      return;
    }
    std::cout << fmt::format("{}: created at tag \"{}\" ({} tables)\n", o.db,
                             schema->project.tags[*index], schema->At(*index).tables.size());
    exit_code = kOk;
  });
}

}  // namespace strata::cli
