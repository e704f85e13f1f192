#include "report/erd.h"

#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"

namespace strata::report {

namespace {

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& n : names)
    if (EqualsIgnoreCase(n, name)) return true;
  return false;
}

// Every one of `part` is among `whole` (and `part` is not empty).
bool Within(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
  if (part.empty()) return false;
  for (const std::string& p : part)
    if (!Contains(whole, p)) return false;
  return true;
}

// The column sets no two rows share, besides the primary key: UNIQUE
// columns and constraints, and unique indexes on plain columns that hold
// for every row (a partial index holds for some).
std::vector<std::vector<std::string>> UniqueKeys(const Table& t) {
  std::vector<std::vector<std::string>> keys;
  for (const Column& c : t.columns)
    if (c.unique) keys.push_back({c.name});
  for (const UniqueConstraint& u : t.uniques) keys.push_back(u.columns);
  for (const Index& index : t.indexes) {
    if (!index.unique || !index.where.empty()) continue;
    std::vector<std::string> columns;
    for (const IndexPart& part : index.parts)
      if (!part.column.empty()) columns.push_back(part.column);
    if (columns.size() == index.parts.size()) keys.push_back(std::move(columns));
  }
  return keys;
}

// "PK", "FK", "UK" or a combination ("PK, FK"), "" for a plain column.
std::string KeyMarks(const Table& t, const Column& c) {
  std::vector<std::string> marks;
  if (Contains(t.PrimaryKeyColumns(), c.name)) marks.push_back("PK");
  for (const ForeignKey& fk : t.foreign_keys)
    if (Contains(fk.columns, c.name)) {
      marks.push_back("FK");
      break;
    }
  for (const std::vector<std::string>& key : UniqueKeys(t))
    if (Contains(key, c.name)) {
      marks.push_back("UK");
      break;
    }
  return fmt::format("{}", fmt::join(marks, ", "));
}

std::vector<const Column*> ShownColumns(const Table& t, ErdColumns which) {
  std::vector<const Column*> out;
  for (const Column& c : t.columns)
    if (which == ErdColumns::kAll || !KeyMarks(t, c).empty()) out.push_back(&c);
  return out;
}

std::string TypeOf(const Column& c) { return c.type.empty() ? "untyped" : c.type; }

// Mermaid's words are letters, digits, '_', '-', '(', ')', '[' and ']',
// not starting with a digit, and PK, FK and UK are its own: a name that is
// not such a word is spelled as the nearest one that is.
std::string MermaidWord(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const bool allowed =
        std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("_-()[]").find(ch) != std::string_view::npos;
    out += allowed ? ch : '_';
  }
  if (out.empty() || !(std::isalpha(static_cast<unsigned char>(out[0])) || out[0] == '_')) out = "_" + out;
  for (std::string_view keyword : {"PK", "FK", "UK"})
    if (EqualsIgnoreCase(out, keyword)) out += "_";
  return out;
}

// Quoted, entity names are never read as Mermaid's keywords ("end",
// "one", "to"...); quotes, '%' and '\' cannot appear in them at all.
std::string MermaidEntity(std::string_view name) {
  std::string out = "\"";
  for (char ch : name)
    out += (ch == '"' || ch == '%' || ch == '\\' || std::iscntrl(static_cast<unsigned char>(ch))) ? '_' : ch;
  return out + "\"";
}

std::string MermaidLabel(const std::vector<std::string>& columns) {
  std::string text = fmt::format("{}", fmt::join(columns, ", "));
  for (char& ch : text)
    if (ch == '"' || std::iscntrl(static_cast<unsigned char>(ch))) ch = '\'';
  return "\"" + text + "\"";
}

std::string DotId(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += std::iscntrl(static_cast<unsigned char>(ch)) ? ' ' : ch;
  }
  return out + "\"";
}

std::string Html(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += std::iscntrl(static_cast<unsigned char>(ch)) ? ' ' : ch;
    }
  }
  return out;
}

}  // namespace

