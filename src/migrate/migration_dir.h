// The migrations folder: versioned `NNNN_name.up.sql` / `NNNN_name.down.sql`
// files (the golang-migrate and dbmate convention) and `strata.sum`, which
// holds a checksum per file and one over all of them, so that an edited,
// missing or extra file is visible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace strata {

inline constexpr std::string_view kSumFile = "strata.sum";

struct MigrationFileName {
  int64_t version = 0;
  std::string name;
  bool up = true;
};

std::optional<MigrationFileName> ParseMigrationFileName(std::string_view file_name);
std::string MigrationFileNameFor(int64_t version, std::string_view name, bool up);

// File name -> content, for every *.sql file and the sum file.
using MigrationFiles = std::map<std::string, std::string>;

// Generated migrations take the multiples of this (0010, 0020, ...: one
// per tag); hand-written ones take the numbers between.
inline constexpr int64_t kGeneratedVersionStep = 10;

// The version for a new hand-written migration: the first number after
// `after` (default: the highest version among `files`) that no file uses
// and that is not kept for a generated migration. InvalidInput when the
// numbers up to the next generated version are all taken.
Result<int64_t> NextFreeVersion(const MigrationFiles& files, std::optional<int64_t> after = std::nullopt);

// An absent folder reads as empty.
Result<MigrationFiles> ReadMigrationDir(const std::filesystem::path& dir);
// Writes each file atomically, the sum file last.
Status WriteMigrationFiles(const std::filesystem::path& dir, const MigrationFiles& files);

// The sum file for the *.sql files among `files`.
std::string RenderSumFile(const MigrationFiles& files);

struct SumMismatch {
  enum Kind { kEdited, kMissing, kExtra, kNoSumFile, kSumFileEdited };
  Kind kind;
  std::string file;
  std::string ToString() const;
};

// File name -> SHA-256 (hex) of its content, for every *.sql file.
using FileHashes = std::map<std::string, std::string>;
FileHashes HashMigrationFiles(const MigrationFiles& files);

// Compares the *.sql files among `files` with their sum file, in one pass
// over the sum file's lines; `hashes` are those of HashMigrationFiles, so
// that a caller that also needs them (checksums of applied files) hashes
// each file once.
std::vector<SumMismatch> VerifySumFile(const MigrationFiles& files, const FileHashes& hashes);
std::vector<SumMismatch> VerifySumFile(const MigrationFiles& files);

}  // namespace strata
