#include "yaml/loader.h"

#include "yaml/expansion.h"

#include "base/file_io.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "base/strings.h"
#include "schema/types.h"
#include "schema/validate.h"
#include "yaml/node_reader.h"

namespace strata::yaml {

namespace {

const std::vector<std::string> kLifecycleKeys = {"since", "removed", "changes"};

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Reads one kind of element. `Read` fills the attributes present in a map
// into a value, so the same function reads the declaration and each entry of
// `changes` (which start from the previous stage). `required` keys are only
// demanded of the declaration.
template <typename T>
struct ElementKind {
  std::string what;  // "column", "index", ...
  std::vector<std::string> attributes;
  std::vector<std::string> required;
  std::function<void(const MapReader&, T&)> read;
  std::vector<std::string> changeable = {};  // keys `changes` may set; empty: all attributes

  const std::vector<std::string>& change_keys() const {
    return changeable.empty() ? attributes : changeable;
  }
};

class Loader {
 public:
  Loader(const FileContext& ctx, const Project& project) : ctx_(ctx), project_(project) {}

  // Reads an element with its lifecycle. `parent_since`/`parent_removed` are
  // the enclosing table's, which bound the element's tags.
  template <typename T>
  std::optional<Timeline<T>> ReadTimeline(const YAML::Node& node, const ElementKind<T>& kind,
                                          int parent_since, std::optional<int> parent_removed,
                                          const std::string& parent_label) {
    MapReader map(ctx_, node, kind.what, Concat(kind.attributes, kLifecycleKeys));
    if (!map.valid()) return std::nullopt;
    bool complete = true;
    for (const std::string& key : kind.required) complete = map.Required(key) && complete;
    if (!complete) return std::nullopt;

    T value{};
    value.pos = ElementPos(map);
    kind.read(map, value);
    std::string label = kind.what;
    if constexpr (requires { value.name; })
      if (!value.name.empty()) label = fmt::format("{} \"{}\"", kind.what, value.name);
    Timeline<T> timeline;
    int since = parent_since;
    if (const YAML::Node* n = map.Find("since")) {
      if (std::optional<int> tag = ResolveTag(ctx_, *n, project_)) {
        since = *tag;
        if (since < parent_since)
          ctx_.Error(*n, fmt::format("{} is tagged \"{}\", earlier than {} (\"{}\")", label,
                                     project_.tags[since], parent_label,
                                     project_.tags[parent_since]));
      }
    }
    timeline.stages.push_back({since, value});
    if (const YAML::Node* n = map.Find("removed")) {
      if (std::optional<int> tag = ResolveTag(ctx_, *n, project_)) {
        if (*tag > since)
          timeline.removed = *tag;
        else
          ctx_.Error(*n, fmt::format("{} is removed at \"{}\", not after it appears (\"{}\")",
                                     label, project_.tags[*tag], project_.tags[since]));
      }
    }
    if (parent_removed && since >= *parent_removed)
      ctx_.Error(map.node(), fmt::format("{} appears after {} is removed", label, parent_label));
    if (parent_removed && (!timeline.removed || *timeline.removed > *parent_removed))
      timeline.removed = parent_removed;
    if (const YAML::Node* changes = map.Find("changes")) ReadChanges(*changes, kind, timeline);
    return timeline;
  }

 private:
  SourcePos ElementPos(const MapReader& map) {
    // Point at the name where there is one: that is what a reader scans for.
    if (const YAML::Node* name = map.Find("name"); name && name->IsScalar()) return ctx_.PosOf(*name);
    return map.pos();
  }

  template <typename T>
  void ReadChanges(const YAML::Node& changes, const ElementKind<T>& kind, Timeline<T>& timeline) {
    MapReader by_tag(ctx_, changes, fmt::format("the changes of a {}", kind.what), project_.tags);
    if (!by_tag.valid()) return;
    std::vector<std::pair<int, const MapReader::Entry*>> ordered;
    for (const MapReader::Entry& e : by_tag.entries()) {
      int tag = *project_.TagIndex(e.key);
      if (tag <= timeline.since() || tag >= timeline.removed.value_or(project_.last_tag() + 1)) {
        ctx_.Error(e.key_node, fmt::format("change at \"{}\" is outside the {}'s lifetime", e.key,
                                           kind.what));
        continue;
      }
      ordered.emplace_back(tag, &e);
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [tag, entry] : ordered) {
      MapReader change(ctx_, entry->value, fmt::format("a change of a {}", kind.what),
                       kind.change_keys());
      if (!change.valid()) continue;
      T value = timeline.stages.back().value;
      value.pos = ctx_.PosOf(entry->key_node);
      kind.read(change, value);
      timeline.stages.push_back({tag, std::move(value)});
    }
  }

