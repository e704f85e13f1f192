#include "migrate/migration_dir.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "base/file_io.h"
#include "base/sha256.h"

namespace strata {

std::optional<MigrationFileName> ParseMigrationFileName(std::string_view file) {
  MigrationFileName out;
  std::string_view rest;
  if (file.ends_with(".up.sql")) {
    rest = file.substr(0, file.size() - 7);
  } else if (file.ends_with(".down.sql")) {
    rest = file.substr(0, file.size() - 9);
    out.up = false;
  } else {
    return std::nullopt;
  }
  size_t underscore = rest.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == rest.size()) return std::nullopt;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + underscore, out.version);
  if (ec != std::errc() || p != rest.data() + underscore || out.version <= 0) return std::nullopt;
  out.name = std::string(rest.substr(underscore + 1));
  return out;
}

Result<int64_t> NextFreeVersion(const MigrationFiles& files, std::optional<int64_t> after) {
  std::set<int64_t> used;
  for (const auto& [name, content] : files)
    if (std::optional<MigrationFileName> parsed = ParseMigrationFileName(name)) used.insert(parsed->version);
  const int64_t start = after ? *after : (used.empty() ? 0 : *used.rbegin());
  if (start < 0) return Status::InvalidInput(fmt::format("version {} is negative", start));
  const int64_t next_generated = (start / kGeneratedVersionStep + 1) * kGeneratedVersionStep;
  for (int64_t v = start + 1; v < next_generated; ++v)
    if (!used.count(v)) return v;
  return Status::InvalidInput(fmt::format("no free version after {:04}: every one before {:04}, which is kept for a "
                                          "generated migration, is taken",
                                          start, next_generated));
}

std::string MigrationFileNameFor(int64_t version, std::string_view name, bool up) {
  return fmt::format("{:04}_{}.{}.sql", version, name, up ? "up" : "down");
}

Result<MigrationFiles> ReadMigrationDir(const std::filesystem::path& dir) {
  MigrationFiles files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || (!name.ends_with(".sql") && name != kSumFile)) continue;
    Result<std::string> text = ReadFile(entry.path());
    if (!text.ok()) return text.status();
    files[name] = std::move(text.value());
  }
  if (ec) return Status::IOError(fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  return files;
}

Status WriteMigrationFiles(const std::filesystem::path& dir, const MigrationFiles& files) {
  for (const auto& [name, content] : files)
    if (name != kSumFile)
      if (Status s = WriteFileAtomically(dir / name, content); !s.ok()) return s;
  if (auto sum = files.find(std::string(kSumFile)); sum != files.end())
    return WriteFileAtomically(dir / kSumFile, sum->second);
  return Status::Ok();
}

std::string RenderSumFile(const MigrationFiles& files) {
  std::string lines;
  for (const auto& [name, content] : files)
    if (name.ends_with(".sql")) lines += fmt::format("{} h1:{}\n", name, Sha256Hex(content));
  return fmt::format("h1:{}\n{}", Sha256Hex(lines), lines);
}

std::string SumMismatch::ToString() const {
  switch (kind) {
    case kEdited: return fmt::format("{}: edited after its checksum was recorded", file);
    case kMissing: return fmt::format("{}: listed in {} but missing", file, kSumFile);
    case kExtra: return fmt::format("{}: not listed in {}", file, kSumFile);
    case kNoSumFile: return fmt::format("{} is missing", kSumFile);
    case kSumFileEdited: return fmt::format("{} was edited by hand", kSumFile);
  }
  return file;
}

FileHashes HashMigrationFiles(const MigrationFiles& files) {
  FileHashes out;
  for (const auto& [name, content] : files)
    if (name.ends_with(".sql")) out.emplace_hint(out.end(), name, Sha256Hex(content));
  return out;
}

std::vector<SumMismatch> VerifySumFile(const MigrationFiles& files) {
  return VerifySumFile(files, HashMigrationFiles(files));
}

std::vector<SumMismatch> VerifySumFile(const MigrationFiles& files, const FileHashes& hashes) {
  std::vector<SumMismatch> out;
  auto sum = files.find(std::string(kSumFile));
  if (sum == files.end()) {
    bool any_sql = false;
    for (const auto& [name, content] : files) any_sql = any_sql || name.ends_with(".sql");
    if (any_sql) out.push_back({SumMismatch::kNoSumFile, std::string(kSumFile)});
    return out;
  }
  const std::string& text = sum->second;
  size_t first_newline = text.find('\n');
  std::string header = text.substr(0, first_newline);
  std::string lines = first_newline == std::string::npos ? "" : text.substr(first_newline + 1);
  if (header != "h1:" + Sha256Hex(lines)) out.push_back({SumMismatch::kSumFileEdited, std::string(kSumFile)});
  std::map<std::string_view, std::string_view> recorded;
  const std::string_view all = lines;
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view line = all.substr(start, end - start);
    size_t space = line.rfind(" h1:");
    if (space != std::string_view::npos) recorded[line.substr(0, space)] = line.substr(space + 4);
    start = end + 1;
  }
  for (const auto& [name, hash] : recorded) {
    auto it = hashes.find(std::string(name));
    if (it == hashes.end())
      out.push_back({SumMismatch::kMissing, std::string(name)});
    else if (it->second != hash)
      out.push_back({SumMismatch::kEdited, std::string(name)});
  }
  for (const auto& [name, hash] : hashes)
    if (!recorded.count(name)) out.push_back({SumMismatch::kExtra, name});
  return out;
}

}  // namespace strata
