#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "diff/differ.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"
#include "sqlite/script.h"
#include "yaml/loader.h"

namespace strata::cli {

namespace {

// A side of a diff: a schema folder (its last tag) or a database file.
std::optional<Schema> LoadSide(const std::string& path, Format format, bool& is_database) {
  is_database = !std::filesystem::is_directory(path);
  if (!is_database) {
    CommonOptions o;
    o.schema_dir = path;
    o.format = format;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema) return std::nullopt;
    return schema->Latest();
  }
  if (!std::filesystem::exists(path)) {
    PrintError(fmt::format("\"{}\" is neither a schema folder nor a database file", path));
    return std::nullopt;
  }
  Result<sqlite::Database> db = sqlite::Database::Open(path, sqlite::Database::Mode::kReadOnly);
  if (!db.ok()) {
    PrintError(db.status().message());
    return std::nullopt;
  }
  Result<Schema> schema = sqlite::InspectSchema(*db, {std::string(sqlite::kHistoryTable)});
  if (!schema.ok()) {
    PrintError(schema.status().message());
    return std::nullopt;
  }
  return std::move(schema.value());
}

}  // namespace

void SetupDiff(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("diff", "Print the SQL that turns A into B (schema folders or database files)");
  cmd->add_option("--from", ctx.from, "schema folder or database file")->required();
  cmd->add_option("--to", ctx.to, "schema folder or database file")->required();
  cmd->callback([&ctx] {
    bool from_db = false, to_db = false;
    std::optional<Schema> from = LoadSide(ctx.from, ctx.options.format, from_db);
    std::optional<Schema> to = from ? LoadSide(ctx.to, ctx.options.format, to_db) : std::nullopt;
    if (!from || !to) {
      ctx.exit_code = kUsage;
      return;
    }
    // A live database's rows are data, not schema, and it has no
    // descriptions: compare what both sides can show.
    const bool live = from_db || to_db;
    if (live) {
      from = sqlite::AsInspected(*from);
      to = sqlite::AsInspected(*to);
    }
    DiffOptions options{.compare_rows = !live};
    std::vector<Change> changes = Diff(*from, *to, RenameHints::From(*to), options);
    Plan plan = MakeDialect("sqlite")->PlanMigration(*from, *to, changes, {});
    if (changes.empty()) {
      std::cout << "-- no differences\n";
      ctx.exit_code = kOk;
      return;
    }
    for (const Step& step : plan.steps) {
      std::cout << "-- " << (step.destructive ? "DESTRUCTIVE: " : "") << step.comment << "\n";
      for (const std::string& sql : step.sql) std::cout << sql << ";\n";
    }
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