  const FileContext& ctx_;
  const Project& project_;
};

std::optional<FkAction> ParseFkAction(const std::string& text) {
  std::string word = AsciiLower(text);
  std::replace(word.begin(), word.end(), '_', ' ');
  if (word == "no action") return FkAction::kNoAction;
  if (word == "restrict") return FkAction::kRestrict;
  if (word == "cascade") return FkAction::kCascade;
  if (word == "set null") return FkAction::kSetNull;
  if (word == "set default") return FkAction::kSetDefault;
  return std::nullopt;
}

std::optional<ConflictResolution> ParseConflictResolution(const std::string& text) {
  const std::string word = AsciiLower(text);
  if (word == "rollback") return ConflictResolution::kRollback;
  if (word == "abort") return ConflictResolution::kAbort;
  if (word == "fail") return ConflictResolution::kFail;
  if (word == "ignore") return ConflictResolution::kIgnore;
  if (word == "replace") return ConflictResolution::kReplace;
  return std::nullopt;
}

// Whether `text` can stand as a column type in a CREATE TABLE: words,
// numbers and a parenthesised list. Anything that could end the type early
// (a statement separator, a quote, a comment, an unbalanced parenthesis)
// would let the text rewrite the rest of the column or the statement.
bool IsTypeNameText(std::string_view text) {
  return text.find_first_of(";\n\r'\"`[]") == std::string_view::npos && text.find("--") == std::string_view::npos &&
         text.find("/*") == std::string_view::npos &&
         std::count(text.begin(), text.end(), '(') == std::count(text.begin(), text.end(), ')');
}

constexpr std::string_view kNotATypeName = "is not a type name: it may hold words, numbers and one parenthesised list";

// The element kinds, each reading its own keys. They only report shape
// errors; cross-references are checked on the finished model (validate.cc).
struct Kinds {
  const FileContext& ctx;
  const Project& project;

  // A column's `dialect_types`: dialect name -> the SQL type that dialect's
  // migrations use, as written. Only dialects the project generates for:
  // an override for another would never be rendered or checked, so a typo
  // in it, or in the dialect's name, would go unnoticed.
  void ReadDialectTypes(const YAML::Node& node, Column& c) const {
    // Every key passes the reader (which reports duplicates and the shape);
    // a dialect is checked here against the project's, as a tag would be.
    std::vector<std::string> keys;
    if (node.IsMap())
      for (auto it = node.begin(); it != node.end(); ++it)
        if (it->first.IsScalar()) keys.push_back(it->first.Scalar());
    MapReader map(ctx, node, "dialect_types", keys);
    if (!map.valid()) return;
    // In a flow map a comma ends the value: {postgres: numeric(10,2)} reads
    // as "numeric(10" and a key "2)". The first half is reported with the
    // way out; the second is the same mistake and is not reported again.
    const bool flow = node.Style() == YAML::EmitterStyle::Flow;
    bool split_by_comma = false;
    std::map<std::string, std::string, std::less<>> types;
    for (const MapReader::Entry& e : map.entries()) {
      const bool is_dialect =
          std::find(project.dialects.begin(), project.dialects.end(), e.key) != project.dialects.end();
      if (std::exchange(split_by_comma, false) && !is_dialect && e.key.find(')') != std::string::npos) continue;
      if (!is_dialect) {
        std::string message = fmt::format("undeclared dialect \"{}\" in dialect_types; the project generates for {}",
                                          EscapedForMessage(e.key), JoinQuoted(project.dialects));
        if (std::string near = NearestWord(e.key, project.dialects); !near.empty())
          message += fmt::format(" (did you mean \"{}\"?)", near);
        else
          message += "; an override applies to a dialect listed under `dialects:` in the project file";
        ctx.Error(e.key_node, message);
        continue;
      }
      const std::string what = fmt::format("dialect_types \"{}\"", e.key);
      if (e.value.IsNull() || (e.value.IsScalar() && Trim(e.value.Scalar()).empty())) {
        ctx.Error(e.value.IsNull() ? e.key_node : e.value,
                  fmt::format("{} is empty; give the type {} should use, or leave the dialect out", what, e.key));
        continue;
      }
      std::optional<std::string> type = ScalarString(ctx, e.value, what);
      if (!type) continue;
      if (!IsTypeNameText(*type)) {
        std::string message = fmt::format("{}: \"{}\" {}", what, EscapedForMessage(*type), kNotATypeName);
        // Only a plain value can have lost its tail to a comma; a quoted one
        // says what it says.
        split_by_comma = flow && e.value.Tag() != "!" &&
                         std::count(type->begin(), type->end(), '(') > std::count(type->begin(), type->end(), ')');
        if (split_by_comma)
          message += fmt::format("; in a map written {{...}} a comma ends the value, so quote a type that holds "
                                 "one: {{{}: 'numeric(10,2)'}}",
                                 e.key);
        ctx.Error(e.value, message);
        continue;
      }
      types[e.key] = std::string(Trim(*type));
    }
    c.dialect_types = std::move(types);
  }

