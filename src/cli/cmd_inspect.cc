#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "base/file_io.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "yaml/loader.h"
#include "yaml/writer.h"

namespace strata::cli {

void SetupInspect(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("inspect", "Write the YAML that describes an existing database");
  AddDbOption(*cmd, ctx.options);
  cmd->add_option("--out", ctx.out_dir, "schema folder to create (default: print the files on standard output)");
  cmd->add_option("--tag", ctx.tag, "the tag the database is at (default: baseline)");
  cmd->callback([&ctx] {
    const std::string& path = ctx.options.db;
    if (DialectOfTarget(path) == "sqlite" && !PathExists(path)) {
      PrintError(fmt::format("{}: no such database file", path));
      ctx.exit_code = kUsage;
      return;
    }
    Result<Schema> schema = InspectTarget(path);
    if (!schema.ok()) {
      PrintError(fmt::format("{}: {}", path, schema.status().message()));
      ctx.exit_code = ExitCodeFor(schema.status());
      return;
    }
    Project project;
    project.tags = {ctx.tag.empty() ? "baseline" : ctx.tag};
    project.dialect = DialectOfTarget(path);
    project.dialects = {project.dialect};
    if (project.dialect == "sqlite") {
      project.name = std::filesystem::path(path).stem().string();
      project.database = path;
    } else {
      // A server URL may hold a password: it is not written into the YAML.
      project.name = "inspected";
    }
    // What the model cannot hold stays in the database, out of strata's hands.
    for (const UnmodelledObject& o : schema->unmodelled) {
      std::cerr << fmt::format("warning: \"{}\" is a {}, which strata does not model; it is listed under "
                               "ignore_tables, so strata leaves it alone\n", o.name, o.what);
      project.ignore_tables.push_back(o.name);
    }
    const std::map<std::string, std::string> files = yaml::WriteSchemaFiles(project, *schema);
    if (ctx.out_dir.empty()) {
      for (const auto& [name, content] : files) std::cout << "# " << name << "\n---\n" << content;
      ctx.exit_code = kOk;
      return;
    }
    const std::filesystem::path out(ctx.out_dir);
    if (PathExists(out / yaml::kProjectFile)) {
      PrintError(fmt::format("{} already holds a schema; inspect writes only into a new folder", ctx.out_dir));
      ctx.exit_code = kUsage;
      return;
    }
    for (const auto& [name, content] : files)
      if (Status s = WriteFileAtomically(out / name, content); !s.ok()) {
        PrintError(s.message());
        ctx.exit_code = ExitCodeFor(s);
        return;
      }
    std::cout << fmt::format("{}: {} table(s) written to {}\n", path, schema->tables.size(), ctx.out_dir);
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
