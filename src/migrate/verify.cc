#include "migrate/verify.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "diff/differ.h"

namespace strata {

namespace {

namespace fs = std::filesystem;

// A new folder in the system's temporary folder (TMPDIR), removed with what
// it holds when this is destroyed.
class ScratchFolder {
 public:
  static Result<ScratchFolder> Create() {
    std::error_code error;
    std::string pattern = (fs::temp_directory_path(error) / "strata-verify-XXXXXX").string();
    if (error || !mkdtemp(pattern.data()))
      return Status::IOError(fmt::format("cannot create a temporary folder for the copy in {}",
                                         fs::temp_directory_path(error).string()));
    return ScratchFolder(pattern);
  }
  ScratchFolder(ScratchFolder&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  ScratchFolder& operator=(ScratchFolder&&) = delete;
  ~ScratchFolder() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit ScratchFolder(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// The steps, in the order they run.
const char* const kSteps[] = {"copy", "up", "schema", "checks", "down", "restored-schema", "restored-data", "up-again"};

VerifyStep Step(std::string_view name, VerifyStep::State state, std::string summary,
                std::vector<std::string> findings = {}) {
  return {std::string(name), state, std::move(summary), std::move(findings), {}};
}

// A failure's message: its first line is the summary, the lines after it
// (a list of differences) the findings.
VerifyStep Failed(std::string_view name, const Status& status) {
  VerifyStep step = Step(name, VerifyStep::State::kFailed, "");
  size_t start = 0;
  for (size_t end = 0; start <= status.message().size(); start = end + 1) {
    end = status.message().find('\n', start);
    if (end == std::string::npos) end = status.message().size();
    const std::string_view line = Trim(std::string_view(status.message()).substr(start, end - start));
    if (step.summary.empty())
      step.summary = line;
    else if (!line.empty())
      step.findings.emplace_back(line);
  }
  return step;
}

std::vector<std::string> Sentences(const std::vector<DriftItem>& items) {
  std::vector<std::string> out;
  for (const DriftItem& d : items) out.push_back(fmt::format("{}: {}", d.table, d.finding));
  return out;
}

// How `after` differs from `before`, two schemas read from databases, as
// the dialect compares them.
std::vector<DriftItem> SchemaChanges(const Dialect& dialect, const Schema& before, const Schema& after) {
  DiffOptions rules = dialect.DiffRules();
  rules.compare_rows = false;
  return DescribeDrift(Diff(dialect.Normalize(before), dialect.Normalize(after), {}, rules));
}

int64_t TotalRows(const std::vector<TableDigest>& digests) {
  return std::accumulate(digests.begin(), digests.end(), int64_t{0},
                         [](int64_t sum, const TableDigest& d) { return sum + d.rows; });
}

class Verification {
 public:
  Verification(Connection& snapshot, const VerifyInput& input, const VerifyOptions& options)
      : snapshot_(snapshot), input_(input), options_(options) {}

  VerifyReport Run() {
    if (Copy() && Up()) {
      CheckSchema();
      CheckIntegrity();
      if (Down()) {
        CompareSchema();
        CompareData();
        UpAgain();
      }
    }
    SkipTheRest();
    return std::move(report_);
  }

 private:
  void Add(VerifyStep step) { report_.steps.push_back(std::move(step)); }
  bool Fail(std::string_view name, const Status& status) {
    Add(Failed(name, status));
    return false;
  }

  // A step after a failure it depends on, or after a run with nothing to
  // roll back, says why it did not run.
  void SkipTheRest() {
    const std::string why = skip_reason_.empty() ? "an earlier step failed" : skip_reason_;
    for (const char* name : kSteps)
      if (std::none_of(report_.steps.begin(), report_.steps.end(), [&](const VerifyStep& s) { return s.name == name; }))
        Add(Step(name, VerifyStep::State::kSkipped, why));
  }

  bool Copy() {
    Result<ScratchFolder> folder = ScratchFolder::Create();
    if (!folder.ok()) return Fail("copy", folder.status());
    folder_.emplace(std::move(folder.value()));
    const std::string copy = (folder_->path() / "snapshot-copy").string();
    if (Status s = snapshot_.Backup(copy); !s.ok()) return Fail("copy", s.WithContext("cannot copy the snapshot"));
    Result<std::unique_ptr<Connection>> work = input_.dialect.Open(copy, {});
    if (!work.ok()) return Fail("copy", work.status());
    work_ = std::move(work.value());
    Result<std::vector<AppliedMigration>> history = work_->ReadHistory();
    if (!history.ok()) return Fail("copy", history.status());
    if (!history->empty()) report_.from_tag = history->back().tag;
    Result<Schema> schema = work_->Inspect();
    if (!schema.ok()) return Fail("copy", schema.status());
    snapshot_schema_ = std::move(schema.value());
    Result<std::vector<TableDigest>> data = work_->DigestTables(snapshot_schema_);
    if (!data.ok()) return Fail("copy", data.status());
    snapshot_data_ = std::move(data.value());
    Add(Step("copy", VerifyStep::State::kPassed,
             fmt::format("copied the snapshot: {} table(s), {} row(s)", snapshot_data_.size(), TotalRows(snapshot_data_))));
    runner_.emplace(*work_, input_.migrations, input_.schema.project, input_.files,
                    ExpectedSchema{input_.schema, input_.dialect});
    return true;
  }

  UpOptions Through() const {
    // On a copy, a destructive migration is what is being tested.
    return {.tag = options_.tag, .to_version = options_.to_version, .allow_destructive = true,
            .refuse_drift = options_.refuse_drift};
  }

  // Applies the pending migrations; the files it ran go to `applied`.
  Status ApplyPending(const UpOptions& options, std::vector<std::string>& applied, std::vector<std::string>& notes) {
    return runner_->Up(options, [&](const RunEvent& e) {
      if (e.kind == RunEvent::kApplied) applied.push_back(e.file);
      if (e.kind == RunEvent::kAdopted) notes.push_back(fmt::format("adopted: {} ({})", e.file, e.detail));
    });
  }

  bool Up() {
    Result<std::vector<const MigrationEntry*>> pending = runner_->Pending(Through());
    if (!pending.ok()) return Fail("up", pending.status());
    for (const MigrationEntry* m : *pending) report_.pending.push_back(m->up_file);
    if (!pending->empty()) report_.to_tag = pending->back()->tag;
    std::vector<std::string> notes;
    if (Status s = ApplyPending(Through(), applied_, notes); !s.ok()) return Fail("up", s);
    for (const MigrationEntry* m : *pending)
      for (const std::string& d : m->up_facts.destructive) notes.push_back(fmt::format("destructive: {} ({})", d, m->up_file));
    for (const std::string& f : applied_) notes.push_back("applied: " + f);
    Add(Step("up", VerifyStep::State::kPassed,
             pending->empty() ? "nothing is pending" : fmt::format("applied {} migration(s)", applied_.size())));
    report_.steps.back().notes = std::move(notes);
    if (applied_.empty()) skip_reason_ = "no migration was applied, so there is nothing to roll back";

    Result<std::vector<AppliedMigration>> history = work_->ReadHistory();
    if (!history.ok()) return Fail("schema", history.status());
    std::optional<int> tag = history->empty() ? std::nullopt : input_.schema.project.TagIndex(history->back().tag);
    tag_ = tag ? *tag : options_.tag.value_or(input_.schema.project.last_tag());
    report_.to_tag = input_.schema.project.tags[tag_];
    return true;
  }

  // The copy's schema; nullopt after failing `step` with why it could not
  // be read.
  std::optional<Schema> Inspected(std::string_view step) {
    Result<Schema> live = work_->Inspect();
    if (!live.ok()) {
      Fail(step, live.status());
      return std::nullopt;
    }
    return std::move(live.value());
  }

  void CheckSchema() {
    upgraded_schema_ = Inspected("schema");
    if (!upgraded_schema_) return;
    Result<std::vector<DriftItem>> drift =
        DriftAtTag(*work_, input_.dialect, input_.schema, *upgraded_schema_, tag_);
    if (!drift.ok()) {
      Fail("schema", drift.status());
      return;
    }
    if (drift->empty())
      Add(Step("schema", VerifyStep::State::kPassed, fmt::format("the schema is tag \"{}\"", report_.to_tag)));
    else
      Add(Step("schema", VerifyStep::State::kFailed,
               fmt::format("the schema differs from tag \"{}\" in {} way(s)", report_.to_tag, drift->size()),
               Sentences(*drift)));
  }

  void CheckIntegrity() {
    const std::vector<CheckResult> results = work_->RunChecks(input_.schema.At(tag_), options_.max_samples);
    std::vector<std::string> failed;
    for (const CheckResult& r : results) {
      if (!r.error.empty())
        failed.push_back(fmt::format("{}: could not run: {}", r.check.name, r.error));
      else if (!r.passed())
        failed.push_back(fmt::format("{}: {} offending row(s) ({}); sample keys: {}", r.check.name, r.offending_rows,
                                     r.check.description, fmt::join(r.samples, ", ")));
    }
    if (failed.empty()) {
      Add(Step("checks", VerifyStep::State::kPassed, fmt::format("{} integrity check(s) passed", results.size())));
      return;
    }
    std::string summary = fmt::format("{} of {} integrity check(s) failed", failed.size(), results.size());
    Add(Step("checks", VerifyStep::State::kFailed, std::move(summary), std::move(failed)));
  }

  bool Down() {
    if (applied_.empty()) return false;
    std::vector<std::string> notes;
    // The differences the up left are the schema step's finding; refusing
    // to roll back because of them would hide whether the down files work.
    const DownOptions options{.steps = static_cast<int>(applied_.size()), .allow_destructive = true,
                              .refuse_drift = false};
    Status s = runner_->Down(options, [&](const RunEvent& e) {
      if (e.kind == RunEvent::kApplied) notes.push_back("rolled back: " + e.file);
      if (e.kind == RunEvent::kRemoved) notes.push_back(fmt::format("removed: {} ({})", e.detail, e.file));
    });
    if (!s.ok()) return Fail("down", s);
    Add(Step("down", VerifyStep::State::kPassed, fmt::format("rolled back {} migration(s)", applied_.size())));
    report_.steps.back().notes = std::move(notes);
    return true;
  }

  void CompareSchema() {
    restored_schema_ = Inspected("restored-schema");
    if (!restored_schema_) return;
    const std::vector<DriftItem> changes = SchemaChanges(input_.dialect, snapshot_schema_, *restored_schema_);
    if (changes.empty())
      Add(Step("restored-schema", VerifyStep::State::kPassed, "the schema is the snapshot's"));
    else
      Add(Step("restored-schema", VerifyStep::State::kFailed,
               fmt::format("the schema differs from the snapshot's in {} way(s)", changes.size()), Sentences(changes)));
  }

  void CompareData() {
    if (!restored_schema_) {
      Add(Step("restored-data", VerifyStep::State::kSkipped, "the schema could not be read"));
      return;
    }
    Result<std::vector<TableDigest>> data = work_->DigestTables(*restored_schema_);
    if (!data.ok()) {
      Fail("restored-data", data.status());
      return;
    }
    const std::vector<DriftItem> changes = CompareTableDigests(snapshot_data_, *data);
    if (changes.empty())
      Add(Step("restored-data", VerifyStep::State::kPassed,
               fmt::format("every table holds the snapshot's rows ({} table(s), {} row(s))", snapshot_data_.size(),
                           TotalRows(snapshot_data_))));
    else
      Add(Step("restored-data", VerifyStep::State::kFailed,
               fmt::format("{} table(s) do not hold the snapshot's rows", changes.size()), Sentences(changes)));
  }

  void UpAgain() {
    std::vector<std::string> applied, notes;
    UpOptions options = Through();
    // Whether the rollback restored the schema is the step before's finding.
    options.refuse_drift = false;
    if (Status s = ApplyPending(options, applied, notes); !s.ok()) {
      Fail("up-again", s);
      return;
    }
    const std::optional<Schema> live = Inspected("up-again");
    if (!live) return;
    for (const std::string& f : applied) notes.push_back("applied: " + f);
    std::vector<std::string> changes;
    if (upgraded_schema_) changes = Sentences(SchemaChanges(input_.dialect, *upgraded_schema_, *live));
    const std::string summary =
        changes.empty() ? fmt::format("applied {} migration(s) again, to the same schema as the first time",
                                      applied.size())
                        : fmt::format("applied {} migration(s) again, but the schema differs from the first time in "
                                      "{} way(s)", applied.size(), changes.size());
    const VerifyStep::State state = changes.empty() ? VerifyStep::State::kPassed : VerifyStep::State::kFailed;
    VerifyStep step = Step("up-again", state, summary, std::move(changes));
    step.notes = std::move(notes);
    Add(std::move(step));
  }

  Connection& snapshot_;
  const VerifyInput& input_;
  const VerifyOptions& options_;
  VerifyReport report_;
  std::string skip_reason_;
  // Declared before the connection, so that the copy is closed before its
  // folder is removed.
  std::optional<ScratchFolder> folder_;
  std::unique_ptr<Connection> work_;
  std::optional<Runner> runner_;
  Schema snapshot_schema_;
  std::vector<TableDigest> snapshot_data_;
  std::vector<std::string> applied_;  // by the first up
  int tag_ = 0;                       // what the first up reached
  std::optional<Schema> upgraded_schema_, restored_schema_;
};

}  // namespace

std::string_view StateName(VerifyStep::State state) {
  switch (state) {
    case VerifyStep::State::kPassed: return "passed";
    case VerifyStep::State::kFailed: return "failed";
    case VerifyStep::State::kSkipped: return "skipped";
  }
  return "";
}

VerifyReport VerifySnapshot(Connection& snapshot, const VerifyInput& input, const VerifyOptions& options) {
  return Verification(snapshot, input, options).Run();
}

}  // namespace strata
