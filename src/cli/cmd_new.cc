#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "migrate/hand_written.h"

namespace strata::cli {

namespace {

struct NewFlags {
  CommonOptions common;
  std::string name;
  std::optional<int64_t> after;  // default: after the highest version
  std::string dialect;           // empty: every dialect of the project
};

// One dialect's folder and the pair that goes into it.
struct Destination {
  std::filesystem::path dir;
  MigrationFiles existing;
  HandWrittenPair pair;
};

}  // namespace

void SetupNew(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("new", "Add a hand-written migration pair (up and down) at the next free version");
  auto flags = std::make_shared<NewFlags>();
  cmd->add_option("name", flags->name, "what the migration does, for its file name (backfill_bios)")->required();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddVersionOption(*cmd, "--after", flags->after, "the version to follow (default: the highest in the folder)");
  cmd->add_option("--dialect", flags->dialect, "only this dialect's folder (default: every dialect of the project)");
  cmd->callback([flags, &exit_code] {
    const CommonOptions& o = flags->common;
    const auto fail = [&exit_code](const Status& s) {
      PrintError(s.message());
      exit_code = ExitCodeFor(s);
    };
    if (Status s = CheckMigrationName(flags->name); !s.ok()) return fail(s);
    std::optional<VersionedSchema> schema = LoadProjectOrReport(o);
    if (!schema) {
      exit_code = kUsage;
      return;
    }
    const Project& project = schema->project;
    std::vector<std::string> dialects = project.dialects;
    if (!flags->dialect.empty()) {
      if (!project.GeneratesFor(flags->dialect)) {
        PrintError(fmt::format("the project does not generate for \"{}\"; it names {}", flags->dialect,
                               JoinQuoted(project.dialects)));
        exit_code = kUsage;
        return;
      }
      dialects = {flags->dialect};
    }
    // One version for every dialect: the same migration has the same number
    // in each folder.
    std::vector<Destination> destinations;
    MigrationFiles every_folder;
    for (const std::string& dialect : dialects) {
      Destination d;
      const std::string folder = project.DialectFolder(dialect);
      d.dir = o.migrations_dir;
      if (!folder.empty()) d.dir /= folder;
      Result<MigrationFiles> existing = ReadMigrationDir(d.dir);
      if (!existing.ok()) return fail(existing.status());
      d.existing = std::move(*existing);
      every_folder.insert(d.existing.begin(), d.existing.end());
      destinations.push_back(std::move(d));
    }
    Result<int64_t> version = NextFreeVersion(every_folder, flags->after);
    if (!version.ok()) return fail(version.status());
    // Every pair is made before any is written: a refusal writes nothing.
    for (Destination& d : destinations) {
      Result<HandWrittenPair> pair = NewHandWrittenPair(d.existing, project, *version, flags->name);
      if (!pair.ok()) return fail(pair.status().WithContext(d.dir.string()));
      d.pair = std::move(*pair);
    }
    for (const Destination& d : destinations) {
      if (Status s = WriteMigrationFiles(d.dir, d.pair.files); !s.ok()) return fail(s);
      std::cout << fmt::format("{}: {} and {}, hand-written, version {:04}, tag \"{}\"; {} updated\n", d.dir.string(),
                               d.pair.up_file, d.pair.down_file, d.pair.version, d.pair.tag, kSumFile);
    }
    exit_code = kOk;
  });
}

}  // namespace strata::cli
