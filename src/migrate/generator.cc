#include "migrate/generator.h"

#include <fmt/format.h>

#include "diff/differ.h"

namespace strata {

int64_t VersionForTag(int tag_index) { return (tag_index + 1) * 10; }

GenerateResult GenerateMigrations(const VersionedSchema& schema, const Dialect& dialect,
                                  const MigrationFiles& existing) {
  GenerateResult result;
  Schema previous;
  for (int tag = 0; tag <= schema.project.last_tag(); ++tag) {
    const std::string& tag_name = schema.project.tags[tag];
    // The dialect's own column types: another dialect's override is no
    // change here.
    const Schema current = ResolveDialectTypes(schema.At(tag), dialect.name());
    const RenameHints hints = RenameHints::From(current);
    const std::vector<Change> up_changes = Diff(previous, current, hints);
    const std::vector<Change> down_changes = Diff(current, previous, hints.Inverted());
    const bool enforce = schema.project.foreign_keys_enforced_from == tag;
    Plan up = dialect.PlanMigration(previous, current, up_changes, {.up = true, .verify_all_foreign_keys = enforce});
    Plan down = dialect.PlanMigration(current, previous, down_changes, {.up = false});

    GeneratedMigration m;
    m.tag = tag_name;
    for (const Change& c : up_changes) m.changes.push_back(Describe(c));
    m.destructive = up.destructive_changes;
    // Whatever the down migration destroys is data the up one brought in.
    m.irreversible = down.destructive_changes;
    for (const std::string& d : up.destructive_changes) up.irreversible_notes.push_back("rolling back cannot restore: " + d);
    for (const std::string& d : down.destructive_changes) down.irreversible_notes.push_back("data is lost: " + d);

    const int64_t version = VersionForTag(tag);
    std::optional<int64_t> previous_version;
    if (tag > 0) previous_version = VersionForTag(tag - 1);
    m.up_file = MigrationFileNameFor(version, tag_name, true);
    m.down_file = MigrationFileNameFor(version, tag_name, false);
    const std::string database = schema.project.database.empty() ? "app.db" : schema.project.database;
    result.files[m.up_file] = dialect.RenderMigration(
        up, {m.up_file, version, tag_name, tag_name, true, previous_version, true, database});
    result.files[m.down_file] = dialect.RenderMigration(
        down, {m.down_file, version, tag_name, tag_name, false, std::nullopt, true, database});
    result.migrations.push_back(std::move(m));
    previous = current;
  }
  // Hand-written migrations stay, and the sum file covers them too.
  for (const auto& [name, content] : existing)
    if (name.ends_with(".sql") && !result.files.count(name)) result.files[name] = content;
  result.files[std::string(kSumFile)] = RenderSumFile(result.files);
  return result;
}

MigrationFiles GenerateChecks(const VersionedSchema& schema, const Dialect& dialect) {
  MigrationFiles files;
  for (int tag = 0; tag <= schema.project.last_tag(); ++tag) {
    const std::string& tag_name = schema.project.tags[tag];
    files[tag_name + ".sql"] = dialect.RenderChecks(schema.At(tag), tag_name);
  }
  return files;
}

std::vector<std::string> OutOfDateFiles(const MigrationFiles& expected, const MigrationFiles& actual,
                                        bool extra_is_stale) {
  std::vector<std::string> out;
  for (const auto& [name, content] : expected) {
    auto it = actual.find(name);
    if (it == actual.end())
      out.push_back(fmt::format("{}: missing", name));
    else if (it->second != content)
      out.push_back(fmt::format("{}: out of date", name));
  }
  if (extra_is_stale)
    for (const auto& [name, content] : actual)
      if (!expected.count(name)) out.push_back(fmt::format("{}: not produced by the schema", name));
  return out;
}

}  // namespace strata
