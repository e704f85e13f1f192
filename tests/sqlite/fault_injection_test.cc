// SQLite's I/O-error test discipline applied to strata: every write, sync,
// truncate, lock and delete of `up` (with its backup), `down`, `backup` and
// `restore` is made to fail in turn, persistently (a dead disk, leaving a
// hot journal as a crash would) and once (a transient error, a full disk).
// After each run the database, opened again, must pass integrity_check and
// be exactly at the old or the new version, history included; a backup is
// either absent or complete, and no partial file is left.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "base/diagnostic.h"
#include "migrate/runner.h"
#include "migrate/scenario_harness.h"
#include "sqlite/connection.h"
#include "sqlite/faulty_vfs.h"
#include "test_util.h"
#include "yaml/loader.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::FaultyVfs;

// Everything a user could observe: schema, rows with rowids, counters,
// history versions.
std::string Observable(const std::string& db) {
  std::string out = testing::Query(db, "PRAGMA integrity_check") + "\n";
  out += testing::Query(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name") + "\n";
  out += testing::Query(db, "SELECT rowid, * FROM parent ORDER BY rowid") + "\n";
  out += testing::Query(db, "SELECT rowid, * FROM child ORDER BY rowid") + "\n";
  out += testing::Query(db, "SELECT * FROM sqlite_sequence ORDER BY name") + "\n";
  out += testing::Query(db, "SELECT version FROM strata_migrations ORDER BY version");
  return out;
}

class FaultInjection : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("schema/project.yaml", "project: faults\ntags: [a, b]\n");
    dir_.Write("schema/tables.yaml",
               "tables:\n"
               "  - name: parent\n"
               "    columns:\n"
               "      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}\n"
               "      - {name: name, type: TEXT, nullable: false}\n"
               "  - name: child\n"
               "    columns:\n"
               "      - {name: id, type: INTEGER, primary_key: true}\n"
               "      - {name: parent_id, type: INTEGER}\n"
               "      - name: n\n"
               "        type: INTEGER\n"
               "        changes: {b: {type: TEXT}}\n"
               "      - {name: note, type: TEXT, since: b}\n"
               "    foreign_keys:\n"
               "      - {columns: [parent_id], references: {table: parent}, on_delete: cascade}\n"
               "    indexes:\n"
               "      - {name: child_parent, columns: [parent_id]}\n");
    ASSERT_EQ(testing::RunStrata({"generate"}, dir_.path()).exit_code, 0);
    ASSERT_EQ(testing::RunStrata({"up", "--tag", "a", "--db", Before()}, dir_.path()).exit_code, 0);
    std::string err;
    ASSERT_EQ(testing::RunSqliteShell(
                  Before(),
                  "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 60) "
                  "INSERT INTO parent (name) SELECT 'p' || n FROM i;"
                  "DELETE FROM parent WHERE id > 55;"  // the counter is ahead of the rows
                  "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 600) "
                  "INSERT INTO child (parent_id, n) SELECT 1 + n % 55, n FROM i;",
                  true, &err),
              0)
        << err;
    fs::copy_file(Before(), After());
    ASSERT_EQ(testing::RunStrata({"up", "--db", After(), "--no-backup"}, dir_.path()).exit_code, 0);
    before_ = Observable(Before());
    after_ = Observable(After());
    ASSERT_NE(before_, after_);
    ASSERT_NE(before_.find("ok\n"), std::string::npos);

    Diagnostics diagnostics;
    std::optional<Project> project = yaml::LoadProjectDir(dir_ / "schema", diagnostics);
    ASSERT_TRUE(project);
    project_ = *project;
    Result<MigrationFiles> files = ReadMigrationDir(dir_ / "migrations");
    ASSERT_TRUE(files.ok());
    files_ = *files;
    Result<std::vector<MigrationEntry>> migrations = LoadMigrations(files_, project_);
    ASSERT_TRUE(migrations.ok());
    migrations_ = *migrations;
  }

  std::string Before() const { return (dir_ / "before.db").string(); }
  std::string After() const { return (dir_ / "after.db").string(); }
  std::string Work() const { return (dir_ / "work" / "app.db").string(); }

  // Runs `operation` on a fresh copy of `start` failing at operation 1, 2,
  // ... until a run meets no fault; checks every outcome with `verify`.
  // Returns the number of faults injected.
  template <typename Operation, typename Verify>
  int Sweep(const std::string& start, FaultyVfs::Fault fault, bool persistent, Operation operation, Verify verify) {
    int injected = 0;
    for (int64_t n = 1; n < 5000; ++n) {
      fs::remove_all(dir_ / "work");
      fs::create_directories(dir_ / "work");
      fs::copy_file(start, Work());
      Status status = Status::Ok();
      bool faulted = false;
      {
        FaultyVfs vfs;
        vfs.FailAt(n, fault, persistent);
        status = operation();
        faulted = vfs.injected();
      }
      SCOPED_TRACE(::testing::Message() << "fault at operation " << n << (persistent ? " (persistent)" : " (once)")
                                        << ": " << status.message());
      verify(status);
      if (::testing::Test::HasFailure()) return injected;
      if (!faulted) {
        EXPECT_TRUE(status.ok()) << "a run without faults must succeed";
        return injected;
      }
      ++injected;
    }
    ADD_FAILURE() << "the sweep did not reach a run without faults";
    return injected;
  }

  // The database is at `old_state` or `new_state`, and at `new_state` when
  // the run reported success.
  void ExpectOldOrNew(const Status& status, const std::string& old_state, const std::string& new_state) {
    const std::string now = Observable(Work());
    if (status.ok())
      EXPECT_EQ(now, new_state);
    else
      EXPECT_TRUE(now == old_state || now == new_state) << now;
  }

  // No partial backup; any backup present is complete and holds `state`.
  void ExpectBackupsComplete(const std::string& state) {
    for (const auto& entry : fs::directory_iterator(dir_ / "work")) {
      const std::string name = entry.path().filename().string();
      EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
      if (name.starts_with("backup") && name.ends_with(".db")) {
        EXPECT_EQ(Observable(entry.path().string()), state);
      }
    }
  }

  Status Up() {
    Result<std::unique_ptr<sqlite::SqliteConnection>> connection = sqlite::SqliteConnection::Open(Work());
    if (!connection.ok()) return connection.status();
    Runner runner(**connection, migrations_, project_, files_);
    return runner.Up({.backup_to = (dir_ / "work" / "backup.db").string()}, [](const RunEvent&) {});
  }
  Status Down() {
    Result<std::unique_ptr<sqlite::SqliteConnection>> connection = sqlite::SqliteConnection::Open(Work());
    if (!connection.ok()) return connection.status();
    Runner runner(**connection, migrations_, project_, files_);
    return runner.Down({.allow_destructive = true, .backup_to = (dir_ / "work" / "backup.db").string()},
                       [](const RunEvent&) {});
  }

  testing::TempDir dir_;
  std::string before_, after_;
  Project project_;
  MigrationFiles files_;
  std::vector<MigrationEntry> migrations_;
};

