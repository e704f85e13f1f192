#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "base/json.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "migrate/generator.h"

namespace strata::cli {

namespace {

void PrintJson(const GenerateResult& result, const std::vector<std::string>& stale, bool check) {
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(stale.empty()).Key("check").Bool(check);
  json.Key("migrations").BeginArray();
  for (const GeneratedMigration& m : result.migrations) {
    json.BeginObject().Key("tag").String(m.tag).Key("up").String(m.up_file).Key("down").String(m.down_file);
    const auto list = [&](const char* key, const std::vector<std::string>& items) {
      json.Key(key).BeginArray();
      for (const std::string& i : items) json.String(i);
      json.EndArray();
    };
    list("changes", m.changes);
    list("destructive", m.destructive);
    list("irreversible", m.irreversible);
    json.EndObject();
  }
  json.EndArray().Key("out_of_date").BeginArray();
  for (const std::string& s : stale) json.String(s);
  json.EndArray().EndObject();
  std::cout << json.str() << "\n";
}

void PrintText(const GenerateResult& result) {
  for (const GeneratedMigration& m : result.migrations) {
    std::cout << fmt::format("{} / {}: {} change(s)\n", m.up_file, m.down_file, m.changes.size());
    for (const std::string& d : m.destructive) std::cout << "  destructive: " << d << "\n";
    for (const std::string& d : m.irreversible) std::cout << "  down loses data: " << d << "\n";
  }
}

}  // namespace

void SetupGenerate(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("generate", "Write the migrations that schema/ implies");
  AddSchemaOption(*cmd, ctx.options);
  AddMigrationsOption(*cmd, ctx.options);
  AddFormatOption(*cmd, ctx.options);
  cmd->add_option("--checks", ctx.options.checks_dir, "checks folder (default: checks)");
  cmd->add_flag("--check", ctx.check, "write nothing; exit 1 if any file is out of date");
  cmd->callback([&ctx] {
    const CommonOptions& o = ctx.options;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema || !DialectAcceptsOrReport(*schema)) {
      ctx.exit_code = kUsage;
      return;
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(schema->project.dialect);
    Result<MigrationFiles> existing = ReadMigrationDir(o.migrations_dir);
    Result<MigrationFiles> existing_checks = ReadMigrationDir(o.checks_dir);
    for (const Status& s : {existing.status(), existing_checks.status()}) {
      if (s.ok()) continue;
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    GenerateResult result = GenerateMigrations(*schema, *dialect, *existing);
    const MigrationFiles checks = GenerateChecks(*schema, *dialect);
    std::vector<std::string> stale;
    for (const std::string& s : OutOfDateFiles(result.files, *existing)) stale.push_back(o.migrations_dir + "/" + s);
    for (const std::string& s : OutOfDateFiles(checks, *existing_checks, true)) stale.push_back(o.checks_dir + "/" + s);
    if (ctx.check) {
      if (o.format == Format::kJson) {
        PrintJson(result, stale, true);
      } else if (stale.empty()) {
        std::cout << fmt::format("{}, {}: up to date ({} migrations, {} check files)\n", o.migrations_dir,
                                 o.checks_dir, result.migrations.size(), checks.size());
      } else {
        std::cout << fmt::format("not what {} produces; run `strata generate`:\n", o.schema_dir);
        for (const std::string& s : stale) std::cout << "  " << s << "\n";
      }
      ctx.exit_code = stale.empty() ? kOk : kFindings;
      return;
    }
    const auto changed_files = [](const MigrationFiles& wanted, const MigrationFiles& present) {
      MigrationFiles changed;
      for (const auto& [name, content] : wanted)
        if (auto it = present.find(name); it == present.end() || it->second != content) changed[name] = content;
      return changed;
    };
    const MigrationFiles changed = changed_files(result.files, *existing);
    const MigrationFiles changed_checks = changed_files(checks, *existing_checks);
    Status written = WriteMigrationFiles(o.migrations_dir, changed);
    if (written.ok()) written = WriteMigrationFiles(o.checks_dir, changed_checks);
    // checks/ holds only what the schema produces: a file for a tag that no
    // longer exists would be run by nobody and mislead its reader.
    for (const auto& [name, content] : *existing_checks) {
      std::error_code ec;
      if (written.ok() && !checks.count(name) && !std::filesystem::remove(std::filesystem::path(o.checks_dir) / name, ec))
        written = Status::IOError(fmt::format("cannot remove {}/{}: {}", o.checks_dir, name, ec.message()));
    }
    if (!written.ok()) {
      PrintError(written.message());
      ctx.exit_code = ExitCodeFor(written);
      return;
    }
    if (o.format == Format::kJson) {
      PrintJson(result, {}, false);
    } else {
      PrintText(result);
      std::cout << fmt::format("{}: {} file(s) written; {}: {} file(s) written\n", o.migrations_dir, changed.size(),
                               o.checks_dir, changed_checks.size());
    }
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
