#include "cli/common.h"

#include <charconv>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/dialects.h"
#include "migrate/declarative.h"
#include "report/diagnostics_report.h"
#include "yaml/loader.h"

namespace strata::cli {

void AddSchemaOption(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--schema", o.schema_dir, "schema folder (default: schema)");
}

void AddDbOption(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--db", o.db, "database file (default: $STRATA_DB, else `database:` in project.yaml)")
      ->envname("STRATA_DB");
  cmd.parse_complete_callback([&o, &cmd] {
    if (!o.db.empty()) return;
    // An unknown flag (`--tga`) is the first thing to report: the parse
    // fails on it next, with the nearest flag.
    const CLI::App* top = &cmd;
    while (top->get_parent()) top = top->get_parent();
    if (!cmd.remaining(true).empty() || !top->remaining(true).empty()) return;
    Diagnostics ignored;  // a broken project file is reported by the command itself
    if (std::optional<Project> project = yaml::LoadProjectDir(o.schema_dir, ignored)) o.db = project->database;
    if (o.db.empty())
      throw CLI::ValidationError("--db", "no database named: pass --db FILE, set STRATA_DB, or add `database: FILE` "
                                         "to project.yaml");
  });
}

void AddMigrationsOption(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--migrations", o.migrations_dir, "migrations folder (default: migrations)");
}

void AddVersionOption(CLI::App& cmd, const std::string& name, std::optional<int64_t>& version,
                      const std::string& help) {
  cmd.add_option_function<std::string>(
         name,
         [name, &version](const std::string& text) {
           int64_t value = 0;
           const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
           if (error != std::errc() || end != text.data() + text.size() || value < 0)
             throw CLI::ValidationError(name, fmt::format("\"{}\" is not a version number such as 0020", text));
           version = value;
         },
         help)
      ->type_name("VERSION");
}

void AddFormatOption(CLI::App& cmd, CommonOptions& o, bool allow_junit) {
  std::map<std::string, Format> formats = {{"text", Format::kText}, {"json", Format::kJson}};
  if (allow_junit) formats.emplace("junit", Format::kJunit);
  cmd.add_option("--format", o.format, "output format")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
}

void PrintError(const std::string& message) { std::cerr << "strata: error: " << message << "\n"; }

namespace {

void Report(const Diagnostics& diagnostics, Format format) {
  if (diagnostics.empty()) return;
  if (format == Format::kJson)
    std::cout << report::DiagnosticsJson(diagnostics);
  else
    std::cerr << report::DiagnosticsText(diagnostics);
}

}  // namespace

// The loader keeps the dialect names; which exist is known here.
void CheckDialectNames(const Project& project, Diagnostics& diagnostics) {
  for (const std::string& name : project.dialects)
    if (!MakeDialect(name))
      diagnostics.Add({project.dialects_pos, Severity::kError,
                       fmt::format("unknown dialect \"{}\"; this strata supports {}", EscapedForMessage(name),
                                   JoinQuoted(KnownDialects()))});
}

std::optional<VersionedSchema> LoadSchemaOrReport(const CommonOptions& o) {
  Diagnostics diagnostics;
  std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(o.schema_dir, diagnostics);
  if (schema) CheckDialectNames(schema->project, diagnostics);
  Report(diagnostics, o.format);
  if (diagnostics.has_errors()) return std::nullopt;
  return schema;
}

bool DialectAcceptsOrReport(const VersionedSchema& schema) {
  bool ok = true;
  std::set<std::string> seen;  // a problem of several tags is printed once
  for (const std::string& name : schema.project.dialects) {
    std::unique_ptr<Dialect> dialect = MakeDialect(name);
    // Only a project of several dialects says which one refuses.
    const std::string which = schema.project.dialects.size() > 1 ? fmt::format("{}: ", name) : "";
    for (int tag = 0; tag <= schema.project.last_tag(); ++tag)
      for (const SchemaProblem& problem : dialect->Problems(schema.At(tag))) {
        const std::string where = problem.pos.known() ? problem.pos.ToString() + ": " : "";
        const std::string line = fmt::format("{}error: {}schema at tag \"{}\": {}", where, which,
                                             schema.project.tags[tag], problem.message);
        if (seen.insert(where + which + problem.message).second)
          std::cerr << (where.empty() ? "strata: " : "") << line << "\n";
        ok = false;
      }
  }
  return ok;
}

std::optional<VersionedSchema> LoadProjectOrReport(const CommonOptions& o) {
  Diagnostics diagnostics;
  std::optional<Project> project = yaml::LoadProjectDir(o.schema_dir, diagnostics);
  if (project) CheckDialectNames(*project, diagnostics);
  Report(diagnostics, o.format);
  if (!project || diagnostics.has_errors()) return std::nullopt;
  VersionedSchema schema;
  schema.project = std::move(*project);
  return schema;
}

std::optional<int> ResolveTagOrReport(const VersionedSchema& schema, const std::string& tag) {
  if (tag.empty()) return schema.project.last_tag();
  if (std::optional<int> index = schema.project.TagIndex(tag)) return index;
  PrintError(fmt::format("unknown tag \"{}\"; the project declares {}", tag,
                         JoinQuoted(schema.project.tags)));
  return std::nullopt;
}

bool ResolveTagLimitOrReport(const VersionedSchema& schema, const std::string& tag, std::optional<int>& index) {
  if (tag.empty()) return true;
  index = ResolveTagOrReport(schema, tag);
  return index.has_value();
}

namespace {

Result<std::unique_ptr<Connection>> OpenForReading(const std::string& target) {
  Result<std::unique_ptr<Connection>> connection = OpenTarget(target, {.read_only = true});
  if (!connection.ok()) return connection;
  for (const std::string& notice : (*connection)->notices())
    std::cerr << fmt::format("strata: {}: {}\n", RedactedTarget(target), notice);
  return connection;
}

}  // namespace

Result<Schema> InspectTarget(const std::string& target) {
  Result<std::unique_ptr<Connection>> connection = OpenForReading(target);
  if (!connection.ok()) return connection.status();
  return (*connection)->Inspect();
}

namespace {

// A database side is opened and left uninspected (`inspect` false) when
// the caller reads it together with the other side.
std::optional<SchemaSide> LoadSide(const std::string& path, Format format, const std::string& tag, bool inspect) {
  SchemaSide side;
  std::error_code error;
  side.is_database = !std::filesystem::is_directory(path, error);
  if (!side.is_database) {
    CommonOptions o;
    o.schema_dir = path;
    o.format = format;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema) return std::nullopt;
    std::optional<int> index = ResolveTagOrReport(*schema, tag);
    if (!index) return std::nullopt;
    side.schema = schema->At(*index);
    side.project = schema->project;
    return side;
  }
  if (DialectOfTarget(path) == "sqlite" && !std::filesystem::is_regular_file(path, error)) {
    PrintError(fmt::format("\"{}\" is neither a schema folder nor a database file", path));
    return std::nullopt;
  }
  Result<std::unique_ptr<Connection>> connection = OpenForReading(path);
  Result<Schema> schema = !connection.ok() ? Result<Schema>(connection.status())
                          : inspect        ? (*connection)->Inspect()
                                           : Result<Schema>(Schema{});
  if (!schema.ok()) {
    PrintError(schema.status().message());
    return std::nullopt;
  }
  side.schema = std::move(schema.value());
  side.project.dialect = DialectOfTarget(path);
  side.project.dialects = {side.project.dialect};
  side.connection = std::move(connection.value());
  return side;
}

}  // namespace