struct Mode {
  FaultyVfs::Fault fault;
  bool persistent;
};
const Mode kModes[] = {{FaultyVfs::Fault::kIoError, true}, {FaultyVfs::Fault::kDiskFull, false}};

TEST_F(FaultInjection, UpOfARebuildWithItsBackupIsAtTheOldOrTheNewVersion) {
  int faults = 0;
  for (const Mode& mode : kModes)
    faults += Sweep(Before(), mode.fault, mode.persistent, [&] { return Up(); }, [&](const Status& s) {
      ExpectOldOrNew(s, before_, after_);
      ExpectBackupsComplete(before_);
    });
  std::cout << "up: " << faults << " faults injected\n";
  EXPECT_GT(faults, 20);
}

TEST_F(FaultInjection, DownOfARebuildIsAtTheNewOrTheOldVersion) {
  int faults = 0;
  for (const Mode& mode : kModes)
    faults += Sweep(After(), mode.fault, mode.persistent, [&] { return Down(); }, [&](const Status& s) {
      ExpectOldOrNew(s, after_, before_);
      ExpectBackupsComplete(after_);
    });
  std::cout << "down: " << faults << " faults injected\n";
  EXPECT_GT(faults, 20);
}

TEST_F(FaultInjection, BackupIsCompleteOrAbsentAndTheSourceUntouched) {
  int faults = 0;
  const std::string backup = (dir_ / "work" / "backup.db").string();
  for (const Mode& mode : kModes)
    faults += Sweep(After(), mode.fault, mode.persistent, [&] { return sqlite::BackupToNewFile(Work(), backup); },
                    [&](const Status& s) {
                      EXPECT_EQ(Observable(Work()), after_);
                      if (s.ok()) {
                        EXPECT_TRUE(fs::exists(backup));
                      }
                      ExpectBackupsComplete(after_);
                    });
  std::cout << "backup: " << faults << " faults injected\n";
  EXPECT_GT(faults, 5);
}

TEST_F(FaultInjection, RestoreLeavesTheOldOrTheRestoredDatabase) {
  int faults = 0;
  for (const Mode& mode : kModes)
    faults += Sweep(After(), mode.fault, mode.persistent, [&] { return sqlite::CopyDatabase(Before(), Work()); },
                    [&](const Status& s) { ExpectOldOrNew(s, after_, before_); });
  std::cout << "restore: " << faults << " faults injected\n";
  EXPECT_GT(faults, 5);
}

}  // namespace
}  // namespace strata
