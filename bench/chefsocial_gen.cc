// Generates (or reuses) the cached ChefSocial benchmark database at
// STRATA_BENCH_SCALE and prints its figures; with --json FILE, also writes
// them there for the benchmark report.
//
//   chefsocial_gen [--json FILE]
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "bench_util.h"
#include "chefsocial_data.h"
#include "yaml/loader.h"

int main(int argc, char** argv) {
  using namespace strata;
  using namespace strata::bench;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
      json_path = argv[++i];
    } else {
      std::cerr << "usage: chefsocial_gen [--json FILE]   (scale: STRATA_BENCH_SCALE)\n";
      return 2;
    }
  }
  Diagnostics diagnostics;
  std::optional<VersionedSchema> schema =
      yaml::LoadSchemaDir(SchemaDir(), diagnostics);
  if (!schema) Fail("schema/ does not load");
  ChefSocialData data = Must(ChefSocialDatabase(*schema, Scale(), DefaultDataDir()), "ChefSocial data");
  int64_t total = 0;
  for (const auto& [table, n] : data.row_counts) total += n;
  std::cout << fmt::format("{}: {} (scale {}, {} rows, {:.1f} MiB, generated in {:.1f} s)\n", data.path,
                           data.reused ? "reused" : "generated", data.scale, total,
                           static_cast<double>(data.size_bytes) / (1024.0 * 1024.0), data.generate_seconds);
  for (const auto& [table, n] : data.row_counts) std::cout << fmt::format("  {:<20} {:>10}\n", table, n);
  if (!json_path.empty()) WriteText(json_path, ToJson(data));
  return 0;
}