std::vector<ErdRelationship> ErdRelationships(const Schema& schema) {
  std::vector<ErdRelationship> out;
  for (const Table& t : schema.tables) {
    const std::vector<std::string> primary_key = t.PrimaryKeyColumns();
    const std::vector<std::vector<std::string>> unique_keys = UniqueKeys(t);
    for (const ForeignKey& fk : t.foreign_keys) {
      ErdRelationship r;
      const Table* parent = schema.FindTable(fk.ref_table);
      r.parent = parent ? parent->name : fk.ref_table;
      r.child = t.name;
      r.columns = fk.columns;
      for (const std::string& name : fk.columns) {
        const Column* c = t.FindColumn(name);
        if (c && c->nullable && !Contains(primary_key, name)) r.optional = true;
      }
      r.one_to_one = Within(primary_key, fk.columns);
      for (const std::vector<std::string>& key : unique_keys) r.one_to_one = r.one_to_one || Within(key, fk.columns);
      r.identifying = Within(fk.columns, primary_key);
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string ErdMermaid(const Schema& schema, ErdColumns columns) {
  std::string out = "erDiagram\n";
  for (const Table& t : schema.tables) {
    const std::vector<const Column*> shown = ShownColumns(t, columns);
    if (shown.empty()) {
      out += fmt::format("    {}\n", MermaidEntity(t.name));
      continue;
    }
    out += fmt::format("    {} {{\n", MermaidEntity(t.name));
    for (const Column* c : shown) {
      const std::string marks = KeyMarks(t, *c);
      out += fmt::format("        {} {}{}\n", MermaidWord(TypeOf(*c)), MermaidWord(c->name),
                         marks.empty() ? "" : " " + marks);
    }
    out += "    }\n";
  }
  for (const ErdRelationship& r : ErdRelationships(schema))
    out += fmt::format("    {} {}{}{} {} : {}\n", MermaidEntity(r.parent), r.optional ? "|o" : "||",
                       r.identifying ? "--" : "..", r.one_to_one ? "o|" : "o{", MermaidEntity(r.child),
                       MermaidLabel(r.columns));
  return out;
}

std::string ErdDot(const Schema& schema, ErdColumns columns) {
  std::string out =
      "digraph schema {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.3, ranksep=0.9];\n"
      "  node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a5a6a\", fontcolor=\"#4a5a6a\", dir=both];\n";
  for (const Table& t : schema.tables) {
    out += fmt::format("  {} [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">\n",
                       DotId(t.name));
    out += fmt::format("    <TR><TD COLSPAN=\"3\" BGCOLOR=\"#d8e4f0\"><B>{}</B></TD></TR>\n", Html(t.name));
    for (const Column* c : ShownColumns(t, columns))
      out += fmt::format("    <TR><TD ALIGN=\"LEFT\">{}</TD><TD ALIGN=\"LEFT\">{}</TD>"
                         "<TD ALIGN=\"LEFT\">{}</TD></TR>\n",
                         Html(KeyMarks(t, *c)), Html(c->name), Html(TypeOf(*c)));
    out += "  </TABLE>>];\n";
  }
  // Crow's foot ends: the parent's is one bar (exactly one) or a bar and a
  // circle (zero or one); the child's a crow and a circle (zero or more)
  // or a bar and a circle (zero or one). Non-identifying keys are dashed.
  for (const ErdRelationship& r : ErdRelationships(schema))
    out += fmt::format("  {} -> {} [arrowtail={}, arrowhead={}, style={}, label={}];\n", DotId(r.parent),
                       DotId(r.child), r.optional ? "teeodot" : "teetee", r.one_to_one ? "teeodot" : "crowodot",
                       r.identifying ? "solid" : "dashed", DotId(fmt::format("{}", fmt::join(r.columns, ", "))));
  out += "}\n";
  return out;
}

}  // namespace strata::report
