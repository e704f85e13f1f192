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
  cmd->add_flag("--check", ctx.check, "write nothing; exit 1 if any file is out of date");
  cmd->callback([&ctx] {
    const CommonOptions& o = ctx.options;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema) {
      ctx.exit_code = kUsage;
      return;
    }
    std::unique_ptr<Dialect> dialect = MakeDialect(schema->project.dialect);
    Result<MigrationFiles> existing = ReadMigrationDir(o.migrations_dir);
    if (!existing.ok()) {
      PrintError(existing.status().message());
      ctx.exit_code = ExitCodeFor(existing.status());
      return;
    }
    GenerateResult result = GenerateMigrations(*schema, *dialect, *existing);
    std::vector<std::string> stale = OutOfDateFiles(result.files, *existing);
    if (ctx.check) {
      if (o.format == Format::kJson) {
        PrintJson(result, stale, true);
      } else if (stale.empty()) {
        std::cout << fmt::format("{}: up to date ({} migrations)\n", o.migrations_dir, result.migrations.size());
      } else {
        std::cout << fmt::format("{}: not what {} produces; run `strata generate`:\n", o.migrations_dir, o.schema_dir);
        for (const std::string& s : stale) std::cout << "  " << s << "\n";
      }
      ctx.exit_code = stale.empty() ? kOk : kFindings;
      return;
    }
    MigrationFiles changed;
    for (const auto& [name, content] : result.files)
      if (auto it = existing->find(name); it == existing->end() || it->second != content) changed[name] = content;
    if (Status s = WriteMigrationFiles(o.migrations_dir, changed); !s.ok()) {
      PrintError(s.message());
      ctx.exit_code = ExitCodeFor(s);
      return;
    }
    if (o.format == Format::kJson) {
      PrintJson(result, {}, false);
    } else {
      PrintText(result);
      std::cout << fmt::format("{}: {} file(s) written\n", o.migrations_dir, changed.size());
    }
    ctx.exit_code = kOk;
  });
}

}  // namespace strata::cli
