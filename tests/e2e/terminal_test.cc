// Terminal manners: colour only where a person reads (forced with
// STRATA_COLOR=always, never with NO_COLOR), "did you mean" for a mistyped
// flag, and the shell completion scripts.
#include "cli/terminal.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "scoped_env.h"
#include "test_util.h"

namespace strata {
namespace {

constexpr std::string_view kRed = "\x1b[1m\x1b[31m";
constexpr std::string_view kYellow = "\x1b[1m\x1b[33m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kReset = "\x1b[0m";

std::string Painted(std::string_view colour, std::string_view text) {
  return std::string(colour) + std::string(text) + std::string(kReset);
}

TEST(Highlighted, ColoursMessageLabelsAfterTheirLocation) {
  EXPECT_EQ(cli::Highlighted("strata: error: unknown tag"), "strata: " + Painted(kRed, "error:") + " unknown tag");
  EXPECT_EQ(cli::Highlighted("schema/t.yaml:3:5: warning: unused"),
            "schema/t.yaml:3:5: " + Painted(kYellow, "warning:") + " unused");
  EXPECT_EQ(cli::Highlighted("error: at the start"), Painted(kRed, "error:") + " at the start");
  EXPECT_EQ(cli::Highlighted("we saw an error: in a sentence"), "we saw an error: in a sentence");
  EXPECT_EQ(cli::Highlighted("strata: error: a second error: is text"),
            "strata: " + Painted(kRed, "error:") + " a second error: is text");
}

TEST(Highlighted, ColoursPassAndFailMarks) {
  EXPECT_EQ(cli::Highlighted("orphans: content.user_id -> users        ok"),
            "orphans: content.user_id -> users        " + Painted(kGreen, "ok"));
  EXPECT_EQ(cli::Highlighted("orphans: content.user_id -> users        FAILED 2 row(s)"),
            "orphans: content.user_id -> users        " + Painted(kRed, "FAILED") + " 2 row(s)");
  EXPECT_EQ(cli::Highlighted("  migrations/0020_b.up.sql: out of date"),
            "  migrations/0020_b.up.sql: " + Painted(kRed, "out of date"));
  EXPECT_EQ(cli::Highlighted("  FAIL: reads every row"), "  " + Painted(kRed, "FAIL") + ": reads every row");
  EXPECT_EQ(cli::Highlighted("  REGRESSED user_by_email: full scan"),
            "  " + Painted(kRed, "REGRESSED") + " user_by_email: full scan");
  EXPECT_EQ(cli::Highlighted("app.db: no drift at tag \"phase4\""),
            "app.db: " + Painted(kGreen, "no drift") + " at tag \"phase4\"");
  EXPECT_EQ(cli::Highlighted("0010_a.up.sql applied, CHECKSUM MISMATCH (file edited)"),
            "0010_a.up.sql applied, " + Painted(kRed, "CHECKSUM MISMATCH") + " (file edited)");
  for (const char* plain : {"book", "token ok_then", "ERRORS are words of their own", "UNFAILED", ""})
    EXPECT_EQ(cli::Highlighted(plain), plain);
}

TEST(ColorFor, NoColorWinsAndPipesArePlain) {
  {
    testing::ScopedEnv no_color("NO_COLOR", std::nullopt);
    testing::ScopedEnv always("STRATA_COLOR", "always");
    EXPECT_TRUE(cli::ColorFor(-1));
  }
  {
    testing::ScopedEnv no_color("NO_COLOR", "1");
    testing::ScopedEnv always("STRATA_COLOR", "always");
    EXPECT_FALSE(cli::ColorFor(-1));
  }
  {
    testing::ScopedEnv no_color("NO_COLOR", "");  // set but empty: not a request
    testing::ScopedEnv always("STRATA_COLOR", "always");
    EXPECT_TRUE(cli::ColorFor(-1));
  }
  testing::ScopedEnv no_color("NO_COLOR", std::nullopt);
  testing::ScopedEnv automatic("STRATA_COLOR", std::nullopt);
  EXPECT_FALSE(cli::ColorFor(-1)) << "not a terminal";
}

struct SmallProject {
  testing::TempDir dir;
  SmallProject() {
    dir.Write("schema/project.yaml", "project: p\ntags: [a]\n");
    dir.Write("schema/t.yaml", "tables:\n  - name: t\n    columns: [{name: id, type: INTEGER}]\n");
  }
};

TEST(Colour, ErrorsAreRedOnlyWhenForcedAndNoColorWins) {
  SmallProject p;
  testing::ScopedEnv no_color("NO_COLOR", std::nullopt);
  {
    testing::ScopedEnv always("STRATA_COLOR", "always");
    testing::CommandResult r = testing::RunStrata({"validate", "--schema", "nowhere"}, p.dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(Painted(kRed, "error:")), std::string::npos) << r.err;
    r = testing::RunStrata({"generate"}, p.dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = testing::RunStrata({"generate", "--check"}, p.dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(Painted(kGreen, "up to date")), std::string::npos) << r.out;
  }
  {
    testing::ScopedEnv always("STRATA_COLOR", "always");
    testing::ScopedEnv off("NO_COLOR", "1");
    testing::CommandResult r = testing::RunStrata({"validate", "--schema", "nowhere"}, p.dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  }
  testing::CommandResult piped = testing::RunStrata({"validate", "--schema", "nowhere"}, p.dir.path());
  EXPECT_EQ(piped.err.find('\x1b'), std::string::npos) << "a pipe gets plain text: " << piped.err;
}

TEST(DidYouMean, AnUnknownFlagIsNamedWithTheVerbsNearestFlag) {
  testing::CommandResult r = testing::RunStrata({"check", "--tga", "phase1", "--db", "x.db"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "strata: error: unknown flag \"--tga\" for `strata check`; did you mean \"--tag\"? (`strata check --help` "
            "lists its flags)\n");
  r = testing::RunStrata({"generate", "--chek"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean \"--check\"?"), std::string::npos) << r.err;
  r = testing::RunStrata({"erd", "--frmat=dot"});
  EXPECT_NE(r.err.find("unknown flag \"--frmat\" for `strata erd`; did you mean \"--format\"?"), std::string::npos)
      << r.err;
  // Outside a project, with no database named: the misspelt flag is the
  // mistake to report, not the missing database.
  testing::TempDir empty;
  r = testing::RunStrata({"up", "--tga", "phase1"}, empty.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "strata: error: unknown flag \"--tga\" for `strata up`; did you mean \"--tag\"? (`strata up --help` "
            "lists its flags)\n");
  r = testing::RunStrata({"status", "--db", "x.db", "--zzzzzzzz"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "strata: error: unknown flag \"--zzzzzzzz\" for `strata status` (`strata status --help` lists its flags)\n");
}

// Runs `script` in bash after loading `strata completion bash`; its stdout.
std::string InBash(const std::string& script) {
  testing::TempDir dir;
  testing::CommandResult completion = testing::RunStrata({"completion", "bash"});
  EXPECT_EQ(completion.exit_code, 0) << completion.err;
  dir.Write("strata.bash", completion.out);
  dir.Write("test.sh", "set -e\nsource '" + (dir / "strata.bash").string() + "'\n" + script);
  const std::string command =
      fmt::format("bash --norc --noprofile '{}' >'{}' 2>&1", (dir / "test.sh").string(), (dir / "out").string());
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << testing::ReadFile(dir / "out");
  return testing::ReadFile(dir / "out");
}

// What the completion function offers for the words of a command line, the
// last one being completed.
std::string Completions(const std::string& words) {
  return InBash(fmt::format("COMP_WORDS=({}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n_strata\n"
                            "echo \"${{COMPREPLY[*]}}\"\n",
                            words));
}

TEST(Completion, BashCompletesVerbsAndEachVerbsFlags) {
  EXPECT_EQ(InBash("complete -p strata\n"), "complete -o default -F _strata strata\n");
  EXPECT_EQ(Completions("strata ch"), "check\n");
  EXPECT_EQ(Completions("strata e"), "explain erd\n");
  EXPECT_EQ(Completions("strata check --t"), "--tag\n");
  EXPECT_EQ(Completions("strata generate --che"), "--checks --check\n");
  EXPECT_EQ(Completions("strata new --a"), "--after\n");
  EXPECT_EQ(Completions("strata erd --format ''"), "\n") << "a flag's value is left to file names";
  EXPECT_EQ(Completions("strata completion ''"), "bash zsh\n");
  const std::string up = Completions("strata up --");
  for (const char* flag : {"--db", "--tag", "--to", "--allow-destructive", "--no-backup", "--help"})
    EXPECT_NE(up.find(flag), std::string::npos) << flag << " in " << up;
  EXPECT_EQ(up.find("--check"), std::string::npos) << "another verb's flag: " << up;
}

TEST(Completion, ZshScriptIsValidZsh) {
  testing::CommandResult r = testing::RunStrata({"completion", "zsh"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("#compdef strata\n"));
  EXPECT_NE(r.out.find("'--allow-destructive["), std::string::npos) << r.out;
  if (std::system("command -v zsh >/dev/null 2>&1") != 0) GTEST_SKIP() << "zsh is not installed";
  testing::TempDir dir;
  dir.Write("_strata", r.out);
  const std::string command = fmt::format(
      "zsh -f -c 'autoload -U compinit && compinit -u -d {0}/dump && source {0}/_strata && "
      "print -r -- $_comps[strata]' >{0}/out 2>&1",
      dir.path().string());
  EXPECT_EQ(std::system(command.c_str()), 0) << testing::ReadFile(dir / "out");
  EXPECT_EQ(testing::ReadFile(dir / "out"), "_strata\n");
}

TEST(Completion, AnUnknownShellIsAUsageError) {
  testing::CommandResult r = testing::RunStrata({"completion", "fish"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace strata
