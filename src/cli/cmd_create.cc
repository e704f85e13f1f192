#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "base/file_io.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/dialects.h"

namespace strata::cli {

void SetupCreate(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "create", "Create a new database directly at a tag (no migration history); for scratch files");
  AddSchemaOption(*cmd, ctx.options);
  AddDbOption(*cmd, ctx.options);
  cmd->add_option("--tag", ctx.tag, "tag to create (default: the last one)");
  cmd->callback([&ctx] {
    const CommonOptions& o = ctx.options;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema) {
      ctx.exit_code = kUsage;
      return;
    }
    std::optional<int> index = ResolveTagOrReport(*schema, ctx.tag);
    if (!index) {
      ctx.exit_code = kUsage;
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
      ctx.exit_code = ExitCodeFor(status);
      return;
    }
    std::cout << fmt::format("{}: created at tag \"{}\" ({} tables)\n", o.db,
                             schema->project.tags[*index], schema->At(*index).tables.size());
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
