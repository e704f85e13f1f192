// `strata completion bash|zsh`: a completion script for the shell, written
// from the command definitions themselves, so that a new verb or flag is
// completed without anyone keeping a list.
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/exit_code.h"

namespace strata::cli {

namespace {

struct Flag {
  std::string name;  // "--db"
  std::string description;
  bool takes_value = false;
};

struct Verb {
  std::string name;
  std::string description;
  std::vector<Flag> flags;
  std::vector<std::string> words;  // what its positional argument can be, when that is a short list
};

const std::vector<std::string> kShells = {"bash", "zsh"};

std::vector<Verb> VerbsOf(const CLI::App& app) {
  std::vector<Verb> verbs;
  for (const CLI::App* sub : app.get_subcommands({})) {
    Verb verb{sub->get_name(), sub->get_description(), {}, {}};
    for (const CLI::Option* option : sub->get_options()) {
      const bool takes_value = option->get_expected_max() > 0;
      for (const std::string& name : option->get_lnames())
        verb.flags.push_back({"--" + name, option->get_description(), takes_value});
      for (const std::string& name : option->get_snames())
        verb.flags.push_back({"-" + name, option->get_description(), takes_value});
    }
    // The one positional argument with a fixed list of values (CLI11 does
    // not expose a validator's members).
    if (verb.name == "completion") verb.words = kShells;
    verbs.push_back(std::move(verb));
  }
  return verbs;
}

std::string BashScript(const std::vector<Verb>& verbs) {
  std::vector<std::string> verb_names;
  for (const Verb& v : verbs) verb_names.push_back(v.name);
  std::string cases;
  for (const Verb& v : verbs) {
    std::vector<std::string> flags, valued;
    for (const Flag& f : v.flags) {
      flags.push_back(f.name);
      if (f.takes_value) valued.push_back(f.name);
    }
    cases += fmt::format("    {}) flags='{}'; valued=' {} '; words='{}' ;;\n", v.name, fmt::join(flags, " "),
                         fmt::join(valued, " "), fmt::join(v.words, " "));
  }
  return fmt::format(R"(# bash completion for strata, written by `strata completion bash` from its
# command definitions. Load it with:  source <(strata completion bash)
_strata() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
  local flags='' valued='' words=''
  COMPREPLY=()
  if (( COMP_CWORD == 1 )); then
    COMPREPLY=($(compgen -W '{} --help --version' -- "$cur"))
    return 0
  fi
  case ${{COMP_WORDS[1]}} in
{}  esac
  # After a flag that takes a value, bash completes file names (-o default).
  [[ $valued == *" $prev "* ]] && return 0
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n $words ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  return 0
}}
complete -o default -F _strata strata
)",
                     fmt::join(verb_names, " "), cases);
}

// Text for a single-quoted zsh word inside an _arguments or _describe
// spec: quotes closed and reopened, and the brackets and colons that end
// a description escaped.
std::string ZshQuoted(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\'') out += "'\\''";
    else if (ch == '[' || ch == ']' || ch == ':') out += std::string("\\") + ch;
    else out += ch;
  }
  return out;
}

std::string ZshScript(const std::vector<Verb>& verbs) {
  std::string described, cases;
  for (const Verb& v : verbs) {
    described += fmt::format("    '{}:{}'\n", v.name, ZshQuoted(v.description));
    std::string specs;
    for (const Flag& f : v.flags)
      specs += fmt::format(" \\\n        '{}[{}]{}'", f.name, ZshQuoted(f.description),
                           f.takes_value ? ":value:_files" : "");
    specs += v.words.empty() ? " \\\n        '*:file:_files'"
                             : fmt::format(" \\\n        '1:value:({})'", fmt::join(v.words, " "));
    cases += fmt::format("    {})\n      _arguments -S{} ;;\n", v.name, specs);
  }
  return fmt::format(R"(#compdef strata
# zsh completion for strata, written by `strata completion zsh` from its
# command definitions. Load it with:  source <(strata completion zsh)
# (after compinit), or save it as _strata in a folder of $fpath.
_strata() {{
  local -a verbs
  verbs=(
{}  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'strata command' verbs
    return
  fi
  local verb=$words[2]
  shift words
  (( CURRENT-- ))
  case $verb in
{}  esac
}}
if [[ $funcstack[1] == _strata ]]; then
  _strata "$@"
else
  compdef _strata strata
fi
)",
                     described, cases);
}

struct CompletionFlags {
  std::string shell;
};

}  // namespace

void SetupCompletion(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("completion", "Print a shell completion script: source <(strata completion bash)");
  auto flags = std::make_shared<CompletionFlags>();
  cmd->add_option("shell", flags->shell, "bash or zsh")->required()->check(CLI::IsMember(kShells));
  cmd->callback([flags, &app, &exit_code] {
    const std::vector<Verb> verbs = VerbsOf(app);
    std::cout << (flags->shell == "bash" ? BashScript(verbs) : ZshScript(verbs));
    exit_code = kOk;
  });
}

}  // namespace strata::cli