  void ReadFkAction(const MapReader& m, std::string_view key, FkAction& out) const {
    if (std::optional<std::string> s = m.String(key)) {
      if (std::optional<FkAction> a = ParseFkAction(*s))
        out = *a;
      else
        ctx.Error(*m.Find(key), fmt::format("unknown {} action \"{}\"; expected no_action, restrict, "
                                            "cascade, set_null or set_default", key, *s));
    }
  }

  // An ON CONFLICT resolution: rollback, abort, fail, ignore or replace.
  std::optional<ConflictResolution> ReadResolution(const YAML::Node& node, std::string_view key) const {
    std::optional<std::string> text = ScalarString(ctx, node, fmt::format("\"{}\"", key));
    if (!text) return std::nullopt;
    std::optional<ConflictResolution> r = ParseConflictResolution(*text);
    if (!r)
      ctx.Error(node, fmt::format("unknown {} resolution \"{}\"; expected rollback, abort, fail, ignore or replace",
                                  key, *text));
    return r;
  }

  // A column's `on_conflict`: one resolution for every constraint the column
  // declares (primary_key, nullable: false, unique), or a map naming the
  // constraints: {not_null: ignore, unique: replace}. Read after those flags,
  // so that it can name a constraint the column does not declare.
  void ReadColumnOnConflict(const MapReader& m, Column& c) const {
    const YAML::Node* node = m.Find("on_conflict");
    if (!node) return;
    if (node->IsMap()) {
      MapReader by(ctx, *node, "on_conflict", {"primary_key", "not_null", "unique"});
      const auto one = [&](std::string_view key, bool declared, const char* needs, ConflictResolution& out) {
        const YAML::Node* n = by.Find(key);
        if (!n) return;
        if (std::optional<ConflictResolution> r = ReadResolution(*n, "on_conflict")) {
          out = *r;
          if (!declared)
            ctx.Error(*n, fmt::format("on_conflict \"{}\" applies to a column with {}; column \"{}\" has none",
                                      key, needs, c.name));
        }
      };
      one("primary_key", c.primary_key, "primary_key: true", c.primary_key_on_conflict);
      one("not_null", !c.nullable, "nullable: false", c.not_null_on_conflict);
      one("unique", c.unique, "unique: true", c.unique_on_conflict);
      return;
    }
    if (std::optional<ConflictResolution> r = ReadResolution(*node, "on_conflict")) {
      c.primary_key_on_conflict = c.not_null_on_conflict = c.unique_on_conflict = *r;
      if (!c.primary_key && c.nullable && !c.unique)
        ctx.Error(*node, fmt::format("on_conflict applies to a column's primary_key, NOT NULL (nullable: false) or "
                                     "unique; column \"{}\" declares none of them", c.name));
    }
  }

  ElementKind<Column> column() const {
    return {"column",
            {"name", "type", "sql_type", "dialect_types", "nullable", "default", "default_sql", "primary_key",
             "autoincrement", "unique", "on_conflict", "check", "collate", "generated", "stored", "description"},
            {"name"},
            [this](const MapReader& m, Column& c) {
              if (auto v = m.String("name")) c.name = *v;
              if (m.Has("type") && m.Has("sql_type"))
                ctx.Error(*m.Find("sql_type"), "a column has either \"type\" (a known type) or \"sql_type\" "
                                               "(any type SQLite accepts, kept verbatim), not both");
              else if (!m.Has("type") && !m.Has("sql_type") && c.type.empty() && !c.verbatim_type)
                ctx.Error(m.node(), "column is missing the required key \"type\"");
              if (auto v = m.String("type")) {
                c.verbatim_type = false;
                if (IsKnownType(*v)) {
                  c.type = CanonicalTypeName(*v);
                } else {
                  std::string base = CanonicalTypeName(*v);
                  base = base.substr(0, base.find('('));
                  std::string message = fmt::format("unknown type \"{}\"", *v);
                  // A name that already says what it holds (MEDIUMTEXT is text) is
                  // not offered a type of another family (MEDIUMINT); a typo (TXET)
                  // gets the nearest name.
                  const std::optional<TypeFamily> family = FamilyNamedIn(base);
                  std::vector<std::string> same_family;
                  for (const std::string& known : KnownTypeNames())
                    if (!family || FamilyOfKnownType(known) == *family) same_family.push_back(known);
                  if (std::string near = NearestWord(base, same_family); !near.empty())
                    message += fmt::format("; did you mean \"{}\"?", near);
                  else
                    message += "; a type strata does not know (a legacy database's) can be kept verbatim with \"sql_type\"";
                  ctx.Error(*m.Find("type"), message);
                }
              }
              if (auto v = m.String("sql_type")) {
                c.type = std::string(Trim(*v));
                c.verbatim_type = true;
                if (!IsTypeNameText(c.type))
                  ctx.Error(*m.Find("sql_type"), fmt::format("sql_type \"{}\" {}", *v, kNotATypeName));
              }
              // In `changes`, a new map replaces the old one: {} drops every override.
              if (const YAML::Node* n = m.Find("dialect_types")) ReadDialectTypes(*n, c);
              if (auto v = m.String("generated")) c.generated = Generated{*v, c.generated && c.generated->stored};
              if (auto v = m.Bool("stored")) {
                if (c.generated)
                  c.generated->stored = *v;
                else
                  ctx.Error(*m.Find("stored"), "\"stored\" applies to a generated column only");
              }
              if (auto v = m.Bool("nullable")) c.nullable = *v;
              if (m.Has("default") && m.Has("default_sql"))
                ctx.Error(*m.Find("default_sql"),
                          "a column has either \"default\" (a literal) or \"default_sql\" (an SQL "
                          "expression), not both");
              else if (auto v = m.Literal("default"))
                c.default_value = DefaultValue::Literal(*v);
              else if (auto sql = m.String("default_sql"))
                c.default_value = DefaultValue::Sql(*sql);
              if (auto v = m.Bool("primary_key")) c.primary_key = *v;
              if (auto v = m.Bool("autoincrement")) c.autoincrement = *v;
              if (auto v = m.Bool("unique")) c.unique = *v;
              ReadColumnOnConflict(m, c);
              if (auto v = m.String("check")) c.check = *v;
              if (auto v = m.String("collate")) {
                std::string upper = AsciiUpper(*v);
                if (upper == "BINARY" || upper == "NOCASE" || upper == "RTRIM")
                  c.collation = upper;
                else
                  ctx.Error(*m.Find("collate"), fmt::format("unknown collation \"{}\"; expected "
                                                            "BINARY, NOCASE or RTRIM", *v));
              }
              if (auto v = m.String("description")) c.description = *v;
            }};
  }

