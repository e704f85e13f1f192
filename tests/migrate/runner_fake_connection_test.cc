// The runner against an in-memory Connection: no database engine at all, so
// these tests pin down what the runner decides (order, tags, checksums,
// destructive refusal, adoption) apart from how any dialect executes it.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "migrate/runner.h"
#include "plan/migration_header.h"

namespace strata {
namespace {

// A database as the runner sees it: a history, a schema, and what ran.
class FakeConnection final : public Connection {
 public:
  std::map<int64_t, AppliedMigration> history;
  Schema schema;                    // what Inspect returns
  std::vector<std::string> ran;     // file names, in order
  std::set<std::string> failing;    // files whose Apply fails
  int backups = 0;
  // Runs once, just after the next history read: another run's commit.
  std::function<void()> after_first_read;

  Result<std::vector<AppliedMigration>> ReadHistory() override {
    std::vector<AppliedMigration> out;
    for (const auto& [v, a] : history) out.push_back(a);
    if (after_first_read) std::exchange(after_first_read, nullptr)();
    return out;
  }
  Result<bool> IsEmpty() override { return schema.tables.empty(); }
  Result<Schema> Inspect() override { return schema; }
  Result<int64_t> CountRows(const std::string&, const std::string&) override { return 0; }
  Result<Schema> AsInspected(const Schema& declared) override { return declared; }
  Result<ApplyOutcome> Apply(const ScriptRun& run) override {
    if (failing.contains(run.file_name)) return Status::Database(run.file_name + ":3: no such table: t");
    if (run.up && history.contains(run.version)) return ApplyOutcome::kAlreadyDone;
    ran.push_back(run.file_name);
    if (run.up)
      history[run.version] = {run.version, run.name, run.tag, run.checksum, "now", 0};
    else
      history.erase(run.version);
    return ApplyOutcome::kApplied;
  }
  Status ApplyAll(const std::vector<ScriptRun>& runs) override {
    for (const ScriptRun& r : runs)
      if (failing.contains(r.file_name)) return Status::Database(r.file_name + ": failed");
    for (const ScriptRun& r : runs) (void)Apply(r);
    return Status::Ok();
  }
  Status Validate(const ScriptRun&) override { return Status::Ok(); }
  Status RecordApplied(const ScriptRun& run) override {
    history[run.version] = {run.version, run.name, run.tag, run.checksum, "now", 0};
    return Status::Ok();
  }
  Status RerecordApplied(const std::vector<ScriptRun>& runs) override {
    for (const ScriptRun& run : runs) history[run.version].checksum = run.checksum;
    return Status::Ok();
  }
  Status Backup(const std::string&) override {
    ++backups;
    return Status::Ok();
  }
  Status Restore(const std::string&) override { return Status::Ok(); }
  Status CreateSchema(const Schema&) override { return Status::Ok(); }
  std::vector<CheckResult> RunChecks(const Schema&, int) override { return {}; }
  Result<ExplainReport> Explain(const Schema&) override { return ExplainReport{}; }
  void set_progress(ProgressCallback) override {}
};

// Normalises nothing and compares tables by name only: enough to tell the
// runner whether a database is at a tag.
class NamesOnlyDialect final : public Dialect {
 public:
  std::string_view name() const override { return "names-only"; }
  Result<std::unique_ptr<Connection>> Open(const std::string&, const OpenOptions&) const override {
    return Status::Error(StatusCode::kNotSupported, "not a database");
  }
  Schema Normalize(const Schema& schema) const override {
    Schema out;
    for (const Table& t : schema.tables) out.tables.push_back(Table{.name = t.name});
    return out;
  }
  DiffOptions DiffRules() const override { return {}; }
  Plan PlanMigration(const Schema&, const Schema&, const std::vector<Change>&, const MigrationOptions&) const override {
    return {};
  }
  std::string RenderMigration(const Plan&, const MigrationHeader&) const override { return {}; }
  std::string RenderChecks(const Schema&, std::string_view) const override { return {}; }
  std::vector<SchemaProblem> Problems(const Schema&) const override { return {}; }
};

// A generated-looking file of `tag`, optionally destructive.
std::string File(const std::string& file_name, const std::string& tag, bool up, const std::string& destructive = "") {
  Plan plan;
  plan.steps.push_back({.comment = "work of " + file_name, .sql = {"SELECT 1"}});
  if (!destructive.empty()) plan.destructive_changes.push_back(destructive);
  return RenderMigrationHeader({.file_name = file_name, .tag = tag, .up = up}, plan, "test file") + "SELECT 1;\n";
}

class RunnerFake : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.tags = {"v1", "v2", "v3"};
    Add(10, "one", "v1");
    Add(20, "two", "v2");
    Add(30, "three", "v3", "drop column \"t\".\"x\"");
    Reload();
  }
  void Add(int64_t version, const std::string& name, const std::string& tag, const std::string& down_destructive = "") {
    const std::string up = MigrationFileNameFor(version, name, true), down = MigrationFileNameFor(version, name, false);
    files_[up] = File(up, tag, true);
    files_[down] = File(down, tag, false, down_destructive);
  }
  void Reload() {
    files_.erase(std::string(kSumFile));
    files_[std::string(kSumFile)] = RenderSumFile(files_);
    Result<std::vector<MigrationEntry>> m = LoadMigrations(files_, project_);
    ASSERT_TRUE(m.ok()) << m.status().message();
    migrations_ = *m;
  }
  Runner MakeRunner(bool with_schema = false) {
    std::optional<ExpectedSchema> expected;
    if (with_schema) expected.emplace(ExpectedSchema{versioned_, dialect_});
    return Runner(db_, migrations_, project_, files_, expected);
  }

