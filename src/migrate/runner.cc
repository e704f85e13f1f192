#include "migrate/runner.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/sha256.h"
#include "diff/differ.h"
#include "migrate/generator.h"

namespace strata {

std::string Checksum(const std::string& sql) { return "sha256:" + Sha256Hex(sql); }

ScriptRun RunOf(const MigrationEntry& m, bool up, std::optional<std::string> checksum) {
  const MigrationFacts& facts = up ? m.up_facts : m.down_facts;
  const std::string& sql = up ? m.up_sql : m.down_sql;
  return {.file_name = up ? m.up_file : m.down_file, .version = m.version, .name = m.name, .tag = m.tag, .up = up,
          .sql = sql, .checksum = checksum ? std::move(*checksum) : Checksum(sql),
          .down_sql = up && !m.down_file.empty() ? std::optional<std::string>(m.down_sql) : std::nullopt,
          .own_transaction = facts.own_transaction, .outside_transaction = facts.outside_transaction};
}

Result<std::vector<MigrationEntry>> LoadMigrations(const MigrationFiles& files, const Project& project) {
  std::map<int64_t, MigrationEntry> by_version;
  for (const auto& [name, content] : files) {
    std::optional<MigrationFileName> parsed = ParseMigrationFileName(name);
    if (!parsed) continue;
    MigrationEntry& e = by_version[parsed->version];
    if (!e.name.empty() && e.name != parsed->name)
      return Status::InvalidInput(fmt::format("two migrations have version {}: {} and {}", parsed->version,
                                              e.up_file.empty() ? e.down_file : e.up_file, name));
    e.version = parsed->version;
    e.name = parsed->name;
    (parsed->up ? e.up_file : e.down_file) = name;
    (parsed->up ? e.up_sql : e.down_sql) = content;
    (parsed->up ? e.up_facts : e.down_facts) = ReadMigrationFacts(content);
  }
  std::vector<MigrationEntry> out;
  out.reserve(by_version.size());
  for (auto& [version, e] : by_version) {
    if (e.up_file.empty())
      return Status::InvalidInput(fmt::format("{} has no up migration", e.down_file));
    e.tag = e.up_facts.tag;
    out.push_back(std::move(e));
  }
  std::string next_tag = project.tags.empty() ? "" : project.tags.back();
  for (auto it = out.rbegin(); it != out.rend(); ++it) {
    if (it->tag.empty()) it->tag = next_tag;
    next_tag = it->tag;
  }
  return out;
}

bool StatusReport::ok() const {
  if (!sum_problems.empty()) return false;
  for (const StatusEntry& e : entries)
    if (e.checksum_mismatch || !e.entry) return false;
  return true;
}

int StatusReport::applied_count() const {
  return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const StatusEntry& e) { return e.applied != nullptr; }));
}

int StatusReport::pending_count() const { return static_cast<int>(entries.size()) - applied_count(); }

const FileHashes& Runner::Hashes() {
  if (!hashes_) hashes_ = HashMigrationFiles(files_);
  return *hashes_;
}

ScriptRun Runner::Run(const MigrationEntry& m, bool up) {
  const auto hash = Hashes().find(up ? m.up_file : m.down_file);
  if (hash == Hashes().end()) return RunOf(m, up);
  return RunOf(m, up, "sha256:" + hash->second);
}

Result<StatusReport> Runner::Status() {
  Result<std::vector<AppliedMigration>> history = connection_.ReadHistory();
  if (!history.ok()) return history.status();
  return StatusOf(std::move(*history));
}

StatusReport Runner::StatusOf(std::vector<AppliedMigration> history) {
  StatusReport report;
  report.history = std::move(history);
  report.sum_problems = VerifySumFile(files_, Hashes());
  std::map<int64_t, const AppliedMigration*> applied;
  for (const AppliedMigration& a : report.history) applied[a.version] = &a;
  report.entries.reserve(migrations_.size() + applied.size());
  for (const MigrationEntry& m : migrations_) {
    StatusEntry e{&m, nullptr, false};
    if (auto it = applied.find(m.version); it != applied.end()) {
      e.applied = it->second;
      if (!it->second->checksum.empty()) {
        const auto hash = Hashes().find(m.up_file);
        e.checksum_mismatch = it->second->checksum != (hash == Hashes().end() ? Checksum(m.up_sql)
                                                                               : "sha256:" + hash->second);
      }
      applied.erase(it);
    }
    report.entries.push_back(e);
  }
  for (const auto& [version, a] : applied) report.entries.push_back({nullptr, a, false});
  std::sort(report.entries.begin(), report.entries.end(), [](const StatusEntry& a, const StatusEntry& b) {
    auto v = [](const StatusEntry& e) { return e.entry ? e.entry->version : e.applied->version; };
    return v(a) < v(b);
  });
  return report;
}

