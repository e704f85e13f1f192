#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/file_io.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "yaml/loader.h"
#include "yaml/writer.h"

namespace strata::cli {

namespace {

struct InspectFlags {
  CommonOptions common;
  std::string out_dir;  // empty: print the files
  std::string tag;      // the tag the database is at
};

}  // namespace


void SetupInspect(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("inspect", "Write the YAML that describes an existing database");
  auto flags = std::make_shared<InspectFlags>();
  AddDbOption(*cmd, flags->common);
  cmd->add_option("--out", flags->out_dir, "schema folder to create (default: print the files on standard output)");
  cmd->add_option("--tag", flags->tag, "the tag the database is at (default: baseline)");
  cmd->callback([flags, &exit_code] {
    const std::string& path = flags->common.db;
    if (DialectOfTarget(path) == "sqlite" && !PathExists(path)) {
      PrintError(fmt::format("{}: no such database file", path));
      exit_code = kUsage;
      return;
    }
    Result<Schema> schema = InspectTarget(path);
    if (!schema.ok()) {
      PrintError(fmt::format("{}: {}", path, schema.status().message()));
      exit_code = ExitCodeFor(schema.status());
      return;
    }
    Project project;
    project.tags = {flags->tag.empty() ? "baseline" : flags->tag};
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
    if (flags->out_dir.empty()) {
      for (const auto& [name, content] : files) std::cout << "# " << name << "\n---\n" << content;
      exit_code = kOk;
      return;
    }
    const std::filesystem::path out(flags->out_dir);
    if (PathExists(out / yaml::kProjectFile)) {
      PrintError(fmt::format("{} already holds a schema; inspect writes only into a new folder", flags->out_dir));
      exit_code = kUsage;
      return;
    }
    for (const auto& [name, content] : files)
      if (Status s = WriteFileAtomically(out / name, content); !s.ok()) {
        PrintError(s.message());
        exit_code = ExitCodeFor(s);
        return;
      }
    std::cout << fmt::format("{}: {} table(s) written to {}\n", path, schema->tables.size(), flags->out_dir);
    exit_code = kOk;
  });
}

}  // namespace strata::cli
