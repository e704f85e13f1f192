// The head of a migration file: what identifies it and the facts it states
// about itself, in leading comment lines that every dialect's renderer
// writes with RenderMigrationHeader and the runner reads back with
// ReadMigrationFacts. A file run as plain SQL and a file run by strata thus
// say the same thing, and nobody learns a file's structure by reading its
// statements.
//
//   -- strata migration 0020_phase1.up.sql (up), tag "phase1"
//   -- <how to run it as plain SQL, the dialect's words>
//   -- strata: own-transaction
//   -- changes: add column "users"."bio"; ...
//   -- DESTRUCTIVE: drops column "users"."legacy"
//
// A hand-written file made by `strata new` has the same head, marked
// "hand-written", without the facts line: the runner wraps it in a
// transaction and records it. A file with no head reads as hand-written too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace strata {

// Identifies one migration file for the header and checks of its script.
struct MigrationHeader {
  std::string file_name;  // "0020_phase1.up.sql"
  int64_t version = 0;
  std::string name;
  std::string tag;
  bool up = true;
  std::optional<int64_t> previous_version;  // up: the version that must be applied first
  // False for a script that is not a migration (`diff`, `apply`): no version
  // guards and no history row; everything else is the same.
  bool versioned = true;
  std::string database = "app.db";  // named in the file's "run it as plain SQL" example
  // Written by hand (`strata new`): marked so on the first line, and no
  // facts line, since such a file leaves its transaction to the runner.
  bool hand_written = false;
};

// What a file states about itself.
struct MigrationFacts {
  bool generated = false;  // the file starts with strata's first line, not marked hand-written
  std::string tag;         // named on the first line, when the file has a head
  // The file begins and commits its own transaction (and, when versioned,
  // records itself in the history inside it); a runner must not wrap it.
  bool own_transaction = false;
  // Some statements run after COMMIT, outside any transaction (PostgreSQL's
  // CREATE INDEX CONCURRENTLY); such a file cannot join a larger transaction.
  bool outside_transaction = false;
  // It runs declared data fixes, which change rows (merge, delete) when
  // they succeed.
  bool data_fixes = false;
  std::vector<std::string> destructive;
  std::vector<std::string> irreversible;
};

// The leading comment lines for `plan`: the identifying first line,
// `how_to_run` (the dialect's plain-SQL instructions and what makes the file
// safe, one or more lines), the facts, the changes in order, and what is
// destructive or irreversible. Ends with a blank line.
std::string RenderMigrationHeader(const MigrationHeader& header, const Plan& plan, std::string_view how_to_run);

MigrationFacts ReadMigrationFacts(std::string_view sql);

// Writes `text` as SQL line comments ("-- "), one per line.
void AppendComment(std::string& out, std::string_view text);

}  // namespace strata