int64_t StatusEntry::version() const { return entry ? entry->version : applied->version; }

std::optional<std::string> StatusEntry::RecordedDownReason() const {
  if (!applied || !applied->up_sql || !applied->down_sql) return std::nullopt;
  if (!entry) return "its files are gone";
  if (entry->down_file.empty())
    return fmt::format("{} is gone", MigrationFileNameFor(entry->version, entry->name, false));
  if (entry->down_sql != *applied->down_sql) return fmt::format("{} was edited since", entry->down_file);
  return std::nullopt;
}

std::vector<std::string> WaysOut(const StatusReport& report, const StatusEntry& e, const std::string& migrations_dir) {
  if (!e.applied || (e.entry && !e.checksum_mismatch)) return {};
  const std::string file = e.entry ? e.entry->up_file : MigrationFileNameFor(e.applied->version, e.applied->name, true);
  const std::string path = migrations_dir.empty() ? file : migrations_dir + "/" + file;
  std::vector<std::string> out;
  out.push_back(fmt::format("put the file back as it was applied: `git checkout -- {}` (or `strata generate`, once "
                            "schema/ is back to what produced it)",
                            path));
  if (e.entry)
    out.push_back(fmt::format("keep the edit: review it, then `strata repair {}` re-records its checksum and text "
                              "(the database is not changed)",
                              file));
  // `down` rolls back every later version too: back to the one before.
  int64_t before = 0;
  for (const StatusEntry& other : report.entries)
    if (other.applied && other.version() < e.version()) before = other.version();
  const bool last = std::none_of(report.entries.begin(), report.entries.end(), [&](const StatusEntry& other) {
    return other.applied && other.version() > e.version();
  });
  const std::string down = last ? "strata down" : fmt::format("strata down --to {:04}", before);
  if (e.applied->up_sql && e.applied->down_sql)
    out.push_back(fmt::format("roll it back: `{}` runs the down text recorded when it was applied{}", down,
                              e.entry ? ", then `strata up` applies the file as it is now" : ""));
  else
    out.push_back(fmt::format("rolling it back with `{}` needs the file as it was applied: the history holds no "
                              "down text for it (an older strata applied it)",
                              down));
  return out;
}

strata::Status Runner::Verify(const StatusReport& report, const std::set<int64_t>& around) {
  for (const SumMismatch& m : report.sum_problems) {
    const std::optional<MigrationFileName> name = ParseMigrationFileName(m.file);
    if (name && around.contains(name->version)) continue;
    return Status::Error(StatusCode::kCorruption, m.ToString() + "; run `strata generate` or restore the file");
  }
  for (const StatusEntry& e : report.entries) {
    if (around.contains(e.version())) continue;
    if (e.checksum_mismatch)
      return Status::Error(StatusCode::kCorruption,
                           fmt::format("{} was edited after it was applied (checksum mismatch); `strata status` "
                                       "shows the ways out",
                                       e.entry->up_file));
    if (!e.entry)
      return Status::Error(StatusCode::kCorruption,
                           fmt::format("the database records version {} ({}), which has no file in the migrations "
                                       "folder; `strata status` shows the ways out",
                                       e.applied->version, e.applied->name));
  }
  return Status::Ok();
}

Result<std::vector<const MigrationEntry*>> Runner::Pending(const UpOptions& options) {
  Result<StatusReport> report = Status();
  if (!report.ok()) return report.status();
  if (strata::Status s = Verify(*report); !s.ok()) return s;
  return PendingOf(*report, options);
}

std::vector<const MigrationEntry*> Runner::PendingOf(const StatusReport& report, const UpOptions& options) const {
  int64_t last_version = INT64_MAX;
  if (options.to_version) last_version = *options.to_version;
  std::vector<const MigrationEntry*> out;
  for (const StatusEntry& e : report.entries) {
    if (e.applied || e.entry->version > last_version) continue;
    if (options.tag) {
      std::optional<int> tag = project_.TagIndex(e.entry->tag);
      if (tag && *tag > *options.tag) continue;
    }
    out.push_back(e.entry);
  }
  return out;
}