  ElementKind<UniqueConstraint> unique() const {
    return {"unique constraint", {"columns", "on_conflict"}, {"columns"},
            [this](const MapReader& m, UniqueConstraint& u) {
              if (auto v = m.StringList("columns")) u.columns = *v;
              if (const YAML::Node* n = m.Find("on_conflict"))
                if (auto r = ReadResolution(*n, "on_conflict")) u.on_conflict = *r;
            }};
  }

  ElementKind<ForeignKey> foreign_key() const {
    return {"foreign key",
            {"columns", "references", "on_delete", "on_update", "deferred"},
            {"columns", "references"},
            [this](const MapReader& m, ForeignKey& fk) {
              if (auto v = m.StringList("columns")) fk.columns = *v;
              if (const YAML::Node* ref = m.Find("references")) {
                MapReader r(ctx, *ref, "references", {"table", "columns"});
                if (r.valid()) {
                  if (auto v = r.RequiredString("table")) fk.ref_table = *v;
                  if (auto v = r.StringList("columns")) fk.ref_columns = *v;
                }
              }
              ReadFkAction(m, "on_delete", fk.on_delete);
              ReadFkAction(m, "on_update", fk.on_update);
              if (auto v = m.Bool("deferred")) fk.deferred = *v;
            }};
  }

  ElementKind<CheckConstraint> check() const {
    return {"check", {"name", "expr"}, {"expr"}, [](const MapReader& m, CheckConstraint& c) {
              if (auto v = m.String("name")) c.name = *v;
              if (auto v = m.String("expr")) c.expr = *v;
            }};
  }

  ElementKind<Index> index() const {
    return {"index",
            {"name", "columns", "unique", "where", "description"},
            {"name", "columns"},
            [this](const MapReader& m, Index& i) {
              if (auto v = m.String("name")) i.name = *v;
              if (auto v = m.StringList("columns")) {
                i.parts.clear();
                for (const std::string& text : *v) {
                  if (auto part = ParseIndexPart(text))
                    i.parts.push_back(*part);
                  else
                    ctx.Error(*m.Find("columns"), fmt::format("index column \"{}\" must be a column "
                                                              "name or a parenthesised expression, "
                                                              "optionally followed by COLLATE name and "
                                                              "ASC or DESC", text));
                }
              }
              if (auto v = m.Bool("unique")) i.unique = *v;
              if (auto v = m.String("where")) i.where = *v;
              if (auto v = m.String("description")) i.description = *v;
            }};
  }

