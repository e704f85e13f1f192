#include "yaml/writer.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "base/strings.h"

namespace strata::yaml {

namespace {

// Text is always quoted so that '42' or 'true' stays text when read back.
void EmitValue(YAML::Emitter& out, const Value& v) {
  struct Visitor {
    YAML::Emitter& out;
    void operator()(std::monostate) const { out << YAML::Null; }
    void operator()(bool b) const { out << (b ? "true" : "false"); }
    void operator()(int64_t i) const { out << i; }
    void operator()(double d) const {
      std::string text = fmt::format("{}", d);
      if (text.find_first_of(".en") == std::string::npos) text += ".0";  // stays a real, not an integer
      out << text;
    }
    void operator()(const std::string& s) const { out << YAML::DoubleQuoted << s; }
  };
  std::visit(Visitor{out}, v.data);
}

void EmitList(YAML::Emitter& out, const std::vector<std::string>& items) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const std::string& i : items) out << i;
  out << YAML::EndSeq;
}

// The YAML spelling of an action: FkActionName in lower case, words joined
// by '_' ("set_null"), which the loader reads back.
std::string ActionKey(FkAction a) {
  std::string key = AsciiLower(FkActionName(a));
  std::replace(key.begin(), key.end(), ' ', '_');
  return key;
}

// The YAML spelling of a resolution, which the loader reads back.
std::string ResolutionKey(ConflictResolution r) { return AsciiLower(ConflictResolutionName(r)); }

// A column's `on_conflict`: one word when every constraint the column
// declares resolves conflicts the same way, else a map of the constraints
// that do not ABORT; nothing when all of them ABORT.
void EmitColumnOnConflict(YAML::Emitter& out, const Column& c) {
  std::vector<std::pair<const char*, ConflictResolution>> declared;
  if (c.primary_key) declared.push_back({"primary_key", c.primary_key_on_conflict});
  if (!c.nullable) declared.push_back({"not_null", c.not_null_on_conflict});
  if (c.unique) declared.push_back({"unique", c.unique_on_conflict});
  std::erase_if(declared, [](const auto& d) { return d.second == ConflictResolution::kAbort; });
  if (declared.empty()) return;
  const size_t constraints = size_t{c.primary_key} + size_t{!c.nullable} + size_t{c.unique};
  const bool one_word = declared.size() == constraints &&
                        std::all_of(declared.begin(), declared.end(),
                                    [&](const auto& d) { return d.second == declared[0].second; });
  out << YAML::Key << "on_conflict" << YAML::Value;
  if (one_word) {
    out << ResolutionKey(declared[0].second);
    return;
  }
  out << YAML::Flow << YAML::BeginMap;
  for (const auto& [key, r] : declared) out << YAML::Key << key << YAML::Value << ResolutionKey(r);
  out << YAML::EndMap;
}

void EmitColumn(YAML::Emitter& out, const Column& c) {
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
  out << YAML::Key << (c.verbatim_type ? "sql_type" : "type") << YAML::Value << c.type;
  if (!c.dialect_types.empty()) {
    out << YAML::Key << "dialect_types" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [dialect, type] : c.dialect_types) out << YAML::Key << dialect << YAML::Value << type;
    out << YAML::EndMap;
  }
  if (!c.nullable) out << YAML::Key << "nullable" << YAML::Value << false;
  if (c.default_value) {
    if (c.default_value->is_sql()) {
      out << YAML::Key << "default_sql" << YAML::Value << c.default_value->sql;
    } else {
      out << YAML::Key << "default" << YAML::Value;
      EmitValue(out, c.default_value->literal);
    }
  }
  if (c.primary_key) out << YAML::Key << "primary_key" << YAML::Value << true;
  if (c.autoincrement) out << YAML::Key << "autoincrement" << YAML::Value << true;
  if (c.unique) out << YAML::Key << "unique" << YAML::Value << true;
  EmitColumnOnConflict(out, c);
  if (!c.check.empty()) out << YAML::Key << "check" << YAML::Value << c.check;
  if (!c.collation.empty()) out << YAML::Key << "collate" << YAML::Value << c.collation;
  if (c.generated) {
    out << YAML::Key << "generated" << YAML::Value << c.generated->expr;
    if (c.generated->stored) out << YAML::Key << "stored" << YAML::Value << true;
  }
  if (!c.description.empty()) out << YAML::Key << "description" << YAML::Value << c.description;
  out << YAML::EndMap;
}