Result<std::vector<DriftItem>> DriftAtTag(Connection& connection, const Dialect& dialect,
                                          const VersionedSchema& schema, const Schema& live, int tag) {
  Schema kept = live;
  std::erase_if(kept.tables, [&](const Table& t) { return schema.project.IgnoresTable(t.name); });
  Result<Schema> expected = connection.AsInspected(schema.At(tag));
  if (!expected.ok()) return expected.status();
  DiffOptions rules = dialect.DiffRules();
  rules.compare_rows = false;
  return DescribeDrift(Diff(dialect.Normalize(*expected), dialect.Normalize(kept), {}, rules));
}

Result<std::vector<std::string>> Runner::Differences(const Schema& live, int tag) {
  if (!expected_) return std::vector<std::string>{"cannot compare without the schema"};
  Result<std::vector<DriftItem>> drift = DriftAtTag(connection_, expected_->dialect, expected_->schema, live, tag);
  if (!drift.ok()) return drift.status();
  std::vector<std::string> out;
  for (const DriftItem& d : *drift) out.push_back(fmt::format("{}: {}", d.table, d.finding));
  return out;
}

// A failed migration on a database someone changed by hand: the error also
// says how it differs from the tag its history records, and where to look.

strata::Status Runner::WithDrift(const strata::Status& failure) {
  if (!expected_) return failure;
  Result<std::vector<AppliedMigration>> history = connection_.ReadHistory();
  Result<Schema> live = connection_.Inspect();
  if (!history.ok() || !live.ok()) return failure;
  const std::optional<int> tag = history->empty() ? std::nullopt : RecordedTag(history->back());
  if (!tag) return failure;
  Result<std::vector<std::string>> found = Differences(*live, *tag);
  if (!found.ok() || found->empty()) return failure;
  return strata::Status::Error(
      failure.code(), fmt::format("{}\nthe database differs from tag \"{}\", where its history says it is ({} "
                                  "difference(s); `strata drift` shows them):\n  {}",
                                  failure.message(), history->back().tag, found->size(), fmt::join(*found, "\n  ")));
}

// Whether schema/ now produces other files than those applied through
// `tag`: then the YAML at that tag is not what the files made, and a
// difference from it says nothing about the database (the stale check of
// `up`, and `generate`, are where that is reported).
bool Runner::AppliedFilesAreStale(int tag) const {
  const std::vector<std::string> stale =
      OutOfDateFiles(GenerateMigrations(expected_->schema, expected_->dialect, files_).files, files_);
  for (const MigrationEntry& m : migrations_) {
    const std::optional<int> t = project_.TagIndex(m.tag);
    if (!t || *t > tag) continue;
    for (const std::string& s : stale)
      if (s.starts_with(m.up_file + ":") || (!m.down_file.empty() && s.starts_with(m.down_file + ":"))) return true;
  }
  return false;
}

std::optional<int> Runner::RecordedTag(const AppliedMigration& last) const {
  for (const MigrationEntry& m : migrations_)
    if (m.version == last.version && !m.up_facts.generated) return std::nullopt;
  return project_.TagIndex(last.tag);
}

strata::Status Runner::RefuseDrift(const StatusReport& report, std::string_view consequence) {
  if (!expected_ || report.history.empty()) return Status::Ok();
  // An applied file edited or gone since (a `down` from the recorded text):
  // the YAML no longer says what was applied, so it cannot say what the
  // database should be either.
  for (const StatusEntry& e : report.entries)
    if (e.applied && (e.checksum_mismatch || !e.entry)) return Status::Ok();
  const AppliedMigration& last = report.history.back();
  const std::optional<int> at = RecordedTag(last);
  if (!at) return Status::Ok();
  // A dialect that cannot inspect cannot be compared: not a refusal.
  Result<Schema> live = connection_.Inspect();
  if (!live.ok() && live.status().code() != StatusCode::kNotSupported) return live.status();
  Result<std::vector<std::string>> compared =
      live.ok() ? Differences(*live, *at) : Result<std::vector<std::string>>(std::vector<std::string>{});
  if (!compared.ok()) return compared.status();
  std::vector<std::string> differences = std::move(compared.value());
  // The history and the schema are read in two snapshots: a run that
  // committed a migration in between is not a change by hand.
  if (!differences.empty()) {
    Result<std::vector<AppliedMigration>> again = connection_.ReadHistory();
    if (!again.ok()) return again.status();
    if (again->size() != report.history.size() || again->back().version != last.version) differences.clear();
  }
  if (differences.empty() || AppliedFilesAreStale(*at)) return Status::Ok();
  return Status::Error(StatusCode::kRefused,
                       fmt::format("the database differs from tag \"{}\", where its history says it is, so {} ({} "
                                   "difference(s); `strata drift` shows them):\n  {}\nundo the change by hand, or pass "
                                   "--allow-drift to go on anyway",
                                   last.tag, consequence, differences.size(), fmt::join(differences, "\n  ")));
}