  // "name", "name DESC", "name COLLATE NOCASE", "(lower(email)) COLLATE NOCASE DESC".
  static std::optional<IndexPart> ParseIndexPart(const std::string& text) {
    IndexPart part;
    std::string_view rest = Trim(text);
    if (rest.starts_with("(")) {
      int depth = 0;
      size_t close = std::string_view::npos;
      for (size_t i = 0; i < rest.size() && close == std::string_view::npos; ++i) {
        if (rest[i] == '(') ++depth;
        if (rest[i] == ')' && --depth == 0) close = i;
      }
      if (close == std::string_view::npos) return std::nullopt;
      part.expression = std::string(Trim(rest.substr(1, close - 1)));
      if (part.expression.empty()) return std::nullopt;
      rest = rest.substr(close + 1);
    } else if (rest.starts_with("\"")) {
      // A name with spaces or quotes, quoted as in SQL: "we""ird col".
      size_t at = 1;
      for (; at < rest.size(); ++at) {
        if (rest[at] != '"') {
          part.column += rest[at];
        } else if (at + 1 < rest.size() && rest[at + 1] == '"') {
          part.column += '"';
          ++at;
        } else {
          break;
        }
      }
      if (at >= rest.size() || part.column.empty()) return std::nullopt;
      rest = rest.substr(at + 1);
    }
    std::istringstream words{std::string(rest)};
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    size_t at = 0;
    if (part.expression.empty() && part.column.empty()) {
      if (w.empty()) return std::nullopt;
      part.column = w[at++];
    }
    if (at + 1 < w.size() && EqualsIgnoreCase(w[at], "COLLATE")) {
      const std::string upper = AsciiUpper(w[at + 1]);
      if (upper != "BINARY" && upper != "NOCASE" && upper != "RTRIM") return std::nullopt;
      // Kept even when BINARY: on a NOCASE column that is an override.
      part.collation = upper;
      at += 2;
    }
    if (at < w.size() && (EqualsIgnoreCase(w[at], "ASC") || EqualsIgnoreCase(w[at], "DESC")))
      part.descending = EqualsIgnoreCase(w[at++], "DESC");
    if (at != w.size()) return std::nullopt;
    return part;
  }

  ElementKind<DataCheck> data_check() const {
    return {"data check", {"name", "description", "sql"}, {"name", "sql"},
            [](const MapReader& m, DataCheck& c) {
              if (auto v = m.String("name")) c.name = *v;
              if (auto v = m.String("description")) c.description = *v;
              if (auto v = m.String("sql")) c.sql = *v;
            }};
  }

  ElementKind<DataFix> data_fix() const {
    return {"data fix", {"name", "description", "sql"}, {"name", "sql"},
            [](const MapReader& m, DataFix& f) {
              if (auto v = m.String("name")) f.name = *v;
              if (auto v = m.String("description")) f.description = *v;
              if (auto v = m.String("sql")) f.sql = *v;
            }};
  }

  // Triggers and views are whole CREATE statements, run as written.
  template <typename T>
  ElementKind<T> statement(const char* what, const char* create) const {
    return {what, {"name", "description", "sql"}, {"name", "sql"},
            [this, what, create](const MapReader& m, T& t) {
              if (auto v = m.String("name")) t.name = *v;
              if (auto v = m.String("description")) t.description = *v;
              if (auto v = m.String("sql")) {
                t.sql = std::string(Trim(*v));
                std::istringstream words(t.sql);
                std::string first, second;
                words >> first >> second;
                if (AsciiUpper(first + " " + second) != create)
                  ctx.Error(*m.Find("sql"), fmt::format("the sql of a {} must be its whole {} statement", what, create));
              }
            }};
  }
  ElementKind<Trigger> trigger() const { return statement<Trigger>("trigger", "CREATE TRIGGER"); }
  // A view, with the INSTEAD OF triggers that make it writable.
  ElementKind<View> view() const {
    ElementKind<View> kind = statement<View>("view", "CREATE VIEW");
    kind.attributes.push_back("triggers");
    kind.read = [this, base = kind.read](const MapReader& m, View& v) {
      base(m, v);
      const YAML::Node* list = m.Find("triggers");
      if (!list || list->IsNull() || !ExpectSequence(ctx, *list, "\"triggers\"")) return;
      v.triggers.clear();
      const ElementKind<Trigger> trigger_kind = trigger();
      for (const YAML::Node& item : *list) {
        MapReader t(ctx, item, "trigger", trigger_kind.attributes);
        if (!t.valid() || !t.Required("name") || !t.Required("sql")) continue;
        Trigger trigger;
        trigger.pos = ctx.PosOf(item);
        trigger_kind.read(t, trigger);
        v.triggers.push_back(std::move(trigger));
      }
    };
    return kind;
  }

  ElementKind<Query> query() const {
    return {"query", {"name", "description", "sql"}, {"name", "sql"},
            [](const MapReader& m, Query& q) {
              if (auto v = m.String("name")) q.name = *v;
              if (auto v = m.String("description")) q.description = *v;
              if (auto v = m.String("sql")) q.sql = *v;
            }};
  }

