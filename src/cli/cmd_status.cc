#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/json.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"

namespace strata::cli {

namespace {

struct PlanFlags {
  CommonOptions common;
  std::string tag;                   // --tag: stop at the end of this tag
  std::optional<int64_t> to_version;  // --to: stop at this version
};

}  // namespace


namespace {

std::string State(const StatusEntry& e) {
  if (!e.entry) return "applied, file missing";
  if (e.checksum_mismatch) return "applied, CHECKSUM MISMATCH (file edited after it was applied)";
  if (e.applied) return e.applied->checksum.empty() ? "applied (outside strata)" : "applied";
  return "pending";
}

// What is wrong with an entry that has ways out, in a few words.
std::string Problem(const StatusEntry& e) {
  if (!e.applied) return "";
  if (!e.entry) return "recorded as applied, but its files are gone";
  return e.checksum_mismatch ? "edited after it was applied" : "";
}

std::string FileOf(const StatusEntry& e) {
  return e.entry ? e.entry->up_file : MigrationFileNameFor(e.applied->version, e.applied->name, true);
}

// The sentence about a database with tables and no history; `adoptable`
// is set when `up` or `baseline` can take it as it is.
std::string AdoptionSentence(const Adoption& a, const VersionedSchema& schema, bool& adoptable) {
  const std::vector<std::string>& tags = schema.project.tags;
  adoptable = a.tag.has_value();
  if (a.tag && a.by_up)
    return fmt::format("has tables but no strata history; its schema is tag \"{}\", so `strata up` adopts it (records "
                       "the first migration as applied) and applies the rest",
                       tags[*a.tag]);
  if (a.tag)
    return fmt::format("has tables but no strata history; its schema is tag \"{0}\", so `strata baseline --tag {0}` "
                       "adopts it{1}",
                       tags[*a.tag], *a.tag == schema.project.last_tag() ? "" : ", then `strata up` applies the rest");
  constexpr size_t kShown = 10;
  std::string out = fmt::format(
      "has tables but no strata history, and is not adoptable as it is: its schema is no tag's; the nearest is tag "
      "\"{}\", from which it differs in {} way(s):",
      tags[a.nearest_tag], a.differences.size());
  for (size_t i = 0; i < a.differences.size() && i < kShown; ++i) out += "\n  " + a.differences[i];
  if (a.differences.size() > kShown) out += fmt::format("\n  ... and {} more", a.differences.size() - kShown);
  return out + fmt::format("\nbring it to a tag by hand (`strata drift --tag {} --db ...` shows the differences), then "
                           "`strata baseline --tag` that tag",
                           tags[a.nearest_tag]);
}

}  // namespace

void SetupStatus(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("status", "Applied and pending migrations, and checksum mismatches");
  auto flags = std::make_shared<CommonOptions>();
  AddSchemaOption(*cmd, *flags);
  AddMigrationsOption(*cmd, *flags);
  AddDbOption(*cmd, *flags);
  AddFormatOption(*cmd, *flags);
  cmd->callback([flags, &exit_code] {
    std::unique_ptr<RunContext> run = OpenRunContext(*flags, false, exit_code, SchemaNeed::kProject, DatabaseUse::kReadAbsentAsEmpty);
    if (!run) return;
    Result<StatusReport> report = run->runner->Status();
    if (!report.ok()) {
      PrintError(report.status().message());
      exit_code = ExitCodeFor(report.status());
      return;
    }
    // Tables and no history: said whether `up` or `baseline` can adopt it.
    std::optional<Adoption> adoption;
    if (!run->absent && report->applied_count() == 0) {
      Result<bool> empty = run->connection->IsEmpty();
      if (empty.ok() && !*empty) {
        if (!LoadTables(*run, *flags)) {
          exit_code = kUsage;
          return;
        }
        Result<std::optional<Adoption>> assessed = run->runner->AssessAdoption();
        if (!assessed.ok()) {
          PrintError(assessed.status().message());
          exit_code = ExitCodeFor(assessed.status());
          return;
        }
        adoption = std::move(assessed.value());
      }
    }
    bool adoptable = true;
    const std::string adoption_sentence = adoption ? AdoptionSentence(*adoption, run->schema, adoptable) : "";
    if (flags->format == Format::kJson) {
      JsonWriter json;
      json.BeginObject().Key("ok").Bool(report->ok() && adoptable).Key("exists").Bool(!run->absent);
      json.Key("applied").Int(report->applied_count());
      json.Key("pending").Int(report->pending_count()).Key("migrations").BeginArray();
      for (const StatusEntry& e : report->entries) {
        json.BeginObject().Key("version").Int(e.version());
        json.Key("file").String(FileOf(e));
        json.Key("tag").String(e.entry ? e.entry->tag : e.applied->tag);
        json.Key("applied").Bool(e.applied != nullptr);
        json.Key("applied_at").String(e.applied ? e.applied->applied_at : "");
        json.Key("checksum_mismatch").Bool(e.checksum_mismatch);
        if (std::string problem = Problem(e); !problem.empty()) json.Key("problem").String(problem);
        json.Key("resolve").BeginArray();
        for (const std::string& way : WaysOut(*report, e, run->migrations_dir)) json.String(way);
        json.EndArray();
        json.EndObject();
      }
      json.EndArray().Key("sum_problems").BeginArray();
      for (const SumMismatch& m : report->sum_problems) json.String(m.ToString());
      json.EndArray();
      if (adoption) {
        json.Key("adoption").BeginObject().Key("adoptable").Bool(adoptable);
        if (adoption->tag) {
          const std::string& tag = run->schema.project.tags[*adoption->tag];
          json.Key("tag").String(tag).Key("command").String(adoption->by_up ? "strata up"
                                                                            : "strata baseline --tag " + tag);
        } else {
          json.Key("nearest_tag").String(run->schema.project.tags[adoption->nearest_tag]).Key("differences").BeginArray();
          for (const std::string& d : adoption->differences) json.String(d);
          json.EndArray();
        }
        json.Key("message").String(adoption_sentence).EndObject();
      }
      json.EndObject();
      std::cout << json.str() << "\n";
    } else {
      for (const StatusEntry& e : report->entries)
        std::cout << fmt::format("{:<28} {:<10} {}{}\n", FileOf(e), e.entry ? e.entry->tag : e.applied->tag, State(e),
                                 e.applied ? "  " + e.applied->applied_at : "");
      for (const StatusEntry& e : report->entries) {
        const std::vector<std::string> ways = WaysOut(*report, e, run->migrations_dir);
        if (ways.empty()) continue;
        std::cout << fmt::format("\n{} was {}. Ways out:\n", FileOf(e),
                                 e.entry ? "edited after it was applied (its checksum is not the recorded one)"
                                         : "recorded as applied, but its files are gone");
        for (const std::string& way : ways) std::cout << "  - " << way << "\n";
      }
      for (const SumMismatch& m : report->sum_problems) std::cout << "strata.sum: " << m.ToString() << "\n";
      if (adoption) std::cout << fmt::format("{}: {}\n", RedactedTarget(flags->db), adoption_sentence);
      std::cout << fmt::format("{}: {}{} applied, {} pending\n", RedactedTarget(flags->db),
                               run->absent ? "does not exist yet (`strata up` creates it); " : "",
                               report->applied_count(), report->pending_count());
    }
    exit_code = report->ok() && adoptable ? kOk : kFindings;
  });
}

void SetupPlan(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("plan", "Print the SQL that `up` would run, without running it");
  auto flags = std::make_shared<PlanFlags>();
  AddSchemaOption(*cmd, flags->common);
  AddMigrationsOption(*cmd, flags->common);
  AddDbOption(*cmd, flags->common);
  cmd->add_option("--tag", flags->tag, "stop at the end of this tag");
  AddVersionOption(*cmd, "--to", flags->to_version, "stop at this version");
  cmd->callback([flags, &exit_code] {
    // A database that does not exist yet plans everything; nothing is created.
    std::unique_ptr<RunContext> run = OpenRunContext(flags->common, false, exit_code, SchemaNeed::kProject, DatabaseUse::kReadAbsentAsEmpty);
    if (!run) return;
    UpOptions options;
    if (!flags->tag.empty() && !(options.tag = ResolveTagOrReport(run->schema, flags->tag))) {
      exit_code = kUsage;
      return;
    }
    options.to_version = flags->to_version;
    Result<std::vector<const MigrationEntry*>> pending = run->runner->Pending(options);
    if (!pending.ok()) {
      PrintError(pending.status().message());
      exit_code = ExitCodeFor(pending.status());
      return;
    }
    for (const MigrationEntry* m : *pending) {
      std::cout << fmt::format("-- ===== {} (tag \"{}\"){}\n", m->up_file, m->tag,
                               m->up_facts.destructive.empty() ? "" : " DESTRUCTIVE: needs --allow-destructive");
      std::cout << m->up_sql << "\n";
    }
    std::cerr << fmt::format("{} pending migration(s){}\n", pending->size(),
                             run->absent ? fmt::format(" ({} does not exist yet)", RedactedTarget(flags->common.db)) : "");
    exit_code = kOk;
  });
}

}  // namespace strata::cli