namespace {

// Whether running `files` can lose data even when every one succeeds, so
// that only a copy taken before could bring it back. A generated file that
// adds, alters or rebuilds keeps every row (its postchecks count them) and
// rolls back as a whole on any failure: its transaction is its backup.
bool CanLoseData(const std::vector<const MigrationEntry*>& files) {
  for (const MigrationEntry* m : files)
    if (!m->up_facts.generated || !m->up_facts.destructive.empty() || m->up_facts.data_fixes ||
        m->up_facts.outside_transaction)
      return true;
  return false;
}

}  // namespace

strata::Status Runner::Up(const UpOptions& options, const RunListener& listener) {
  // The history is read once; the pending list and adoption both use it.
  Result<std::vector<AppliedMigration>> history = connection_.ReadHistory();
  if (!history.ok()) return history.status();
  const StatusReport report = StatusOf(std::move(*history));
  if (strata::Status s = Verify(report); !s.ok()) return s;
  const std::vector<const MigrationEntry*> found = PendingOf(report, options);
  const std::vector<const MigrationEntry*>* pending = &found;
  if (pending->empty()) return Status::Ok();
  if (!options.allow_destructive)
    for (const MigrationEntry* m : *pending)
      if (!m->up_facts.destructive.empty())
        return Status::InvalidInput(fmt::format("{} is destructive ({}); rerun with --allow-destructive", m->up_file,
                                                m->up_facts.destructive.front()));

  // A database changed by hand since its last migration.
  if (options.refuse_drift)
    if (strata::Status s = RefuseDrift(report, "the pending migrations could fail half way or change the wrong "
                                                 "shape; nothing was applied");
        !s.ok())
      return s;

  // A live database strata did not create: adopt it if it is the first tag.
  Result<bool> empty = connection_.IsEmpty();
  if (!empty.ok()) return empty.status();
  size_t first = 0;
  // Tables and no history may also be another run's first migration,
  // committed after this run read the history: a migration writes its
  // tables and its history row in one transaction, so a second read after
  // seeing the tables tells the two apart.
  bool unmanaged = report.history.empty() && !*empty;
  if (unmanaged) {
    Result<std::vector<AppliedMigration>> again = connection_.ReadHistory();
    if (!again.ok()) return again.status();
    unmanaged = again->empty();
  }
  if (unmanaged) {
    const MigrationEntry* base = pending->front();
    Result<Schema> live = connection_.Inspect();
    if (!live.ok()) return live.status();
    const std::optional<int> base_tag = project_.TagIndex(base->tag);
    Result<std::vector<std::string>> compared =
        base_tag ? Differences(*live, *base_tag)
                 : Result<std::vector<std::string>>(std::vector<std::string>{"its tag is not in the project"});
    if (!compared.ok()) return compared.status();
    const std::vector<std::string>& why = *compared;
    if (!why.empty())
      return Status::InvalidInput(fmt::format(
          "the database has tables but no strata history, and its schema is not tag \"{}\": {}; `strata baseline` "
          "adopts a database at a later tag",
          base->tag, fmt::join(why, "; ")));
    if (strata::Status s = connection_.RecordApplied(Run(*base, true));
        !s.ok())
      return s;
    listener({RunEvent::kAdopted, base->up_file, "the live schema is tag \"" + base->tag + "\"", 0});
    first = 1;
  }
  std::vector<ScriptRun> runs;
  for (size_t i = first; i < pending->size(); ++i) {
    const MigrationEntry* m = (*pending)[i];
    runs.push_back(Run(*m, true));
    // Every file that cannot run is refused before any runs.
    if (strata::Status s = connection_.Validate(runs.back()); !s.ok()) return s;
  }
  if (options.backup_to && !*empty) {
    const std::vector<const MigrationEntry*> to_run(pending->begin() + static_cast<ptrdiff_t>(first), pending->end());
    if (options.backup_always || CanLoseData(to_run)) {
      if (strata::Status s = connection_.Backup(*options.backup_to); !s.ok()) return s.WithContext("backup");
      listener({RunEvent::kBackup, *options.backup_to, "", 0});
    } else {
      listener({RunEvent::kNoBackup, "", "every pending file keeps every row and rolls back on failure; --backup takes one anyway", 0});
    }
  }
  if (options.single_transaction) {
    for (const ScriptRun& r : runs) listener({RunEvent::kApplying, r.file_name, "", 0});
    strata::Status s = connection_.ApplyAll(runs);
    if (s.ok())
      for (const ScriptRun& r : runs) listener({RunEvent::kApplied, r.file_name, "", 0});
    return s;
  }
  Result<std::unique_ptr<RunLock>> lock = connection_.LockRun();
  if (!lock.ok()) return lock.status();
  for (const ScriptRun& r : runs) {
    listener({RunEvent::kApplying, r.file_name, "", 0});
    Result<ApplyOutcome> outcome = connection_.Apply(r);
    if (!outcome.ok()) return WithDrift(outcome.status());
    listener({*outcome == ApplyOutcome::kApplied ? RunEvent::kApplied : RunEvent::kSkipped, r.file_name,
              *outcome == ApplyOutcome::kApplied ? "" : "already applied by another run", 0});
  }
  return Status::Ok();
}