  // The table's own attributes; its element lists are read by FileLoader,
  // and `changes` of a table may alter attributes only, not lists.
  ElementKind<Table> table_header() const {
    std::vector<std::string> attributes = {"name", "description", "primary_key", "primary_key_on_conflict",
                                           "without_rowid", "strict", "large"};
    return {"table",
            Concat(attributes, {"columns", "unique", "foreign_keys", "checks", "indexes", "triggers",
                                "data_checks", "data_fixes", "rows"}),
            {"name", "columns"},
            [this](const MapReader& m, Table& t) {
              if (auto v = m.String("name")) t.name = *v;
              if (auto v = m.String("description")) t.description = *v;
              if (auto v = m.StringList("primary_key")) t.primary_key = *v;
              if (const YAML::Node* n = m.Find("primary_key_on_conflict")) {
                if (auto r = ReadResolution(*n, "primary_key_on_conflict")) t.primary_key_on_conflict = *r;
                if (t.primary_key.empty())
                  ctx.Error(*n, "primary_key_on_conflict applies to the table's primary_key list; a column's "
                                "primary key takes on_conflict on the column");
              }
              if (auto v = m.Bool("without_rowid")) t.without_rowid = *v;
              if (auto v = m.Bool("strict")) t.strict = *v;
              if (auto v = m.Bool("large")) t.large = *v;
            },
            attributes};
  }
};

class FileLoader {
 public:
  FileLoader(const FileContext& ctx, const Project& project, VersionedSchema& out)
      : ctx_(ctx), project_(project), out_(out), loader_(ctx, project), kinds_{ctx, project} {}

  void LoadTables(const YAML::Node& list) {
    if (!ExpectSequence(ctx_, list, "\"tables\"")) return;
    for (const YAML::Node& node : list) LoadTable(node);
  }

  void LoadViews(const YAML::Node& list) {
    if (!ExpectSequence(ctx_, list, "\"views\"")) return;
    for (const YAML::Node& node : list)
      if (auto v = loader_.ReadTimeline(node, kinds_.view(), 0, std::nullopt, "the project"))
        out_.views.push_back(std::move(*v));
  }

  void LoadQueries(const YAML::Node& list) {
    if (!ExpectSequence(ctx_, list, "\"queries\"")) return;
    for (const YAML::Node& node : list)
      if (auto q = loader_.ReadTimeline(node, kinds_.query(), 0, std::nullopt, "the project"))
        out_.queries.push_back(std::move(*q));
  }

 private:
  void LoadTable(const YAML::Node& node) {
    std::optional<Timeline<Table>> header =
        loader_.ReadTimeline(node, kinds_.table_header(), 0, std::nullopt, "the project");
    if (!header) return;
    VersionedTable table;
    table.header = std::move(*header);
    const Table& declared = table.header.stages.front().value;
    int since = table.header.since();
    std::optional<int> removed = table.header.removed;
    std::string label = fmt::format("its table \"{}\"", declared.name);

    auto list = [&](std::string_view key, auto kind_of, auto& into) {
      const YAML::Node sub = node[std::string(key)];
      if (!sub.IsDefined() || sub.IsNull()) return;
      if (!ExpectSequence(ctx_, sub, fmt::format("\"{}\"", key))) return;
      for (const YAML::Node& item : sub)
        if (auto t = loader_.ReadTimeline(item, kind_of, since, removed, label))
          into.push_back(std::move(*t));
    };
    list("columns", kinds_.column(), table.columns);
    list("unique", kinds_.unique(), table.uniques);
    list("foreign_keys", kinds_.foreign_key(), table.foreign_keys);
    list("checks", kinds_.check(), table.checks);
    list("indexes", kinds_.index(), table.indexes);
    list("triggers", kinds_.trigger(), table.triggers);
    list("data_checks", kinds_.data_check(), table.data_checks);
    list("data_fixes", kinds_.data_fix(), table.data_fixes);
    // A fix runs in the migration into its tag, and belongs to no later state.
    for (Timeline<DataFix>& fix : table.data_fixes) fix.removed = fix.since() + 1;
    if (const YAML::Node rows = node["rows"]; rows.IsDefined() && !rows.IsNull())
      LoadRows(rows, since, removed, label, table);
    out_.tables.push_back(std::move(table));
  }

