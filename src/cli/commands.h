// One function per verb: it adds the subcommand, binds its flags, and sets
// `exit_code` when the subcommand runs. main.cc only calls these and parses.
#pragma once

#include <cstdint>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace strata::cli {

struct Context {
  CommonOptions options;
  std::string tag;  // --tag of the commands that take one
  std::string base;  // explain --base: a tag or a database
  bool check = false;  // generate --check
  std::string from, to;  // diff --from / --to
  // up / down
  std::optional<int64_t> to_version;
  std::optional<int> steps;
  bool allow_destructive = false;
  bool dry_run = false;         // apply
  bool ignore_history = false;  // apply
  bool single_transaction = false;
  bool allow_stale = false;  // up: apply files that schema/ no longer produces
  bool allow_drift = false;  // up, down: run on a database changed by hand
  bool no_backup = false;
  int keep_backups = 5;
  std::string backup_file;  // restore --from
  int samples = 5;          // check --samples
  std::string out_dir;      // inspect --out
  int exit_code = 0;
};

// The flags of the commands that look at a database against one tag (check,
// drift, explain): schema, migrations, database, format and `--tag`.
void AddAtTagOptions(CLI::App& cmd, Context& ctx, bool allow_junit, const std::string& tag_help);

void SetupValidate(CLI::App& app, Context& ctx);
void SetupCreate(CLI::App& app, Context& ctx);
void SetupGenerate(CLI::App& app, Context& ctx);
void SetupDiff(CLI::App& app, Context& ctx);
void SetupApply(CLI::App& app, Context& ctx);
void SetupUp(CLI::App& app, Context& ctx);
void SetupDown(CLI::App& app, Context& ctx);
void SetupBaseline(CLI::App& app, Context& ctx);
void SetupStatus(CLI::App& app, Context& ctx);
void SetupPlan(CLI::App& app, Context& ctx);
void SetupBackup(CLI::App& app, Context& ctx);
void SetupCheck(CLI::App& app, Context& ctx);
void SetupDrift(CLI::App& app, Context& ctx);
void SetupInspect(CLI::App& app, Context& ctx);
void SetupExplain(CLI::App& app, Context& ctx);

}  // namespace strata::cli
