#include "cli/run_context.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <regex>
#include <iostream>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "diff/differ.h"

namespace strata::cli {

std::unique_ptr<RunContext> OpenRunContext(const CommonOptions& o, bool create, int& exit_code, SchemaNeed need,
                                           DatabaseUse use) {
  auto owned = std::make_unique<RunContext>();
  RunContext& ctx = *owned;
  std::optional<VersionedSchema> schema = need == SchemaNeed::kTables ? LoadSchemaOrReport(o) : LoadProjectOrReport(o);
  if (!schema) {
    exit_code = kUsage;
    return nullptr;
  }
  ctx.schema = std::move(*schema);
  const std::string_view dialect = DialectOfTarget(o.db);
  if (!ctx.schema.project.GeneratesFor(dialect)) {
    PrintError(fmt::format("{} is a {} database, and the project generates migrations for {} only; add {} to "
                           "`dialects:` in project.yaml and run `strata generate`",
                           RedactedTarget(o.db), dialect, JoinQuoted(ctx.schema.project.dialects), dialect));
    exit_code = kUsage;
    return nullptr;
  }
  const std::string folder = ctx.schema.project.DialectFolder(dialect);
  ctx.migrations_dir = folder.empty() ? o.migrations_dir : (std::filesystem::path(o.migrations_dir) / folder).string();
  const std::string& migrations_dir = ctx.migrations_dir;
  std::error_code error;
  // Applying from a folder that is not there would create an empty database.
  if (create && !std::filesystem::is_directory(migrations_dir, error)) {
    PrintError(fmt::format("migrations folder \"{}\" not found; run `strata generate` first", migrations_dir));
    exit_code = kUsage;
    return nullptr;
  }
  Result<MigrationFiles> files = ReadMigrationDir(migrations_dir);
  if (!files.ok()) {
    PrintError(files.status().message());
    exit_code = ExitCodeFor(files.status());
    return nullptr;
  }
  ctx.files = std::move(files.value());
  Result<std::vector<MigrationEntry>> migrations = LoadMigrations(ctx.files, ctx.schema.project);
  if (!migrations.ok()) {
    PrintError(migrations.status().message());
    exit_code = kUsage;
    return nullptr;
  }
  ctx.migrations = std::move(migrations.value());
  ctx.dialect = MakeDialect(DialectOfTarget(o.db));
  Result<std::unique_ptr<Connection>> connection =
      OpenTarget(o.db, {.create = create,
                        .read_only = use == DatabaseUse::kReadOnly || use == DatabaseUse::kSnapshot,
                        .unchanged = use == DatabaseUse::kSnapshot});
  if (!connection.ok() && use == DatabaseUse::kReadAbsentAsEmpty &&
      connection.status().code() == StatusCode::kNotFound) {
    connection = ctx.dialect->OpenScratch();
    ctx.absent = connection.ok();
  }
  if (!connection.ok()) {
    PrintError(connection.status().message());
    exit_code = ExitCodeFor(connection.status());
    return nullptr;
  }
  ctx.connection = std::move(connection.value());
  std::optional<ExpectedSchema> expected;
  if (need == SchemaNeed::kTables) expected.emplace(ExpectedSchema{ctx.schema, *ctx.dialect});
  ctx.runner = std::make_unique<Runner>(*ctx.connection, ctx.migrations, ctx.schema.project, ctx.files, expected);
  return owned;
}

bool LoadTables(RunContext& run, const CommonOptions& o) {
  CommonOptions text = o;
  text.format = Format::kText;  // warnings on stderr, never inside a command's JSON
  std::optional<VersionedSchema> schema = LoadSchemaOrReport(text);
  if (!schema) return false;
  run.schema = std::move(*schema);
  run.runner = std::make_unique<Runner>(*run.connection, run.migrations, run.schema.project, run.files,
                                        ExpectedSchema{run.schema, *run.dialect});
  return true;
}

namespace {

// "<stem>-YYYYmmddTHHMMSSmmmZ-<pid>.db": sortable by time, unique between
// processes, and recognisable as a backup of exactly this database.
bool IsBackupOf(const std::string& file_name, const std::string& stem) {
  static const std::regex pattern(R"(-\d{8}T\d{9}Z-\d+\.db)");
  return file_name.size() > stem.size() && file_name.compare(0, stem.size(), stem) == 0 &&
         std::regex_match(file_name.substr(stem.size()), pattern);
}

std::filesystem::path BackupDir(const std::string& db) { return std::filesystem::path(db).parent_path() / "backups"; }

}  // namespace

Result<std::string> NextBackupPath(const std::string& db) {
  namespace fs = std::filesystem;
  const fs::path dir = BackupDir(db);
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir, error))
    return Status::IOError(fmt::format("cannot create the backups folder {}: {}", dir.string(),
                                       error ? error.message() : "a file of that name is in the way"));
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  return (dir / fmt::format("{}-{}{:03}Z-{}.db", fs::path(db).stem().string(), stamp, ms, ::getpid())).string();
}

