#include "migrate/hand_written.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "migrate/runner.h"
#include "plan/migration_header.h"

namespace strata {

namespace {

std::string Head(const HandWrittenPair& pair, std::string_view name, bool up) {
  const std::string& file = up ? pair.up_file : pair.down_file;
  const MigrationHeader header{.file_name = file, .version = pair.version, .name = std::string(name), .tag = pair.tag,
                               .up = up, .hand_written = true};
  const std::string how_to_run =
      up ? "Written by hand (`strata new`): the SQL below this head is yours. `strata up` runs it in one transaction\n"
           "and records it in the history; a failed statement leaves the database as it was."
         : fmt::format("Written by hand (`strata new`): the SQL below this head undoes {}. `strata down` runs it in\n"
                       "one transaction and removes it from the history.",
                       pair.up_file);
  return RenderMigrationHeader(header, Plan{}, how_to_run);
}

}  // namespace

Status CheckMigrationName(std::string_view name) {
  if (IsSafeName(name)) return Status::Ok();
  return Status::InvalidInput(fmt::format("\"{}\" cannot name a migration: use 1 to 64 letters, digits, '_', '-' or "
                                          "'.', starting with a letter or digit",
                                          EscapedForMessage(name)));
}

Result<HandWrittenPair> NewHandWrittenPair(const MigrationFiles& existing, const Project& project, int64_t version,
                                           std::string_view name) {
  if (Status s = CheckMigrationName(name); !s.ok()) return s;
  bool any_migration = false;
  for (const auto& [file, content] : existing)
    any_migration = any_migration || ParseMigrationFileName(file).has_value();
  if (!any_migration)
    return Status::InvalidInput("the folder holds no migrations yet; `strata generate` writes the first ones");
  if (version <= 0) return Status::InvalidInput(fmt::format("version {} is not a positive number", version));
  if (version % kGeneratedVersionStep == 0)
    return Status::InvalidInput(fmt::format("version {:04} is kept for a generated migration", version));
  for (const auto& [file, content] : existing)
    if (std::optional<MigrationFileName> parsed = ParseMigrationFileName(file); parsed && parsed->version == version)
      return Status::InvalidInput(fmt::format("version {:04} is taken by {}", version, file));
  if (std::vector<SumMismatch> mismatches = VerifySumFile(existing); !mismatches.empty()) {
    std::vector<std::string> lines;
    for (const SumMismatch& m : mismatches) lines.push_back(m.ToString());
    return Status::InvalidInput(fmt::format("the folder does not match {}, and a new sum file would hide that:\n  {}",
                                            kSumFile, fmt::join(lines, "\n  ")));
  }
  HandWrittenPair pair;
  pair.version = version;
  pair.up_file = MigrationFileNameFor(version, name, true);
  pair.down_file = MigrationFileNameFor(version, name, false);
  // The runner's own rule gives the tag: the pair is filed where a file
  // without a head at that version would be.
  MigrationFiles with_pair = existing;
  with_pair[pair.up_file] = "";
  Result<std::vector<MigrationEntry>> entries = LoadMigrations(with_pair, project);
  if (!entries.ok()) return entries.status();
  for (const MigrationEntry& e : *entries)
    if (e.version == version) pair.tag = e.tag;
  pair.files[pair.up_file] = Head(pair, name, true);
  pair.files[pair.down_file] = Head(pair, name, false);
  for (const auto& [file, content] : pair.files) with_pair[file] = content;
  pair.files[std::string(kSumFile)] = RenderSumFile(with_pair);
  return pair;
}

}  // namespace strata