std::optional<SchemaSide> LoadSchemaSide(const std::string& path, Format format, const std::string& tag) {
  return LoadSide(path, format, tag, true);
}

std::optional<std::pair<SchemaSide, SchemaSide>> LoadSchemaSides(const std::string& from, const std::string& to,
                                                                 Format format) {
  std::error_code error;
  const bool databases = !std::filesystem::is_directory(from, error) && !std::filesystem::is_directory(to, error) &&
                         DialectOfTarget(from) == DialectOfTarget(to);
  std::optional<SchemaSide> a = LoadSide(from, format, "", !databases);
  std::optional<SchemaSide> b = a ? LoadSide(to, format, "", !databases) : std::nullopt;
  if (!a || !b) return std::nullopt;
  if (databases) {
    Result<std::pair<Schema, Schema>> schemas = InspectForComparison(*a->connection, *b->connection);
    if (!schemas.ok()) {
      PrintError(schemas.status().message());
      return std::nullopt;
    }
    a->schema = std::move(schemas->first);
    b->schema = std::move(schemas->second);
    // Nothing more is read from either; SQLite's copy of a 1,000-table
    // schema is over a megabyte per database.
    a->connection.reset();
    b->connection.reset();
  }
  return std::pair{std::move(*a), std::move(*b)};
}

Result<Schema> AsInspectedBy(Connection& database, const Schema& declared) {
  Result<Schema> out = database.AsInspected(declared);
  if (!out.ok()) return out;
  for (Table& t : out->tables)
    if (const Table* d = declared.FindTable(t.name)) {
      t.row_key = d->row_key;
      t.rows = d->rows;
      t.renamed_from = d->renamed_from;
      for (Column& c : t.columns)
        if (const Column* dc = d->FindColumn(c.name)) c.renamed_from = dc->renamed_from;
    }
  return out;
}

bool ComparableSides(SchemaSide& a, SchemaSide& b) {
  for (auto [folder, database] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    if (folder->is_database || !database->is_database) continue;
    // A folder for several dialects is compared as the database's dialect.
    if (folder->project.GeneratesFor(database->project.dialect)) folder->project.dialect = database->project.dialect;
    if (folder->project.dialect != database->project.dialect) return true;  // the caller refuses the mix
    Result<Schema> seen = AsInspectedBy(*database->connection, folder->schema);
    if (!seen.ok()) {
      PrintError(seen.status().message());
      return false;
    }
    folder->schema = std::move(seen.value());
  }
  return true;
}


}  // namespace strata::cli
