// `strata verify`: proof, on a copy of a real database (a production
// snapshot), that the pending migrations apply, reach the schema of their
// tag, pass the integrity checks, roll back to exactly the snapshot (schema
// and data) and apply again. The snapshot itself is only read: it is copied
// with the connection's backup, and every step runs on the copy, which is
// removed at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialect/connection.h"
#include "dialect/dialect.h"
#include "migrate/runner.h"
#include "schema/versioned.h"

namespace strata {

struct VerifyStep {
  enum class State { kPassed, kFailed, kSkipped };
  std::string name;     // "copy", "up", "schema", ...: stable, for JSON and JUnit
  State state = State::kPassed;
  std::string summary;  // what it did, or why it failed or was skipped, in one line
  std::vector<std::string> findings;  // each cause of a failure ("users: column \"bio\" differs")
  std::vector<std::string> notes;     // what a passed step did that a reader may want (files, removals)
};

std::string_view StateName(VerifyStep::State state);

struct VerifyReport {
  std::string from_tag;  // the snapshot's recorded tag; empty without history
  std::string to_tag;    // the tag the pending migrations reach
  std::vector<std::string> pending;  // the up files, in order
  std::vector<VerifyStep> steps;
  bool passed() const {
    for (const VerifyStep& s : steps)
      if (s.state == VerifyStep::State::kFailed) return false;
    return true;
  }
};

// What verify runs: the project's schema, its migrations and the dialect of
// the snapshot.
struct VerifyInput {
  const VersionedSchema& schema;
  const Dialect& dialect;
  const std::vector<MigrationEntry>& migrations;
  const MigrationFiles& files;
};

struct VerifyOptions {
  std::optional<int> tag;             // apply through this tag index
  std::optional<int64_t> to_version;  // apply through this version
  int max_samples = 5;                // sample keys per failed integrity check
  // A snapshot whose schema differs from the tag its history records fails
  // the up step, as `up` refuses such a database.
  bool refuse_drift = true;
};

// Runs every step it can on a copy of `snapshot` (opened read-only) made in
// a new temporary folder (TMPDIR), and reports each; a step that depends on
// a failed one is skipped. Never writes `snapshot`.
VerifyReport VerifySnapshot(Connection& snapshot, const VerifyInput& input, const VerifyOptions& options);

}  // namespace strata
