// `strata verify --db SNAPSHOT`: the pending migrations tried on a copy of
// a real database (see migrate/verify.h); the snapshot is only read.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "migrate/verify.h"
#include "report/verify_report.h"

namespace strata::cli {

namespace {

struct VerifyFlags {
  CommonOptions common;
  std::string tag;                    // apply through this tag
  std::optional<int64_t> to_version;  // apply through this version
  std::string junit_file;             // also write the JUnit report here
  int samples = 5;
  bool allow_drift = false;  // try a snapshot that differs from its recorded tag
};

}  // namespace

void SetupVerify(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "verify", "Try the pending migrations on a copy of a database snapshot: up, schema, checks, down, up again");
  auto flags = std::make_shared<VerifyFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  AddFormatOption(*cmd, flags->common, true);
  cmd->add_option("--tag", flags->tag, "apply through the end of this tag (default: everything pending)");
  AddVersionOption(*cmd, "--to", flags->to_version, "apply through this version");
  cmd->add_option("--junit", flags->junit_file, "also write the report as JUnit XML to this file");
  cmd->add_option("--samples", flags->samples, "sample keys per failed integrity check (default 5)");
  cmd->add_flag("--allow-drift", flags->allow_drift,
                "apply even though the snapshot differs from the tag its history records");
  cmd->callback([flags, &exit_code] {
    const std::string database = RedactedTarget(flags->common.db);
    if (DialectOfTarget(flags->common.db) != "sqlite") {
      PrintError(fmt::format("{}: verify works on SQLite snapshots only for now (it copies the file with SQLite's "
                             "backup API); run it on an SQLite copy of the data",
                             database));
      exit_code = kUsage;
      return;
    }
    if (!PathExists(flags->common.db)) {
      PrintError(fmt::format("snapshot \"{}\" not found", flags->common.db));
      exit_code = kUsage;
      return;
    }
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, false, exit_code, SchemaNeed::kTables, DatabaseUse::kSnapshot);
    if (!run) return;
    VerifyOptions options{.max_samples = flags->samples, .refuse_drift = !flags->allow_drift};
    if (!ResolveTagLimitOrReport(run->schema, flags->tag, options.tag)) {
      exit_code = kUsage;
      return;
    }
    options.to_version = flags->to_version;
    const VerifyReport report =
        VerifySnapshot(*run->connection, {run->schema, *run->dialect, run->migrations, run->files}, options);
    if (flags->common.format == Format::kJson)
      std::cout << report::VerifyJson(database, report);
    else if (flags->common.format == Format::kJunit)
      std::cout << report::VerifyJunit(report);
    else
      std::cout << report::VerifyText(database, report);
    exit_code = report.passed() ? kOk : kFindings;
    if (!flags->junit_file.empty())
      if (Status s = WriteFileAtomically(flags->junit_file, report::VerifyJunit(report)); !s.ok()) {
        PrintError(s.WithContext("--junit").message());
        exit_code = kFindings;
      }
  });
}

}  // namespace strata::cli
