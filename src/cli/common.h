// Options shared by the commands, with the defaults the SPEC fixes, and the
// helpers every command uses to load input and print results.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "base/diagnostic.h"
#include "base/status.h"
#include "dialect/connection.h"
#include "schema/versioned.h"

namespace strata::cli {

enum class Format { kText, kJson, kJunit };

struct CommonOptions {
  std::string schema_dir = "schema";
  std::string migrations_dir = "migrations";
  std::string checks_dir = "checks";
  std::string db;  // --db, else STRATA_DB, else `database:` of project.yaml
  Format format = Format::kText;
};

void AddSchemaOption(CLI::App& cmd, CommonOptions& o);
void AddDbOption(CLI::App& cmd, CommonOptions& o);
void AddMigrationsOption(CLI::App& cmd, CommonOptions& o);
// A migration version ("0020" or "20"), read as a decimal number: CLI11
// alone reads a leading zero as octal (0020 would be 16).
void AddVersionOption(CLI::App& cmd, const std::string& name, std::optional<int64_t>& version, const std::string& help);
// `junit` is accepted only where `allow_junit` is set (check, drift, verify, ...).
void AddFormatOption(CLI::App& cmd, CommonOptions& o, bool allow_junit = false);

// Loads the schema folder; on failure prints the diagnostics (in the chosen
// format) and returns nullopt. Warnings are printed either way.
std::optional<VersionedSchema> LoadSchemaOrReport(const CommonOptions& o);
// Whether the dialect accepts the schema at every tag (views that read what
// exists, for example); prints each problem as an error when not.
bool DialectAcceptsOrReport(const VersionedSchema& schema);

// The project file alone, as a schema without tables.
std::optional<VersionedSchema> LoadProjectOrReport(const CommonOptions& o);

// Resolves a tag name against the project (the last tag when empty);
// prints an error and returns nullopt when unknown.
std::optional<int> ResolveTagOrReport(const VersionedSchema& schema, const std::string& tag);
// A `--tag` that limits a run: none when `tag` is empty, else its index.
// False after printing an unknown tag.
bool ResolveTagLimitOrReport(const VersionedSchema& schema, const std::string& tag, std::optional<int>& index);

void PrintError(const std::string& message);

// One side of `diff` or the target of `apply`: a schema folder (its last
// tag) or a database file (inspected).
struct SchemaSide {
  Schema schema;
  bool is_database = false;
  Project project;  // a schema folder's own; a database's names only its dialect
  // A database's, kept open read-only; closed once LoadSchemaSides has
  // read two databases (nothing more is read from them).
  std::unique_ptr<Connection> connection;
};
// `tag` picks a schema folder's tag (default: its last).
// The schema of the database `target` names, opened read-only (after
// rolling back an interrupted write, which it says on stderr).
Result<Schema> InspectTarget(const std::string& target);

std::optional<SchemaSide> LoadSchemaSide(const std::string& path, Format format, const std::string& tag = "");
// Both sides of `diff` (their last tags); two databases of one dialect are
// read together, so that only the tables stored differently are inspected.
std::optional<std::pair<SchemaSide, SchemaSide>> LoadSchemaSides(const std::string& from, const std::string& to,
                                                                 Format format);

// A schema folder's side as `database` would read it back (its engine's
// spelling of types and expressions), so that the two compare equal when
// the database is what the folder says; reference rows and declared
// renames are kept.
Result<Schema> AsInspectedBy(Connection& database, const Schema& declared);

// Compares `a` and `b` on equal terms: a folder side facing a database is
// put in that database's spelling. Prints and returns false on failure.
bool ComparableSides(SchemaSide& a, SchemaSide& b);

}  // namespace strata::cli