  Project project_;
  MigrationFiles files_;
  std::vector<MigrationEntry> migrations_;
  FakeConnection db_;
  VersionedSchema versioned_;
  NamesOnlyDialect dialect_;
  std::vector<RunEvent> events_;
  RunListener listener_ = [this](const RunEvent& e) { events_.push_back(e); };
};

TEST_F(RunnerFake, UpAppliesEveryPendingFileInVersionOrderWithItsTagAndChecksum) {
  ASSERT_TRUE(MakeRunner().Up({}, listener_).ok());
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0010_one.up.sql", "0020_two.up.sql", "0030_three.up.sql"}));
  EXPECT_EQ(db_.history.at(20).tag, "v2");
  EXPECT_EQ(db_.history.at(20).checksum, Checksum(files_.at("0020_two.up.sql")));
  db_.ran.clear();
  ASSERT_TRUE(MakeRunner().Up({}, listener_).ok());
  EXPECT_TRUE(db_.ran.empty()) << "a second up has nothing to do";
}

TEST_F(RunnerFake, UpStopsAtTheRequestedTagOrVersion) {
  ASSERT_TRUE(MakeRunner().Up({.tag = 0}, listener_).ok());
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0010_one.up.sql"}));
  ASSERT_TRUE(MakeRunner().Up({.to_version = 20}, listener_).ok());
  EXPECT_EQ(db_.ran.back(), "0020_two.up.sql");
  EXPECT_FALSE(db_.history.contains(30));
}

TEST_F(RunnerFake, DownRollsBackOneStepByDefaultAndRefusesADestructiveFileWithoutTheFlag) {
  ASSERT_TRUE(MakeRunner().Up({}, listener_).ok());
  db_.ran.clear();
  Status refused = MakeRunner().Down({}, listener_);
  EXPECT_EQ(refused.code(), StatusCode::kRefused);
  EXPECT_NE(refused.message().find("0030_three.down.sql: drop column"), std::string::npos)
      << refused.message();
  EXPECT_TRUE(db_.ran.empty()) << "nothing runs when a file is refused";
  ASSERT_TRUE(MakeRunner().Down({.allow_destructive = true}, listener_).ok());
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0030_three.down.sql"}));
  ASSERT_TRUE(MakeRunner().Down({.tag = 0}, listener_).ok());
  EXPECT_EQ(db_.ran.back(), "0020_two.down.sql");
  EXPECT_EQ(db_.history.size(), 1u);
}

TEST_F(RunnerFake, AnEditedAppliedFileIsRefusedBeforeAnythingRuns) {
  ASSERT_TRUE(MakeRunner().Up({.tag = 0}, listener_).ok());
  files_["0010_one.up.sql"] += "-- edited\n";
  Reload();  // the sum file agrees; the recorded checksum does not
  Result<StatusReport> report = MakeRunner().Status();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->entries.front().checksum_mismatch);
  db_.ran.clear();
  Status s = MakeRunner().Up({}, listener_);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("0010_one.up.sql was edited after it was applied"), std::string::npos) << s.message();
  EXPECT_TRUE(db_.ran.empty());
}

TEST_F(RunnerFake, AFileChangedBehindTheSumFileIsRefused) {
  files_["0020_two.up.sql"] += "-- changed\n";
  Status s = MakeRunner().Up({}, listener_);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
  EXPECT_TRUE(db_.ran.empty());
}

TEST_F(RunnerFake, AnUnknownRecordedVersionIsRefused) {
  db_.history[99] = {99, "ghost", "v3", "", "now", 0};
  Status s = MakeRunner().Up({}, listener_);
  EXPECT_NE(s.message().find("records version 99 (ghost)"), std::string::npos) << s.message();
}

TEST_F(RunnerFake, ADatabaseAtTheFirstTagIsAdoptedAndOnlyTheRestRuns) {
  versioned_.project = project_;
  db_.schema.tables.push_back(Table{.name = "users"});
  // The schema of tag v1 is what the database holds.
  VersionedTable users;
  users.header.stages.push_back({0, Table{.name = "users"}});
  versioned_.tables.push_back(users);
  ASSERT_TRUE(MakeRunner(true).Up({}, listener_).ok());
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0020_two.up.sql", "0030_three.up.sql"}));
  ASSERT_TRUE(db_.history.contains(10));
  EXPECT_EQ(events_.front().kind, RunEvent::kAdopted);
}