strata::Status Runner::Down(const DownOptions& options, const RunListener& listener) {
  Result<StatusReport> report = Status();
  if (!report.ok()) return report.status();
  std::vector<const StatusEntry*> applied;
  for (const StatusEntry& e : report->entries)
    if (e.applied) applied.push_back(&e);
  std::reverse(applied.begin(), applied.end());
  if (options.steps && *options.steps > static_cast<int>(applied.size()))
    return Status::InvalidInput(fmt::format("--steps {} is more than the {} migration(s) applied; nothing was rolled "
                                            "back", *options.steps, applied.size()));
  std::vector<const StatusEntry*> targets;
  for (const StatusEntry* e : applied) {
    if (options.to_version) {
      if (e->version() <= *options.to_version) break;
    } else if (options.tag) {
      std::optional<int> tag = project_.TagIndex(e->entry ? e->entry->tag : e->applied->tag);
      if (tag && *tag <= *options.tag) break;
    } else if (static_cast<int>(targets.size()) >= options.steps.value_or(1)) {
      break;
    }
    targets.push_back(e);
  }
  // A target whose history holds its texts is rolled back whatever became
  // of its files since: their edits (or absence) are no obstacle.
  std::set<int64_t> around;
  for (const StatusEntry* e : targets)
    if (e->applied->up_sql && e->applied->down_sql) around.insert(e->version());
  if (strata::Status s = Verify(*report, around); !s.ok()) return s;
  struct DownRun {
    ScriptRun run;
    std::vector<std::string> destructive;
    std::optional<std::string> recorded_because;  // why the recorded text runs, not the file
  };
  std::vector<DownRun> runs;
  // What a destructive step puts at stake, counted before anything runs.
  const auto with_rows = [&](const std::string& step) -> std::string {
    std::optional<DescribedData> data = DataAtRisk(step);
    if (!data) return step;
    Result<int64_t> rows = connection_.CountRows(data->table, data->column);
    if (!rows.ok()) return step;  // the table is not there to count
    return fmt::format("{} ({} row{}{})", step, *rows, *rows == 1 ? "" : "s",
                       data->column.empty() ? "" : *rows == 1 ? " holds a value" : " hold a value");
  };
  std::vector<std::string> destructive;  // of every file this run would apply
  for (const StatusEntry* e : targets) {
    DownRun down;
    down.recorded_because = e->RecordedDownReason();
    if (down.recorded_because) {
      const std::string& text = *e->applied->down_sql;
      const MigrationFacts facts = ReadMigrationFacts(text);
      down.run = {.file_name = e->entry && !e->entry->down_file.empty()
                                   ? e->entry->down_file
                                   : MigrationFileNameFor(e->version(), e->applied->name, false),
                  .version = e->version(), .name = e->applied->name, .tag = e->applied->tag, .up = false,
                  .sql = text, .checksum = Checksum(text), .own_transaction = facts.own_transaction,
                  .outside_transaction = facts.outside_transaction};
      down.destructive = facts.destructive;
    } else {
      if (e->entry->down_file.empty())
        return Status::InvalidInput(
            fmt::format("{} has no down migration; cannot roll back past it", e->entry->up_file));
      down.run = Run(*e->entry, false);
      down.destructive = e->entry->down_facts.destructive;
    }
    for (std::string& d : down.destructive) {
      d = with_rows(d);
      destructive.push_back(down.run.file_name + ": " + d);
    }
    runs.push_back(std::move(down));
  }
  if (!options.allow_destructive && !destructive.empty())
    return Status::Error(StatusCode::kRefused,
                         fmt::format("rolling back would lose data; nothing was rolled back. {} destructive step(s):\n  "
                                     "{}\nrerun with --allow-destructive to roll back anyway",
                                     destructive.size(), fmt::join(destructive, "\n  ")));
  for (const DownRun& d : runs)
    if (strata::Status s = connection_.Validate(d.run); !s.ok()) return s;
  if (!runs.empty() && options.refuse_drift) {
    if (strata::Status s = RefuseDrift(*report, "the down files could fail half way or drop what they did not "
                                                 "create; nothing was rolled back");
        !s.ok())
      return s;
  }
  if (!runs.empty() && options.backup_to) {
    if (strata::Status s = connection_.Backup(*options.backup_to); !s.ok()) return s.WithContext("backup");
    listener({RunEvent::kBackup, *options.backup_to, "", 0});
  }
  Result<std::unique_ptr<RunLock>> lock = connection_.LockRun();
  if (!lock.ok()) return lock.status();
  for (const DownRun& d : runs) {
    if (d.recorded_because) listener({RunEvent::kRecordedText, d.run.file_name, *d.recorded_because, 0});
    listener({RunEvent::kApplying, d.run.file_name, "", 0});
    Result<ApplyOutcome> outcome = connection_.Apply(d.run);
    if (!outcome.ok()) return outcome.status();
    listener({*outcome == ApplyOutcome::kApplied ? RunEvent::kApplied : RunEvent::kSkipped, d.run.file_name, "", 0});
    if (*outcome == ApplyOutcome::kApplied)
      for (const std::string& removed : d.destructive) listener({RunEvent::kRemoved, d.run.file_name, removed, 0});
  }
  return Status::Ok();
}

