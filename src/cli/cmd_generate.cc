#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "base/json.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "migrate/generator.h"

namespace strata::cli {

namespace {

struct GenerateFlags {
  CommonOptions common;
  bool check = false;  // write nothing, report stale files
};

}  // namespace


namespace {

// One dialect's share of `generate`: its folders and what the schema implies.
struct DialectOutput {
  std::string dialect;
  std::string migrations_dir, checks_dir;
  GenerateResult result;
  MigrationFiles checks;
  MigrationFiles existing, existing_checks;
  std::vector<std::string> stale;
  MigrationFiles changed, changed_checks;
};

std::string Under(const std::string& dir, const std::string& folder) {
  return folder.empty() ? dir : (std::filesystem::path(dir) / folder).string();
}

MigrationFiles ChangedFiles(const MigrationFiles& wanted, const MigrationFiles& present) {
  MigrationFiles changed;
  for (const auto& [name, content] : wanted)
    if (auto it = present.find(name); it == present.end() || it->second != content) changed[name] = content;
  return changed;
}

void PrintJson(const std::vector<DialectOutput>& outputs, bool check) {
  bool ok = true;
  for (const DialectOutput& d : outputs) ok = ok && d.stale.empty();
  JsonWriter json;
  json.BeginObject().Key("ok").Bool(!check || ok).Key("check").Bool(check);
  json.Key("migrations").BeginArray();
  for (const DialectOutput& d : outputs)
    for (const GeneratedMigration& m : d.result.migrations) {
      json.BeginObject().Key("dialect").String(d.dialect).Key("tag").String(m.tag);
      json.Key("up").String(m.up_file).Key("down").String(m.down_file);
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
  for (const DialectOutput& d : outputs)
    for (const std::string& s : d.stale) json.String(s);
  json.EndArray().EndObject();
  std::cout << json.str() << "\n";
}

// Only the tags whose files this run wrote: an unchanged tag is silent.
void PrintText(const DialectOutput& d) {
  for (const GeneratedMigration& m : d.result.migrations) {
    if (!d.changed.contains(m.up_file) && !d.changed.contains(m.down_file)) continue;
    std::cout << fmt::format("{} / {}: {} change(s)\n", Under(d.migrations_dir, m.up_file), m.down_file,
                             m.changes.size());
    for (const std::string& x : m.destructive) std::cout << "  destructive: " << x << "\n";
    for (const std::string& x : m.irreversible) std::cout << "  down loses data: " << x << "\n";
  }
  std::cout << fmt::format("{}: {} file(s) written; {}: {} file(s) written\n", d.migrations_dir, d.changed.size(),
                           d.checks_dir, d.changed_checks.size());
}

Status WriteOutput(const DialectOutput& d) {
  Status written = WriteMigrationFiles(d.migrations_dir, d.changed);
  if (written.ok()) written = WriteMigrationFiles(d.checks_dir, d.changed_checks);
  // checks/ holds only what the schema produces: a file for a tag that no
  // longer exists would be run by nobody and mislead its reader.
  for (const auto& [name, content] : d.existing_checks) {
    std::error_code ec;
    if (written.ok() && !d.checks.count(name) && !std::filesystem::remove(std::filesystem::path(d.checks_dir) / name, ec))
      written = Status::IOError(fmt::format("cannot remove {}/{}: {}", d.checks_dir, name, ec.message()));
  }
  return written;
}

}  // namespace

void SetupGenerate(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("generate", "Write the migrations that schema/ implies, for every dialect");
  auto flags = std::make_shared<GenerateFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddFormatOption(*cmd, flags->common);
  cmd->add_option("--checks", flags->common.checks_dir, "checks folder (default: checks)");
  cmd->add_flag("--check", flags->check, "write nothing; exit 1 if any file is out of date");
  cmd->callback([flags, &exit_code] {
    const CommonOptions& o = flags->common;
    std::optional<VersionedSchema> schema = LoadSchemaOrReport(o);
    if (!schema || !DialectAcceptsOrReport(*schema)) {
      exit_code = kUsage;
      return;
    }
    std::vector<DialectOutput> outputs;
    for (const std::string& name : schema->project.dialects) {
      DialectOutput d;
      d.dialect = name;
      d.migrations_dir = Under(o.migrations_dir, schema->project.DialectFolder(name));
      d.checks_dir = Under(o.checks_dir, schema->project.DialectFolder(name));
      Result<MigrationFiles> existing = ReadMigrationDir(d.migrations_dir);
      Result<MigrationFiles> existing_checks = ReadMigrationDir(d.checks_dir);
      for (const Status& s : {existing.status(), existing_checks.status()}) {
        if (s.ok()) continue;
        PrintError(s.message());
        exit_code = ExitCodeFor(s);
        return;
      }
      d.existing = std::move(*existing);
      d.existing_checks = std::move(*existing_checks);
      const std::unique_ptr<Dialect> dialect = MakeDialect(name);
      d.result = GenerateMigrations(*schema, *dialect, d.existing);
      d.checks = GenerateChecks(*schema, *dialect);
      for (const std::string& s : OutOfDateFiles(d.result.files, d.existing)) d.stale.push_back(Under(d.migrations_dir, s));
      for (const std::string& s : OutOfDateFiles(d.checks, d.existing_checks, true)) d.stale.push_back(Under(d.checks_dir, s));
      d.changed = ChangedFiles(d.result.files, d.existing);
      d.changed_checks = ChangedFiles(d.checks, d.existing_checks);
      outputs.push_back(std::move(d));
    }
    if (flags->check) {
      std::vector<std::string> stale;
      for (const DialectOutput& d : outputs) stale.insert(stale.end(), d.stale.begin(), d.stale.end());
      if (o.format == Format::kJson) {
        PrintJson(outputs, true);
      } else if (stale.empty()) {
        for (const DialectOutput& d : outputs)
          std::cout << fmt::format("{}, {}: up to date ({} migrations, {} check files)\n", d.migrations_dir,
                                   d.checks_dir, d.result.migrations.size(), d.checks.size());
      } else {
        std::cout << fmt::format("not what {} produces; run `strata generate`:\n", o.schema_dir);
        for (const std::string& s : stale) std::cout << "  " << s << "\n";
      }
      exit_code = stale.empty() ? kOk : kFindings;
      return;
    }
    for (const DialectOutput& d : outputs) {
      if (Status written = WriteOutput(d); !written.ok()) {
        PrintError(written.message());
        exit_code = ExitCodeFor(written);
        return;
      }
    }
    if (o.format == Format::kJson) {
      PrintJson(outputs, false);
    } else {
      for (const DialectOutput& d : outputs) PrintText(d);
    }
    exit_code = kOk;
  });
}

}  // namespace strata::cli
