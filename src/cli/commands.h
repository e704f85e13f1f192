// One function per verb: it adds the subcommand, binds the flags to a struct
// of the verb's own (kept alive by the subcommand's callback), and sets
// `exit_code` when the subcommand runs. main.cc only calls these and parses.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace strata::cli {

// The flags of the commands that look at a database against one tag
// (check, drift, explain). Every other verb declares its own flags struct
// in its cmd_*.cc; the flags all verbs share are CommonOptions.
struct AtTagFlags {
  CommonOptions common;
  std::string tag;  // empty: the tag the database's history records
};

// Adds the AtTagFlags: schema, migrations, database, format and `--tag`.
void AddAtTagOptions(CLI::App& cmd, AtTagFlags& flags, bool allow_junit, const std::string& tag_help);

void SetupValidate(CLI::App& app, int& exit_code);
void SetupCreate(CLI::App& app, int& exit_code);
void SetupGenerate(CLI::App& app, int& exit_code);
void SetupDiff(CLI::App& app, int& exit_code);
void SetupApply(CLI::App& app, int& exit_code);
void SetupUp(CLI::App& app, int& exit_code);
void SetupDown(CLI::App& app, int& exit_code);
void SetupBaseline(CLI::App& app, int& exit_code);
void SetupRepair(CLI::App& app, int& exit_code);
void SetupStatus(CLI::App& app, int& exit_code);
void SetupPlan(CLI::App& app, int& exit_code);
void SetupBackup(CLI::App& app, int& exit_code);
void SetupCheck(CLI::App& app, int& exit_code);
void SetupDrift(CLI::App& app, int& exit_code);
void SetupInspect(CLI::App& app, int& exit_code);
void SetupExplain(CLI::App& app, int& exit_code);
void SetupNew(CLI::App& app, int& exit_code);
void SetupErd(CLI::App& app, int& exit_code);
void SetupVerify(CLI::App& app, int& exit_code);
// Last: it describes every verb set up before it.
void SetupCompletion(CLI::App& app, int& exit_code);

}  // namespace strata::cli