// A column name as an index part: quoted as in SQL when it holds anything
// but letters, digits and '_', so that the loader reads it back whole.
std::string IndexColumnName(const std::string& name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (plain && !std::isdigit(static_cast<unsigned char>(name[0]))) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void EmitIndex(YAML::Emitter& out, const Index& i) {
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << i.name;
  std::vector<std::string> parts;
  for (const IndexPart& p : i.parts) {
    std::string part = p.expression.empty() ? IndexColumnName(p.column) : "(" + p.expression + ")";
    if (!p.collation.empty()) part += " COLLATE " + p.collation;
    parts.push_back(p.descending ? part + " DESC" : part);
  }
  out << YAML::Key << "columns" << YAML::Value;
  EmitList(out, parts);
  if (i.unique) out << YAML::Key << "unique" << YAML::Value << true;
  if (!i.where.empty()) out << YAML::Key << "where" << YAML::Value << i.where;
  if (!i.description.empty()) out << YAML::Key << "description" << YAML::Value << i.description;
  out << YAML::EndMap;
}

// Triggers and views: the CREATE statement as SQLite stores it, in a
// literal block so that its lines stay as they are.
template <typename T>
void EmitStatements(YAML::Emitter& out, const char* key, const std::vector<T>& items) {
  if (items.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const T& item : items) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << item.name;
    if (!item.description.empty()) out << YAML::Key << "description" << YAML::Value << item.description;
    out << YAML::Key << "sql" << YAML::Value << YAML::Literal << item.sql;
    if constexpr (std::is_same_v<T, View>) EmitStatements(out, "triggers", item.triggers);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

std::string TableFile(const Table& t) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << t.name;
  if (!t.description.empty()) out << YAML::Key << "description" << YAML::Value << t.description;
  if (!t.primary_key.empty()) {
    out << YAML::Key << "primary_key" << YAML::Value;
    EmitList(out, t.primary_key);
    if (t.primary_key_on_conflict != ConflictResolution::kAbort)
      out << YAML::Key << "primary_key_on_conflict" << YAML::Value << ResolutionKey(t.primary_key_on_conflict);
  }
  if (t.without_rowid) out << YAML::Key << "without_rowid" << YAML::Value << true;
  if (t.strict) out << YAML::Key << "strict" << YAML::Value << true;
  if (t.large) out << YAML::Key << "large" << YAML::Value << true;
  out << YAML::Key << "columns" << YAML::Value << YAML::BeginSeq;
  for (const Column& c : t.columns) EmitColumn(out, c);
  out << YAML::EndSeq;
  if (!t.uniques.empty()) {
    out << YAML::Key << "unique" << YAML::Value << YAML::BeginSeq;
    for (const UniqueConstraint& u : t.uniques) {
      out << YAML::BeginMap << YAML::Key << "columns" << YAML::Value;
      EmitList(out, u.columns);
      if (u.on_conflict != ConflictResolution::kAbort)
        out << YAML::Key << "on_conflict" << YAML::Value << ResolutionKey(u.on_conflict);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!t.foreign_keys.empty()) {
    out << YAML::Key << "foreign_keys" << YAML::Value << YAML::BeginSeq;
    for (const ForeignKey& fk : t.foreign_keys) {
      out << YAML::BeginMap << YAML::Key << "columns" << YAML::Value;
      EmitList(out, fk.columns);
      out << YAML::Key << "references" << YAML::Value << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "table" << YAML::Value << fk.ref_table;
      if (!fk.ref_columns.empty()) {
        out << YAML::Key << "columns" << YAML::Value;
        EmitList(out, fk.ref_columns);
      }
      out << YAML::EndMap;
      if (fk.on_delete != FkAction::kNoAction) out << YAML::Key << "on_delete" << YAML::Value << ActionKey(fk.on_delete);
      if (fk.on_update != FkAction::kNoAction) out << YAML::Key << "on_update" << YAML::Value << ActionKey(fk.on_update);
      if (fk.deferred) out << YAML::Key << "deferred" << YAML::Value << true;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!t.checks.empty()) {
    out << YAML::Key << "checks" << YAML::Value << YAML::BeginSeq;
    for (const CheckConstraint& c : t.checks) {
      out << YAML::BeginMap;
      if (!c.name.empty()) out << YAML::Key << "name" << YAML::Value << c.name;
      out << YAML::Key << "expr" << YAML::Value << c.expr << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!t.indexes.empty()) {
    out << YAML::Key << "indexes" << YAML::Value << YAML::BeginSeq;
    for (const Index& i : t.indexes) EmitIndex(out, i);
    out << YAML::EndSeq;
  }
  EmitStatements(out, "triggers", t.triggers);
  out << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace

std::map<std::string, std::string> WriteSchemaFiles(const Project& project, const Schema& schema) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "project" << YAML::Value << project.name;
  if (project.dialects.size() > 1) {
    out << YAML::Key << "dialects" << YAML::Value;
    EmitList(out, project.dialects);
  } else {
    out << YAML::Key << "dialect" << YAML::Value << project.dialect;
  }
  out << YAML::Key << "tags" << YAML::Value;
  EmitList(out, project.tags);
  if (!project.database.empty()) out << YAML::Key << "database" << YAML::Value << project.database;
  if (!project.ignore_tables.empty()) {
    out << YAML::Key << "ignore_tables" << YAML::Value;
    EmitList(out, project.ignore_tables);
  }
  out << YAML::EndMap;
  std::map<std::string, std::string> files;
  files["project.yaml"] = std::string(out.c_str()) + "\n";
  for (const Table& t : schema.tables) {
    // A file name from any table name: unusual characters become '_', and
    // a name taken twice that way gets a number.
    std::string stem;
    for (char c : t.name) stem += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_';
    std::string name = "tables/" + stem + ".yaml";
    for (int n = 2; files.count(name); ++n) name = fmt::format("tables/{}_{}.yaml", stem, n);
    files[name] = TableFile(t);
  }
  if (!schema.views.empty()) {
    YAML::Emitter views;
    views << YAML::BeginMap;
    EmitStatements(views, "views", schema.views);
    views << YAML::EndMap;
    files["views.yaml"] = std::string(views.c_str()) + "\n";
  }
  return files;
}

}  // namespace strata::yaml