void PruneBackups(const std::string& db, int keep) {
  namespace fs = std::filesystem;
  if (keep <= 0) return;
  const std::string stem = fs::path(db).stem().string();
  std::vector<fs::path> existing;
  std::error_code error;
  for (fs::directory_iterator it(BackupDir(db), error), end; !error && it != end; it.increment(error))
    if (it->is_regular_file(error) && IsBackupOf(it->path().filename().string(), stem)) existing.push_back(it->path());
  std::sort(existing.begin(), existing.end());
  for (size_t i = 0; i + keep < existing.size(); ++i) fs::remove(existing[i], error);
}

void PrintEvent(const RunEvent& e) {
  switch (e.kind) {
    case RunEvent::kAdopted: std::cerr << fmt::format("adopted: {} ({})\n", e.file, e.detail); break;
    case RunEvent::kBackup: std::cerr << fmt::format("backup: {}\n", e.file); break;
    case RunEvent::kNoBackup: std::cerr << fmt::format("backup: none needed ({})\n", e.detail); break;
    case RunEvent::kApplying: break;
    case RunEvent::kApplied: std::cerr << fmt::format("applied: {}\n", e.file); break;
    case RunEvent::kSkipped: std::cerr << fmt::format("skipped: {} ({})\n", e.file, e.detail); break;
    case RunEvent::kRemoved: std::cerr << fmt::format("  removed: {}\n", e.detail); break;
    case RunEvent::kRecordedText:
      std::cerr << fmt::format("note: {}: running the down text recorded when it was applied ({})\n", e.file, e.detail);
      break;
  }
}

void EnableProgress(Connection& connection) {
  if (!isatty(STDERR_FILENO)) return;
  connection.set_progress([](const Progress& p) {
    if (p.seconds < 1.0) return;
    if (p.rows_total > 0 && p.rows_done > 0) {
      const double done = static_cast<double>(p.rows_done) / static_cast<double>(p.rows_total);
      const int filled = static_cast<int>(done * 30);
      std::cerr << fmt::format("\r{} [{:<30}] {:3.0f}% {} of {} rows, {:.0f}s, about {:.0f}s left   ", p.file,
                               std::string(filled, '#'), done * 100, p.rows_done, p.rows_total, p.seconds,
                               p.seconds * (1 - done) / done)
                << std::flush;
      return;
    }
    static const char* spin = "|/-\\";
    static int turn = 0;
    std::cerr << fmt::format("\r{} {} {:.0f}s: {:.60}", spin[turn++ % 4], p.file, p.seconds, p.statement) << std::flush;
  });
}

std::optional<int> TagOfDatabase(const RunContext& run, const std::string& tag_option) {
  if (!tag_option.empty()) return ResolveTagOrReport(run.schema, tag_option);
  Result<std::vector<AppliedMigration>> history = run.connection->ReadHistory();
  if (history.ok() && !history->empty())
    if (std::optional<int> tag = run.schema.project.TagIndex(history->back().tag)) return tag;
  return run.schema.project.last_tag();
}

void AddAtTagOptions(CLI::App& cmd, AtTagFlags& flags, bool allow_junit, const std::string& tag_help) {
  AddSchemaOption(cmd, flags.common);
  AddMigrationsOption(cmd, flags.common);
  AddDbOption(cmd, flags.common);
  AddFormatOption(cmd, flags.common, allow_junit);
  cmd.add_option("--tag", flags.tag, tag_help + " (default: the database's recorded tag)");
}

std::optional<RunAtTag> OpenAtTag(const CommonOptions& o, const std::string& tag_option, int& exit_code) {
  std::unique_ptr<RunContext> run = OpenRunContext(o, false, exit_code);
  if (!run) return std::nullopt;
  std::optional<int> tag = TagOfDatabase(*run, tag_option);
  if (!tag) {
    exit_code = kUsage;
    return std::nullopt;
  }
  return RunAtTag{std::move(run), *tag};
}

}  // namespace strata::cli
