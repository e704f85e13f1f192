// strata: the command line. It parses flags, calls the library and maps
// results to exit codes (0 ok, 1 findings, 2 usage or input error).
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/strings.h"

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/terminal.h"

namespace {

// For an unknown flag (`strata check --tga`): the message naming it, with
// the verb's nearest flag. Nothing for other errors and other leftovers
// (an extra word), which CLI11's own messages describe well.
std::optional<std::string> UnknownFlagMessage(const CLI::App& app, const CLI::ParseError& error) {
  if (!dynamic_cast<const CLI::ExtrasError*>(&error)) return std::nullopt;
  const CLI::App* verb = nullptr;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->parsed()) verb = sub;
  for (std::string word : app.remaining(true)) {
    if (!word.starts_with("-")) continue;
    word = word.substr(0, word.find('='));
    std::vector<std::string> flags;
    for (const CLI::Option* option : (verb ? verb : &app)->get_options())
      for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
    const std::string where = verb ? fmt::format("strata {}", verb->get_name()) : "strata";
    std::string message = fmt::format("unknown flag \"{}\" for `{}`", word, where);
    if (std::string near = strata::NearestWord(word, flags); !near.empty())
      message += fmt::format("; did you mean \"{}\"?", near);
    return message + fmt::format(" (`{} --help` lists its flags)", where);
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata::cli;
  std::optional<HighlightedLines> out_colour, err_colour;
  if (ColorFor(STDOUT_FILENO)) out_colour.emplace(std::cout);
  if (ColorFor(STDERR_FILENO)) err_colour.emplace(std::cerr);
  CLI::App app{"strata: schema migrations and checks from YAML table definitions"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "strata " STRATA_VERSION);
  int exit_code = 0;  // set by the verb that runs
  SetupValidate(app, exit_code);
  SetupCreate(app, exit_code);
  SetupGenerate(app, exit_code);
  SetupDiff(app, exit_code);
  SetupApply(app, exit_code);
  SetupUp(app, exit_code);
  SetupDown(app, exit_code);
  SetupBaseline(app, exit_code);
  SetupRepair(app, exit_code);
  SetupStatus(app, exit_code);
  SetupPlan(app, exit_code);
  SetupBackup(app, exit_code);
  SetupCheck(app, exit_code);
  SetupDrift(app, exit_code);
  SetupInspect(app, exit_code);
  SetupExplain(app, exit_code);
  SetupNew(app, exit_code);
  SetupErd(app, exit_code);
  SetupVerify(app, exit_code);
  SetupCompletion(app, exit_code);
  // An unknown verb is named, with the nearest one, rather than CLI11's
  // "A subcommand is required".
  std::vector<std::string> verbs;
  for (const CLI::App* sub : app.get_subcommands({})) verbs.push_back(sub->get_name());
  if (argc > 1 && argv[1][0] != '-' && std::find(verbs.begin(), verbs.end(), argv[1]) == verbs.end()) {
    std::string message = fmt::format("unknown command \"{}\"", argv[1]);
    if (std::string near = strata::NearestWord(argv[1], verbs); !near.empty())
      message += fmt::format("; did you mean \"{}\"?", near);
    PrintError(message + " (strata --help lists the commands)");
    return kUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    if (std::optional<std::string> unknown = UnknownFlagMessage(app, e)) {
      PrintError(*unknown);
      return kUsage;
    }
    // CLI11's own codes are 100-127; the contract says 2 for usage errors.
    app.exit(e);
    return kUsage;
  } catch (const std::exception& e) {
    // Whatever escaped a command (a filesystem error on an odd path, say)
    // is reported, never an abort.
    PrintError(e.what());
    return kFindings;
  }
  return exit_code;
}
