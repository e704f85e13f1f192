#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "base/text_diff.h"
#include "cli/commands.h"
#include "cli/dialects.h"
#include "cli/exit_code.h"
#include "cli/run_context.h"
#include "dialect/index_advice.h"
#include "migrate/plan_regression.h"
#include "report/explain_report.h"
#include "report/plan_change_report.h"
#include "yaml/schema_edit.h"

namespace strata::cli {

namespace {

struct ExplainFlags : AtTagFlags {
  std::string base;  // --base: a tag or a database
  // --write: the advice becomes schema edits for tag `to`.
  bool write = false;
  std::string to;
  std::vector<std::string> only;  // index or table names; empty: all
  bool dry_run = false;
  bool include_unverified = false;
};

// `explain --base`: the queries of the tag planned on its schema and on the
// base's (a tag of the project, or a database's inspected schema), both in
// empty scratch databases; exit 1 when a query on a large table got worse.
void ExplainAgainstBase(const ExplainFlags& flags, int& exit_code) {
  std::optional<VersionedSchema> schema = LoadSchemaOrReport(flags.common);
  if (!schema) {
    exit_code = kUsage;
    return;
  }
  std::optional<int> tag = ResolveTagOrReport(*schema, flags.tag);
  if (!tag) {
    exit_code = kUsage;
    return;
  }
  Schema base;
  std::string base_label;
  std::string dialect_name = schema->project.dialect;
  if (std::optional<int> base_tag = schema->project.TagIndex(flags.base)) {
    base = schema->At(*base_tag);
    base_label = fmt::format("tag \"{}\"", flags.base);
  } else {
    Result<Schema> inspected = InspectTarget(flags.base);
    if (!inspected.ok()) {
      PrintError(fmt::format("--base \"{}\" is neither a tag of the project ({}) nor a database strata can read: {}",
                             RedactedTarget(flags.base), JoinQuoted(schema->project.tags),
                             inspected.status().message()));
      exit_code = ExitCodeFor(inspected.status());
      return;
    }
    base = std::move(inspected.value());
    base_label = RedactedTarget(flags.base);
    dialect_name = DialectOfTarget(flags.base);
  }
  std::unique_ptr<Dialect> dialect = MakeDialect(dialect_name);
  Result<std::vector<PlanChange>> changes = ComparePlansBetween(*dialect, base, schema->At(*tag));
  if (!changes.ok()) {
    PrintError(changes.status().message());
    exit_code = ExitCodeFor(changes.status());
    return;
  }
  const report::PlanChangeReport report{base_label, schema->project.tags[*tag], *changes};
  if (flags.common.format == Format::kJson)
    std::cout << report::PlanChangeJson(report);
  else if (flags.common.format == Format::kJunit)
    std::cout << report::PlanChangeJunit(report);
  else
    std::cout << report::PlanChangeText(report);
  exit_code = AnyLargeRegression(*changes) ? kFindings : kOk;
}

// The tag the --write edits belong to: --to, else the one after `from`.
std::optional<int> TargetTag(const ExplainFlags& flags, const Project& project, int from) {
  const std::string& explained = project.tags[static_cast<size_t>(from)];
  if (flags.to.empty()) {
    if (from < project.last_tag()) return from + 1;
    PrintError(fmt::format("tag \"{}\" is the last tag, and --write adds the changes to a later one: add the next tag "
                           "at the end of `tags:` in {}/project.yaml (its migration will hold them), then run again, "
                           "with --to TAG to name it",
                           explained, flags.common.schema_dir));
    return std::nullopt;
  }
  std::optional<int> to = project.TagIndex(flags.to);
  if (!to) {
    PrintError(fmt::format("--to \"{}\" is not a tag of the project ({}); add it to `tags:` in {}/project.yaml first",
                           EscapedForMessage(flags.to), JoinQuoted(project.tags), flags.common.schema_dir));
    return std::nullopt;
  }
  if (*to <= from) {
    PrintError(fmt::format("--to \"{}\" is not after tag \"{}\", the one explained: the changes go into the migration of "
                           "a later tag",
                           flags.to, explained));
    return std::nullopt;
  }
  return to;
}

// The edits for the advice that can be taken; `place[i]` is advice[i]'s
// index in request.add or request.drop.
yaml::IndexEditRequest EditsFor(const std::vector<IndexAdvice>& advice, const std::string& tag, int from, int to,
                                std::vector<std::optional<size_t>>& place) {
  const std::string source = fmt::format("strata explain at {}", tag);
  yaml::IndexEditRequest request{from, to, {}, {}};
  for (const IndexAdvice& a : advice) {
    place.emplace_back();
    if (!a.skipped.empty()) continue;
    const std::string why = fmt::format("{}: {}", source, a.summary);
    if (a.kind == IndexAdvice::Kind::kAdd) {
      place.back() = request.add.size();
      request.add.push_back({a.table, a.name, a.columns, why});
    } else {
      place.back() = request.drop.size();
      request.drop.push_back({a.table, a.name, a.kept_index, why});
    }
  }
  return request;
}

// `explain --write`: the verified advice of the explained tag as edits of
// schema/ for a later tag; see the README.
void ExplainAndWrite(const ExplainFlags& flags, int& exit_code) {
  std::optional<RunAtTag> at = OpenAtTag(flags.common, flags.tag, exit_code);
  if (!at) return;
  const Project& project = at->run->schema.project;
  const int from = at->tag;
  std::optional<int> to = TargetTag(flags, project, from);
  if (!to) {
    exit_code = kUsage;
    return;
  }
  const std::string& to_name = project.tags[static_cast<size_t>(*to)];
  // An applied migration is not edited after the fact: the database would
  // never run the changes.
  if (Result<std::vector<AppliedMigration>> history = at->run->connection->ReadHistory(); history.ok())
    for (const AppliedMigration& m : *history)
      if (std::optional<int> applied = project.TagIndex(m.tag); applied && *applied >= *to) {
        PrintError(fmt::format("{} has applied the migration into tag \"{}\" already, so changes added to that tag would "
                               "never run there; pass --to a tag it has not reached",
                               RedactedTarget(flags.common.db), to_name));
        exit_code = kUsage;
        return;
      }
  Result<ExplainReport> report = at->run->connection->Explain(at->run->schema.At(from));
  if (!report.ok()) {
    PrintError(report.status().message());
    exit_code = ExitCodeFor(report.status());
    return;
  }

  std::vector<IndexAdvice> advice = AdviceOf(*report, flags.include_unverified);
  if (!flags.only.empty()) {
    Result<std::vector<IndexAdvice>> only = OnlyAdviceFor(std::move(advice), flags.only, at->tag_name());
    if (!only.ok()) {
      PrintError("--only " + only.status().message());
      exit_code = kUsage;
      return;
    }
    advice = std::move(only.value());
  }
  std::vector<std::optional<size_t>> place;
  const yaml::IndexEditRequest request = EditsFor(advice, at->tag_name(), from, *to, place);

  Diagnostics diagnostics;
  std::optional<std::vector<yaml::SourceFile>> sources = yaml::ReadSchemaSources(flags.common.schema_dir, diagnostics);
  if (!sources) {
    for (const Diagnostic& d : diagnostics.items()) std::cerr << d.ToString() << "\n";
    exit_code = kUsage;
    return;
  }
  Result<yaml::IndexEdits> edits = yaml::EditIndexes(*sources, request);
  if (!edits.ok()) {
    PrintError(edits.status().message());
    exit_code = ExitCodeFor(edits.status());
    return;
  }

  if (flags.dry_run)
    for (const yaml::EditedFile& f : edits->files) std::cout << UnifiedDiff(f.path, f.before, f.after);
  int written = 0;
  for (size_t i = 0; i < advice.size(); ++i) {
    const IndexAdvice& a = advice[i];
    const bool add = a.kind == IndexAdvice::Kind::kAdd;
    const yaml::IndexEditOutcome* outcome =
        !place[i] ? nullptr : add ? &edits->added[*place[i]] : &edits->dropped[*place[i]];
    if (outcome && outcome->written) {
      ++written;
      std::cout << fmt::format("{}:{}: index \"{}\" {} {} ({})\n", outcome->pos.file, outcome->pos.line, outcome->name,
                               add ? fmt::format("on {} since", a.table) : "removed at", to_name, a.summary);
    } else {
      const std::string name = outcome ? outcome->name : a.name;
      std::cout << fmt::format("skipped: {} ({}): {}\n",
                               name.empty() ? "an index on " + a.table : fmt::format("index \"{}\" on {}", name, a.table),
                               a.summary, outcome ? outcome->skipped : a.skipped);
    }
  }
  if (written == 0) {
    std::cout << fmt::format("nothing to write for tag \"{}\": {}\n", to_name,
                             advice.empty() ? "explain has no index advice" : "no suggestion applies");
    exit_code = kOk;
    return;
  }
  if (flags.dry_run) {
    std::cout << fmt::format("dry run: {} edit(s) in {} file(s) for tag \"{}\"; nothing was written\n", written,
                             edits->files.size(), to_name);
    exit_code = kOk;
    return;
  }
  if (Status s = yaml::WriteEditedFiles(edits->files); !s.ok()) {
    PrintError(s.message());
    exit_code = kFindings;
    return;
  }
  std::cout << fmt::format("{} edit(s) written to {} file(s) for tag \"{}\"; next: `strata generate` writes them into "
                           "that tag's migration: review it, then commit it with the schema files\n",
                           written, edits->files.size(), to_name);
  exit_code = kOk;
}

}  // namespace

void SetupExplain(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("explain", "Index plans: each declared query's plan, missing and redundant indexes");
  auto flags = std::make_shared<ExplainFlags>();
  AddAtTagOptions(*cmd, *flags, true, "take the queries and large tables of this tag");
  cmd->add_option("--base", flags->base,
                  "compare the plans with those at this tag or in this database's schema (both planned on empty "
                  "copies); exit 1 when a query on a large table got worse");
  cmd->add_flag("--write", flags->write,
                "turn the advice into edits of the schema files for a later tag: each verified missing index is "
                "added with `since:`, each redundant index gets `removed:`");
  cmd->add_option("--to", flags->to, "--write: the tag the changes belong to (default: the tag after the one explained)");
  cmd->add_option("--only", flags->only, "--write: only these suggestions, by index or table name");
  cmd->add_flag("--dry-run", flags->dry_run, "--write: print the edits as a diff and change no file");
  cmd->add_flag("--include-unverified", flags->include_unverified,
                "--write: also the suggestions explain could not check (on PostgreSQL, when building the index "
                "in a rolled-back transaction was not possible)");
  cmd->callback([flags, &exit_code] {
    if (!flags->write && (!flags->to.empty() || !flags->only.empty() || flags->dry_run || flags->include_unverified)) {
      PrintError("--to, --only, --dry-run and --include-unverified go with --write");
      exit_code = kUsage;
      return;
    }
    if (flags->write) {
      if (!flags->base.empty() || flags->common.format != Format::kText) {
        PrintError("--write takes the advice about one database and prints text: it goes with neither --base nor --format");
        exit_code = kUsage;
        return;
      }
      ExplainAndWrite(*flags, exit_code);
      return;
    }
    if (!flags->base.empty()) {
      ExplainAgainstBase(*flags, exit_code);
      return;
    }
    if (flags->common.format == Format::kJunit) {
      PrintError("--format junit reports plan regressions: it goes with --base (one test case per query)");
      exit_code = kUsage;
      return;
    }
    std::optional<RunAtTag> at = OpenAtTag(flags->common, flags->tag, exit_code);
    if (!at) return;
    const std::unique_ptr<RunContext>& run = at->run;
    const int tag = at->tag;
    const Schema schema = run->schema.At(tag);
    Result<ExplainReport> report = run->connection->Explain(schema);
    if (!report.ok()) {
      PrintError(report.status().message());
      exit_code = ExitCodeFor(report.status());
      return;
    }
    const std::string& tag_name = at->tag_name();
    if (flags->common.format == Format::kJson) {
      std::cout << report::ExplainJson(*report, tag_name) << "\n";
    } else {
      std::cout << report::ExplainText(*report);
      std::cout << fmt::format("{}: index plans at tag \"{}\": {}\n", RedactedTarget(flags->common.db), tag_name,
                               report->failed() ? "FAILED" : "ok");
    }
    exit_code = report->failed() ? kFindings : kOk;
  });
}

}  // namespace strata::cli