strata::Status Runner::Baseline(const BaselineOptions& options, const RunListener& listener) {
  Result<std::vector<AppliedMigration>> history = connection_.ReadHistory();
  if (!history.ok()) return history.status();
  if (!history->empty())
    return strata::Status::InvalidInput(fmt::format(
        "the database already has strata's history (version {} is applied); baseline is for a database strata "
        "does not manage yet",
        history->back().version));
  Result<Schema> live = connection_.Inspect();
  if (!live.ok()) return live.status();
  Result<std::vector<std::string>> compared = Differences(*live, options.tag);
  if (!compared.ok()) return compared.status();
  const std::vector<std::string>& differences = *compared;
  const std::string& tag_name = project_.tags[options.tag];
  if (!differences.empty())
    return strata::Status::InvalidInput(fmt::format(
        "the database is not at tag \"{}\"; it differs in {} way(s):\n  {}\nbring it there with `strata apply --tag "
        "{}` (or change the YAML), then baseline again",
        tag_name, differences.size(), fmt::join(differences, "\n  "), tag_name));
  for (const MigrationEntry& m : migrations_) {
    const std::optional<int> tag = project_.TagIndex(m.tag);
    if (!tag || *tag > options.tag) continue;
    if (strata::Status s = connection_.RecordApplied(Run(m, true));
        !s.ok())
      return s.WithContext(m.up_file);
    listener({RunEvent::kAdopted, m.up_file, "recorded as applied: the live schema is tag \"" + tag_name + "\"", 0});
  }
  return strata::Status::Ok();
}

}  // namespace strata
