#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "report/erd.h"

extern char** environ;

namespace strata::cli {

namespace {

enum class ErdFormat { kMermaid, kDot, kSvg };

struct ErdFlags {
  CommonOptions common;
  std::string tag;  // empty: the last
  ErdFormat format = ErdFormat::kMermaid;
  bool all_columns = false;
};

std::optional<std::filesystem::path> FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (std::string_view rest = path ? path : ""; !rest.empty();) {
    const size_t colon = rest.find(':');
    const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / program;
    if (!candidate.parent_path().empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
  }
  return std::nullopt;
}

// A folder of its own under the temporary directory, removed with it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "strata-erd-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// SVG from Graphviz's `dot`, run on a file (no pipes to fill both ways).
Result<std::string> DotToSvg(const std::string& dot_source) {
  const std::optional<std::filesystem::path> dot = FindOnPath("dot");
  if (!dot)
    return Status::NotFound("--format svg needs Graphviz's `dot` on PATH (Debian: apt-get install graphviz); "
                            "--format dot writes its input, --format mermaid needs nothing");
  ScratchDir scratch;
  if (scratch.path().empty()) return Status::IOError("cannot create a temporary folder for dot");
  const std::filesystem::path in = scratch.path() / "schema.dot", out = scratch.path() / "schema.svg",
                              errors = scratch.path() / "errors.txt";
  if (Status s = WriteFileAtomically(in, dot_source); !s.ok()) return s;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string program = dot->string(), format = "-Tsvg", output = "-o" + out.string(), input = in.string();
  char* argv[] = {program.data(), format.data(), output.data(), input.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Status::IOError(fmt::format("cannot run {}: {}", program, std::strerror(spawned)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Result<std::string> said = ReadFile(errors);
    return Status::IOError(fmt::format("{} failed: {}", program, said.ok() ? std::string(Trim(*said)) : "no message"));
  }
  return ReadFile(out);
}

}  // namespace

void SetupErd(CLI::App& app, int& exit_code) {
  CLI::App* cmd =
      app.add_subcommand("erd", "Draw the schema at a tag: tables, keys and foreign keys, as Mermaid, DOT or SVG");
  auto flags = std::make_shared<ErdFlags>();
  AddSchemaOption(*cmd, flags->common);
  cmd->add_option("--tag", flags->tag, "tag to draw (default: the last one)");
  const std::map<std::string, ErdFormat> formats = {
      {"mermaid", ErdFormat::kMermaid}, {"dot", ErdFormat::kDot}, {"svg", ErdFormat::kSvg}};
  cmd->add_option("--format", flags->format, "mermaid (default), dot (Graphviz), or svg (needs `dot` on PATH)")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  cmd->add_flag("--all-columns", flags->all_columns, "every column, not only key columns");
  cmd->callback([flags, &exit_code] {
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(flags->common);
    std::optional<int> tag = schema ? ResolveTagOrReport(*schema, flags->tag) : std::nullopt;
    if (!tag) {
      exit_code = kUsage;
      return;
    }
    const Schema at = schema->At(*tag);
    const report::ErdColumns columns = flags->all_columns ? report::ErdColumns::kAll : report::ErdColumns::kKeys;
    if (flags->format == ErdFormat::kMermaid) {
      std::cout << report::ErdMermaid(at, columns);
    } else if (flags->format == ErdFormat::kDot) {
      std::cout << report::ErdDot(at, columns);
    } else {
      Result<std::string> svg = DotToSvg(report::ErdDot(at, columns));
      if (!svg.ok()) {
        PrintError(svg.status().message());
        exit_code = ExitCodeFor(svg.status());
        return;
      }
      std::cout << *svg;
    }
    exit_code = kOk;
  });
}

}  // namespace strata::cli