  void LoadRows(const YAML::Node& node, int table_since, std::optional<int> table_removed,
                const std::string& label, VersionedTable& table) {
    MapReader rows(ctx_, node, "rows", {"key", "since", "removed", "values"});
    if (!rows.valid()) return;
    if (auto key = rows.StringList("key")) table.header.stages.front().value.row_key = *key;
    for (auto& stage : table.header.stages) stage.value.row_key = table.header.stages.front().value.row_key;
    int since = table_since;
    if (auto tag = rows.Tag("since", project_)) {
      if (*tag < table_since)
        ctx_.Error(*rows.Find("since"), fmt::format("rows are tagged \"{}\", earlier than {} (\"{}\")",
                                                    project_.tags[*tag], label,
                                                    project_.tags[table_since]));
      since = std::max(since, *tag);
    }
    std::optional<int> removed = table_removed;
    if (auto tag = rows.Tag("removed", project_)) removed = std::min(*tag, removed.value_or(*tag));
    const YAML::Node* values = rows.Required("values");
    if (!values || !ExpectSequence(ctx_, *values, "\"values\"")) return;
    for (const YAML::Node& item : *values) {
      if (!item.IsMap()) {
        ctx_.Error(item, "a row must be a map of column names to values");
        continue;
      }
      ReferenceRow row;
      row.pos = ctx_.PosOf(item);
      for (auto it = item.begin(); it != item.end(); ++it) {
        if (!it->second.IsScalar() && !it->second.IsNull()) {
          ctx_.Error(it->second, fmt::format("row value for \"{}\" must be a single value",
                                             it->first.Scalar()));
          continue;
        }
        std::string column = it->first.Scalar();
        if (std::string problem = UnrenderableNumber(it->second); !problem.empty()) {
          ctx_.Error(it->second, problem);
          continue;
        }
        if (row.Find(column)) {
          ctx_.Error(it->first, fmt::format("duplicate key \"{}\" in a row", column));
          continue;
        }
        row.values.emplace_back(column, it->second.IsNull() ? Value::Null() : ScalarLiteral(it->second));
      }
      Timeline<ReferenceRow> timeline;
      timeline.stages.push_back({since, std::move(row)});
      timeline.removed = removed;
      table.rows.push_back(std::move(timeline));
    }
  }