// Eight `up` on one new file: the tables another run committed after this
// run read the history are not a database to adopt (nor to refuse).
TEST_F(RunnerFake, TablesAnotherRunCommittedMeanwhileAreNotAdopted) {
  versioned_.project = project_;
  VersionedTable users;
  users.header.stages.push_back({0, Table{.name = "users"}});
  versioned_.tables.push_back(users);
  db_.after_first_read = [this] {
    db_.schema.tables = {Table{.name = "users"}, Table{.name = "orders"}};
    for (int64_t v : {10, 20}) db_.history[v] = {v, "other", "v2", "", "now", 0};
  };
  Status s = MakeRunner(true).Up({}, listener_);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0030_three.up.sql"}));
  for (const RunEvent& e : events_) EXPECT_NE(e.kind, RunEvent::kAdopted) << e.file;
}

TEST_F(RunnerFake, ADatabaseThatIsNotTheFirstTagIsRefusedWithItsDifferences) {
  versioned_.project = project_;
  db_.schema.tables.push_back(Table{.name = "orders"});
  Status s = MakeRunner(true).Up({}, listener_);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("orders"), std::string::npos) << s.message();
  EXPECT_TRUE(db_.ran.empty());
  EXPECT_TRUE(db_.history.empty());
  // Without the expected schema the runner cannot compare, so it refuses too.
  EXPECT_FALSE(MakeRunner(false).Up({}, listener_).ok());
}

TEST_F(RunnerFake, ADatabaseChangedByHandSinceItsLastMigrationIsRefusedBeforeAnythingRuns) {
  versioned_.project = project_;
  VersionedTable users;
  users.header.stages.push_back({0, Table{.name = "users"}});
  versioned_.tables.push_back(users);
  db_.schema.tables.push_back(Table{.name = "users"});
  ASSERT_TRUE(MakeRunner(true).Up({.tag = 0}, listener_).ok());
  db_.schema.tables.push_back(Table{.name = "made_by_hand"});
  db_.ran.clear();
  Status s = MakeRunner(true).Up({}, listener_);
  EXPECT_EQ(s.code(), StatusCode::kRefused);
  EXPECT_NE(s.message().find("differs from tag \"v1\""), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("made_by_hand"), std::string::npos) << s.message();
  EXPECT_TRUE(db_.ran.empty());
  ASSERT_TRUE(MakeRunner(true).Up({.refuse_drift = false}, listener_).ok()) << "the explicit override";
  EXPECT_EQ(db_.ran.size(), 2u);
}

TEST_F(RunnerFake, AFailureStopsTheRunAndNamesTheFile) {
  db_.failing.insert("0020_two.up.sql");
  Status s = MakeRunner().Up({}, listener_);
  EXPECT_NE(s.message().find("0020_two.up.sql:3"), std::string::npos) << s.message();
  EXPECT_EQ(db_.ran, (std::vector<std::string>{"0010_one.up.sql"}));
  EXPECT_FALSE(db_.history.contains(30));
}

TEST_F(RunnerFake, SingleTransactionIsAllOrNothing) {
  db_.failing.insert("0030_three.up.sql");
  EXPECT_FALSE(MakeRunner().Up({.single_transaction = true}, listener_).ok());
  EXPECT_TRUE(db_.history.empty());
}

TEST_F(RunnerFake, TheHeadOfAFileTravelsToTheConnection) {
  const std::string file = "0040_four.up.sql";
  Plan plan;
  plan.steps.push_back({.comment = "create index concurrently", .sql = {"X"}, .outside_transaction = true});
  plan.destructive_changes.push_back("narrow \"t\".\"n\"");
  files_[file] = RenderMigrationHeader({.file_name = file, .tag = "v3"}, plan, "how to run it") + "X;\n";
  files_[MigrationFileNameFor(40, "four", false)] = File(MigrationFileNameFor(40, "four", false), "v3", false);
  Reload();
  const MigrationEntry& four = migrations_.back();
  EXPECT_TRUE(four.generated());
  EXPECT_EQ(four.tag, "v3");
  EXPECT_EQ(four.up_facts.destructive, (std::vector<std::string>{"narrow \"t\".\"n\""}));
  const ScriptRun run = RunOf(four, true);
  EXPECT_TRUE(run.own_transaction);
  EXPECT_TRUE(run.outside_transaction);
  EXPECT_FALSE(RunOf(migrations_.front(), true).outside_transaction);
}

TEST(MigrationFacts, AHandWrittenFileStatesNothing) {
  const MigrationFacts facts = ReadMigrationFacts("-- add a column by hand\nALTER TABLE t ADD c INT;\n-- strata: own-transaction\n");
  EXPECT_FALSE(facts.generated);
  EXPECT_FALSE(facts.own_transaction) << "a line after the first statement is not part of the head";
  EXPECT_TRUE(facts.tag.empty());
}

}  // namespace
}  // namespace strata
