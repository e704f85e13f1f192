// Runner::Repair: after a reviewed edit of applied migration files, the
// history is made to record them as they are now.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "migrate/runner.h"

namespace strata {

namespace {

std::string ShortChecksum(const std::string& checksum) {
  return checksum.size() > 19 ? checksum.substr(0, 19) : checksum;  // "sha256:" and 12 hex digits
}

}  // namespace

bool RepairReport::changes() const {
  return std::any_of(items.begin(), items.end(), [](const RepairItem& i) { return !i.changes.empty(); });
}

Result<RepairReport> Runner::Repair(const RepairOptions& options) {
  Result<StatusReport> status = Status();
  if (!status.ok()) return status.status();
  std::vector<const StatusEntry*> chosen;
  for (const std::string& named : options.files) {
    const std::string file = std::filesystem::path(named).filename().string();
    const auto it = std::find_if(status->entries.begin(), status->entries.end(), [&](const StatusEntry& e) {
      return e.entry && (e.entry->up_file == file || (!e.entry->down_file.empty() && e.entry->down_file == file));
    });
    if (it == status->entries.end())
      return Status::InvalidInput(fmt::format("{}: no such migration file in the migrations folder", named));
    if (!it->applied)
      return Status::InvalidInput(fmt::format("{} is not applied; repair re-records applied migrations only "
                                              "(`strata up` applies it)", named));
    if (std::find(chosen.begin(), chosen.end(), &*it) == chosen.end()) chosen.push_back(&*it);
  }
  const bool named = !chosen.empty();
  if (!named)
    for (const StatusEntry& e : status->entries)
      if (e.applied && e.entry) chosen.push_back(&e);

  RepairReport report;
  std::vector<ScriptRun> runs;
  for (const StatusEntry* e : chosen) {
    const AppliedMigration& a = *e->applied;
    ScriptRun run = Run(*e->entry, true);
    RepairItem item{e->entry->up_file, e->version(), {}};
    if (a.checksum != run.checksum)
      item.changes.push_back(a.checksum.empty() ? fmt::format("checksum (none recorded) -> {}", ShortChecksum(run.checksum))
                                                : fmt::format("checksum {} -> {}", ShortChecksum(a.checksum),
                                                              ShortChecksum(run.checksum)));
    if (!a.up_sql) {
      // An older strata's row: its texts are filled in with another change,
      // or when the file is named.
      if (named || !item.changes.empty()) item.changes.push_back("up and down text (an older strata recorded none)");
    } else if (a.down_sql != run.down_sql) {
      item.changes.push_back(run.down_sql ? fmt::format("down text of {}", e->entry->down_file)
                                          : fmt::format("down text ({} is gone)",
                                                        MigrationFileNameFor(e->version(), e->entry->name, false)));
    } else if (*a.up_sql != run.sql && a.checksum == run.checksum) {  // else the checksum says it
      item.changes.push_back("up text");
    }
    if (!item.changes.empty()) runs.push_back(std::move(run));
    if (named || !item.changes.empty()) report.items.push_back(std::move(item));
  }
  report.sum_problems = status->sum_problems;
  if (!options.dry_run && !runs.empty())
    if (strata::Status s = connection_.RerecordApplied(runs); !s.ok()) return s;
  return report;
}

}  // namespace strata
