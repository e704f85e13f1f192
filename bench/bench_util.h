// Shared helpers for the benchmarks: data sizes scaled by STRATA_BENCH_SCALE,
// temporary folders, wall-clock timing, peak memory, child processes, the
// counters every comparison reports (strata_ms, baseline_ms, ratio, target)
// and the run context the report reads (engine, scale, kind of results).
#pragma once

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sqlite/database.h"

extern char** environ;

namespace strata::bench {

// STRATA_BENCH_SCALE multiplies every data size (1 = the full sizes the
// targets are stated for; 0.01 makes a quick CI run).
inline double Scale() {
  static const double scale = [] {
    const char* text = std::getenv("STRATA_BENCH_SCALE");
    double s = text ? std::atof(text) : 1.0;
    return s > 0 ? s : 1.0;
  }();
  return scale;
}

inline int64_t Scaled(int64_t full, int64_t minimum) {
  return std::max(minimum, static_cast<int64_t>(static_cast<double>(full) * Scale()));
}

// The ChefSocial YAML folder: $STRATA_BENCH_SCHEMA_DIR (bench/run sets it
// to its own checkout's schema/), else schema/ of the source tree this
// program was built from.
inline std::filesystem::path SchemaDir() {
  if (const char* dir = std::getenv("STRATA_BENCH_SCHEMA_DIR"); dir && *dir) return dir;
  return std::filesystem::path(STRATA_SOURCE_DIR) / "schema";
}

// What a program's results feed in the report (bench/summarize.py and
// bench/chart.py): "index" (BM_Query/<query>/<variant> runs), "comparison"
// (runs with the Comparison counters) or "timing" (plain timings).
// Recorded in the JSON context with the engine and the scale, so the
// report can tell a missing section from a program that was not run and
// label every figure with the scale actually run.
// `engine` names the database engine measured ("sqlite", "postgresql").
inline void AddRunContext(const char* report, const std::string& engine = "sqlite",
                          const std::string& engine_version = sqlite3_libversion()) {
  std::ostringstream scale;
  scale << Scale();
  benchmark::AddCustomContext("strata_report", report);
  benchmark::AddCustomContext("strata_bench_scale", scale.str());
  benchmark::AddCustomContext("engine", engine);
  benchmark::AddCustomContext("engine_version", engine_version);
}

// --benchmark_min_time in seconds (Google Benchmark's default: 0.5), or 0
// when given as a number of iterations ("100x"). The index benchmarks read
// it to scale their minimum time: an iteration runs every parameter set.
inline double MinTimeFlag(int argc, char** argv) {
  double seconds = 0.5;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    constexpr std::string_view kFlag = "--benchmark_min_time=";
    if (!arg.starts_with(kFlag)) continue;
    const std::string value(arg.substr(kFlag.size()));
    if (value.ends_with("x")) return 0;
    seconds = std::atof(value.c_str());
  }
  return seconds;
}

// Stops the benchmark program: setup failures make every figure meaningless.
[[noreturn]] inline void Fail(const std::string& what) {
  std::cerr << "benchmark setup failed: " << what << "\n";
  std::exit(1);
}

// The baseline's way of running SQL: sqlite3_exec on the NUL-terminated
// text, as an application using the raw API would.
inline void RawExec(sqlite::Database& db, const std::string& sql, const std::string& what) {
  char* error = nullptr;
  if (sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    Fail(what + ": " + message);
  }
}

inline void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Fail(what + ": " + s.message());
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Fail(what + ": " + r.status().message());
  return std::move(r).value();
}

// A fresh folder under the system temporary folder, removed with its content.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) Fail("mkdtemp " + pattern);
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) Fail("cannot write " + path.string());
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Removes a database file and whatever journal it left.
inline void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

inline void CopyDatabaseFile(const std::string& from, const std::string& to) {
  RemoveDatabase(to);
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Peak resident memory of this process since the last ResetPeakRss(), in
// MiB (Linux: VmHWM, which writing 5 to clear_refs resets).
inline bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

inline double PeakRssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

// Runs `argv` to completion with standard output written to `stdout_path`
// (standard error discarded); returns its exit status, or -1.
inline int RunProcess(const std::vector<std::string>& argv, const std::string& stdout_path = "/dev/null") {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  return false;
}

// Accumulates the two sides of a comparison over the iterations and reports
// them as counters: strata_ms and baseline_ms (per iteration), ratio
// (strata / baseline) and the target ratio. The label names the baseline
// ("vs: ...") and what strata does that the baseline does not ("extra:
// ..."), which the report prints next to a missed target.
class Comparison {
 public:
  Comparison(double target, std::string baseline, std::string extra = "")
      : target_(target), baseline_text_(std::move(baseline)), extra_(std::move(extra)) {}
  void AddStrata(double seconds) { strata_ += seconds; }
  void AddBaseline(double seconds) { baseline_ += seconds; }
  double strata() const { return strata_; }

  void Report(benchmark::State& state) const {
    const double n = static_cast<double>(std::max<int64_t>(1, state.iterations()));
    state.counters["strata_ms"] = strata_ * 1000 / n;
    state.counters["baseline_ms"] = baseline_ * 1000 / n;
    state.counters["ratio"] = baseline_ > 0 ? strata_ / baseline_ : 0;
    state.counters["target"] = target_;
    state.SetLabel("vs: " + baseline_text_ + (extra_.empty() ? "" : " | extra: " + extra_));
  }

 private:
  double target_;
  std::string baseline_text_;
  std::string extra_;
  double strata_ = 0;
  double baseline_ = 0;
};

}  // namespace strata::bench

// main() of a benchmark program: Google Benchmark's, plus the run context
// (AddRunContext) of a program whose results feed `report`.
#define STRATA_BENCHMARK_MAIN(report)                                \
  int main(int argc, char** argv) {                                  \
    benchmark::Initialize(&argc, argv);                              \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1; \
    strata::bench::AddRunContext(report);                            \
    benchmark::RunSpecifiedBenchmarks();                             \
    benchmark::Shutdown();                                           \
    return 0;                                                        \
  }
