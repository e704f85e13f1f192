// A deterministic ChefSocial database for the index benchmarks: the schema
// at its last tag, created from schema/ with sqlite::CreateSchema, filled
// with set-based INSERT ... SELECT statements over a recursive counter and a
// few SQL functions backed by a fixed-seed hash (no random()).
//
// At scale 1: 100,000 users, 1,000,000 conversations, 1,000,000 content rows,
// 12 months of usage per user, and the phase2-4 tables at plausible sizes.
// Activity follows a Zipf-Mandelbrot law over users (a few very active
// chefs, many quiet ones); the same users are the active ones in every
// table. All timestamps lie in the year 2024-07-01 .. 2025-06-30.
//
// The file is cached: ChefSocialDatabase() reuses it when the schema hash,
// the generator version and the scale recorded next to it all match. It is
// also the source of the PostgreSQL benchmark's rows (pg_index_bench copies
// it table by table) and of both index benchmarks' parameter values
// (SampleQueryParameters), so the two engines answer the same queries on
// the same data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "schema/versioned.h"
#include "sqlite/database.h"

namespace strata::bench {

struct ChefSocialData {
  std::string path;            // the database file
  double scale = 1;
  std::string schema_hash;     // of the schema's SQL at its last tag + generator version
  bool reused = false;         // true when the cached file was reused
  double generate_seconds = 0; // of the run that generated the file
  int64_t size_bytes = 0;
  std::vector<std::pair<std::string, int64_t>> row_counts;  // per table, by name
};

// The folder that holds cached databases: $STRATA_BENCH_DATA_DIR (bench/run
// sets it under its output folder), else bench-data/ in the current working
// folder.
std::filesystem::path DefaultDataDir();

// The hash that identifies a generated file's content: the schema's SQL at
// its last tag, the generator version and the scale.
std::string DataHash(const VersionedSchema& schema, double scale);

// Returns the cached database for `scale` in `dir`, generating it (into a
// temporary file renamed into place) when it is missing or stale.
Result<ChefSocialData> ChefSocialDatabase(const VersionedSchema& schema, double scale,
                                          const std::filesystem::path& dir);

// The same figures as JSON, for the benchmark report.
std::string ToJson(const ChefSocialData& data);

// One parameter set of a declared query: its values as text, in order.
using QueryParams = std::vector<std::string>;

// The most parameter sets a declared query is benchmarked with.
inline constexpr int kQueryParameterSets = 16;

// Realistic parameter values for the declared query `query`, read from a
// ChefSocialDatabase file: up to kQueryParameterSets sets taken from rows
// spread evenly over a "driver" table (user-facing queries get users drawn
// from rows of their activity tables, so the busy users come up as often as
// they would in traffic), or fixed values. NotFound when the query has no
// recipe (a newly declared query needs one in chefsocial_data.cc).
Result<std::vector<QueryParams>> SampleQueryParameters(sqlite::Database& db, const std::string& query);

}  // namespace strata::bench
