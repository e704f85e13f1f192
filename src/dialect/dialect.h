// A database dialect as a driver: it opens connections (which inspect, run
// migrations, checks and index plans), normalises a schema to what its
// databases can show, plans and renders migrations. A new dialect is a
// folder implementing this interface plus one line in cli/dialects.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/status.h"
#include "dialect/connection.h"
#include "diff/change.h"
#include "diff/differ.h"
#include "plan/migration_header.h"
#include "plan/plan.h"
#include "schema/table.h"

namespace strata {

struct MigrationOptions {
  bool up = true;  // enters the later tag, so runs the data fixes declared for it
  // Check every foreign key for orphaned rows before changing anything (the
  // migration into the tag from which foreign keys are enforced).
  bool verify_all_foreign_keys = false;
};

// Something the database would refuse in a schema, at the YAML element it
// comes from.
struct SchemaProblem {
  SourcePos pos;
  std::string message;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string_view name() const = 0;

  // Opens the database `target` names (a file, a URL), failing with a
  // message that names it.
  virtual Result<std::unique_ptr<Connection>> Open(const std::string& target, const OpenOptions& options) const = 0;

  // An empty database of this dialect for experiments, gone with the
  // connection (`explain --base` creates two schemas to compare plans);
  // kNotSupported where the dialect has none.
  virtual Result<std::unique_ptr<Connection>> OpenScratch() const {
    return Status::Error(StatusCode::kNotSupported,
                         fmt::format("the {} dialect has no scratch database to compare plans in", name()));
  }

  // The schema reduced to what inspecting a database of this dialect can
  // show, so that a declared schema and an inspected one compare equal when
  // the database is what the schema says. Columns take this dialect's type
  // override and drop the others' (ResolveDialectTypes), here and in
  // PlanMigration.
  virtual Schema Normalize(const Schema& schema) const = 0;

  // How the differ compares what this dialect spells freely (SQL texts).
  virtual DiffOptions DiffRules() const = 0;

  // The plan that turns `from` into `to`.
  virtual Plan PlanMigration(const Schema& from, const Schema& to, const std::vector<Change>& changes,
                             const MigrationOptions& options) const = 0;

  // The plan as a self-contained migration file.
  virtual std::string RenderMigration(const Plan& plan, const MigrationHeader& header) const = 0;

  // The integrity checks `schema` implies (an orphan-record check per
  // foreign key, the declared data checks) as one file a person can run in
  // the dialect's own shell.
  virtual std::string RenderChecks(const Schema& schema, std::string_view tag) const = 0;

  // What the database would refuse in the schema that the YAML cannot see:
  // a view that reads a missing table or column, SQL text that holds more
  // than its key says (a second statement after an index predicate, a
  // trigger on another table, DDL in a data fix). Empty when the schema can
  // be created and every view read.
  virtual std::vector<SchemaProblem> Problems(const Schema& schema) const = 0;
};

}  // namespace strata