  const FileContext& ctx_;
  const Project& project_;
  VersionedSchema& out_;
  Loader loader_;
  Kinds kinds_;
};

std::optional<YAML::Node> Parse(const SourceFile& source, Diagnostics& diagnostics) {
  // yaml-cpp would stop at a NUL and pass invalid UTF-8 on into names and SQL.
  if (std::optional<size_t> bad = FirstInvalidUtf8(source.text)) {
    const std::string_view before = std::string_view(source.text).substr(0, *bad);
    const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    const size_t line_start = before.rfind('\n');
    const int column = static_cast<int>(*bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    diagnostics.Error({source.path, line, column},
                      source.text[*bad] == '\0' ? "a NUL byte in the file" : "the file is not valid UTF-8 here");
    return std::nullopt;
  }
  // The ChefSocial schema expands to about 2,000 nodes; a million is far
  // beyond any real schema and still read in well under a second.
  constexpr size_t kMaxExpandedNodes = 1'000'000;
  if (std::optional<YAML::Mark> mark = ExpansionBeyond(source.text, kMaxExpandedNodes)) {
    diagnostics.Error({source.path, mark->line + 1, mark->column + 1},
                      fmt::format("aliases expand the file beyond {} nodes; write the values out instead",
                                  kMaxExpandedNodes));
    return std::nullopt;
  }
  try {
    std::vector<YAML::Node> documents = YAML::LoadAll(source.text);
    if (documents.size() > 1) {
      const YAML::Mark mark = documents[1].Mark();
      diagnostics.Error({source.path, mark.line + 1, mark.column + 1},
                        "a second YAML document; a schema file holds one");
      return std::nullopt;
    }
    return documents.empty() ? YAML::Node() : documents[0];
  } catch (const YAML::Exception& e) {
    diagnostics.Error({source.path, e.mark.line + 1, e.mark.column + 1}, e.msg);
    return std::nullopt;
  }
}

std::optional<Project> LoadProject(const SourceFile& source, Diagnostics& diagnostics) {
  FileContext ctx{source.path, &diagnostics};
  std::optional<YAML::Node> root = Parse(source, diagnostics);
  if (!root) return std::nullopt;
  MapReader map(ctx, *root, "the project file",
                {"project", "dialect", "dialects", "tags", "foreign_keys", "ignore_tables", "database"});
  if (!map.valid()) return std::nullopt;
  Project project;
  project.pos = map.pos();
  if (auto v = map.RequiredString("project")) project.name = *v;
  // Which names are dialects is the CLI's to say (it knows what is built
  // in); the loader only keeps them and where they were written.
  if (map.Find("dialect") && map.Find("dialects"))
    ctx.Error(*map.Find("dialects"), "give either `dialect:` or `dialects:`, not both");
  if (auto v = map.String("dialect")) {
    project.dialects = {*v};
    project.dialects_pos = ctx.PosOf(*map.Find("dialect"));
  } else if (auto list = map.StringList("dialects")) {
    if (list->empty()) ctx.Error(*map.Find("dialects"), "`dialects:` needs at least one dialect");
    for (size_t i = 0; i < list->size(); ++i)
      if (std::count(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(i), (*list)[i]))
        ctx.Error((*map.Find("dialects"))[i], fmt::format("dialect \"{}\" is listed twice", (*list)[i]));
    if (!list->empty()) project.dialects = *list;
    project.dialects_pos = ctx.PosOf(*map.Find("dialects"));
  }
  project.dialect = project.dialects.front();
  if (map.Required("tags")) {
    if (auto tags = map.StringList("tags")) {
      for (size_t i = 0; i < tags->size(); ++i) {
        // A tag names migration and checks files: it must stay one plain name.
        if (!IsSafeName((*tags)[i]))
          ctx.Error((*map.Find("tags"))[i],
                    fmt::format("tag \"{}\" must be 1 to 64 letters, digits, '_', '-' or '.', starting with a "
                                "letter or digit", EscapedForMessage((*tags)[i])));
        else if (project.TagIndex((*tags)[i]))
          ctx.Error((*map.Find("tags"))[i], fmt::format("duplicate tag \"{}\"", (*tags)[i]));
        project.tags.push_back((*tags)[i]);
      }
      if (tags->empty()) ctx.Error(*map.Find("tags"), "the project needs at least one tag");
    }
  }
  if (auto v = map.StringList("ignore_tables")) project.ignore_tables = *v;
  if (auto v = map.String("database")) project.database = *v;
  if (const YAML::Node* fk = map.Find("foreign_keys")) {
    MapReader fks(ctx, *fk, "foreign_keys", {"enforced_from"});
    if (fks.valid() && !project.tags.empty())
      project.foreign_keys_enforced_from = fks.Tag("enforced_from", project);
  }
  if (project.tags.empty()) return std::nullopt;
  return project;
}

}  // namespace

std::optional<VersionedSchema> LoadSchemaSources(const std::vector<SourceFile>& sources,
                                                 Diagnostics& diagnostics) {
  Diagnostics local;
  std::optional<Project> project = sources.empty() ? std::nullopt : LoadProject(sources[0], local);
  VersionedSchema schema;
  if (project) {
    schema.project = *project;
    for (size_t i = 1; i < sources.size(); ++i) {
      FileContext ctx{sources[i].path, &local};
      std::optional<YAML::Node> root = Parse(sources[i], local);
      if (!root || root->IsNull()) continue;
      MapReader map(ctx, *root, "a schema file", {"tables", "views", "queries"});
      if (!map.valid()) continue;
      FileLoader file(ctx, schema.project, schema);
      if (const YAML::Node* tables = map.Find("tables")) file.LoadTables(*tables);
      if (const YAML::Node* views = map.Find("views")) file.LoadViews(*views);
      if (const YAML::Node* queries = map.Find("queries")) file.LoadQueries(*queries);
    }
    // Cross-references only make sense once every file is in.
    ValidateVersionedSchema(schema, local);
  }
  diagnostics.Append(local);
  if (local.has_errors() || !project) return std::nullopt;
  return schema;
}

std::optional<std::vector<SourceFile>> ReadSchemaSources(const std::filesystem::path& dir,
                                                         Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diagnostics.Error({dir.string(), 0, 0}, "schema folder not found");
    return std::nullopt;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if (ext != ".yaml" && ext != ".yml") continue;
    std::error_code kind_error;
    if (it->is_directory(kind_error)) continue;
    // ReadFile refuses what is not a regular file (a FIFO would block the read).
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  const fs::path project_path = dir / kProjectFile;
  std::vector<SourceFile> sources;
  auto read = [&](const fs::path& path) -> bool {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) {
      diagnostics.Error({path.string(), 0, 0}, text.status().message());
      return false;
    }
    sources.push_back({path.string(), std::move(text.value())});
    return true;
  };
  if (!fs::exists(project_path, ec)) {
    diagnostics.Error({project_path.string(), 0, 0},
                      "project file not found; every schema folder needs a project.yaml naming the "
                      "dialect and the tags");
    return std::nullopt;
  }
  if (!read(project_path)) return std::nullopt;
  for (const fs::path& f : files)
    if (f != project_path && !read(f)) return std::nullopt;
  return sources;
}

std::optional<VersionedSchema> LoadSchemaDir(const std::filesystem::path& dir,
                                             Diagnostics& diagnostics) {
  std::optional<std::vector<SourceFile>> sources = ReadSchemaSources(dir, diagnostics);
  if (!sources) return std::nullopt;
  return LoadSchemaSources(*sources, diagnostics);
}

std::optional<Project> LoadProjectDir(const std::filesystem::path& dir, Diagnostics& diagnostics) {
  const std::filesystem::path path = dir / kProjectFile;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    diagnostics.Error({path.string(), 0, 0}, "project file not found");
    return std::nullopt;
  }
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    diagnostics.Error({path.string(), 0, 0}, text.status().message());
    return std::nullopt;
  }
  return LoadProject({path.string(), std::move(text.value())}, diagnostics);
}

}  // namespace strata::yaml
