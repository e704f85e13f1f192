#include "yaml/schema_edit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/file_io.h"
#include "base/strings.h"
#include "yaml/text_layout.h"

namespace strata::yaml {

namespace {

using NodeId = TextLayout::NodeId;

// PostgreSQL cuts longer identifiers; SQLite has no limit. A name that fits
// both stays what the schema says on either.
constexpr size_t kMaxNameBytes = 63;

// The scalar as YAML text: plain when it can only read back as this very
// string, double-quoted otherwise.
std::string YamlScalar(std::string_view s) {
  static const std::set<std::string, std::less<>> kSpecialWords = {"null", "true", "false", "yes", "no",
                                                                   "on",   "off",  "y",     "n"};
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  // A word: a letter first (a digit could read as a number), then letters,
  // digits, '-' and '.'.
  bool plain = !s.empty() && letter(s[0]);
  for (char c : s) plain = plain && (letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.');
  if (plain && !kSpecialWords.contains(AsciiLower(s))) return std::string(s);
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\')
      out += {'\\', ch};
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += ch;
  }
  return out + "\"";
}

// A column as an entry of `columns:` (see the loader's ParseIndexPart): the
// name itself, or quoted as in SQL when it has a space, a quote or a
// parenthesis that would read as something else.
std::string IndexColumnText(const std::string& column) {
  if (!column.empty() && column.find_first_of(" \t\"()") == std::string::npos) return YamlScalar(column);
  std::string quoted = "\"";
  for (char c : column) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return YamlScalar(quoted + "\"");
}

std::string Clipped(std::string name, size_t bytes) {
  if (name.size() <= bytes) return name;
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return name.substr(0, cut);
}

// `wanted`, or wanted_2, wanted_3, ... when another object has it at any tag.
std::string FreeName(const std::string& wanted, std::set<std::string>& taken) {
  std::string name = Clipped(wanted, kMaxNameBytes);
  for (int n = 2; taken.contains(AsciiLower(name)); ++n) {
    const std::string suffix = "_" + std::to_string(n);
    name = Clipped(wanted, kMaxNameBytes - suffix.size()) + suffix;
  }
  taken.insert(AsciiLower(name));
  return name;
}

// Every name a table, view or index has at any tag.
std::set<std::string> NamesInUse(const VersionedSchema& schema) {
  std::set<std::string> names;
  for (const VersionedTable& t : schema.tables) {
    for (const auto& stage : t.header.stages) names.insert(AsciiLower(stage.value.name));
    for (const Timeline<Index>& i : t.indexes)
      for (const auto& stage : i.stages) names.insert(AsciiLower(stage.value.name));
  }
  for (const Timeline<View>& v : schema.views)
    for (const auto& stage : v.stages) names.insert(AsciiLower(stage.value.name));
  return names;
}

// The model without where each element was written: the edited files
// move lines, and only what they declare is compared.
Schema WithoutPositions(Schema s) {
  const auto clear = [](auto& elements) {
    for (auto& e : elements) e.pos = {};
  };
  for (Table& t : s.tables) {
    t.pos = {};
    clear(t.columns);
    clear(t.uniques);
    clear(t.foreign_keys);
    clear(t.checks);
    clear(t.indexes);
    clear(t.triggers);
    clear(t.data_checks);
    clear(t.data_fixes);
    clear(t.rows);
  }
  for (View& v : s.views) {
    v.pos = {};
    clear(v.triggers);
  }
  clear(s.queries);
  return s;
}

// An index that serves lookups by `columns`: they lead its keys, with no
// expression or WHERE in the way.
const Index* ServingIndex(const Table& table, const std::vector<std::string>& columns) {
  for (const Index& i : table.indexes) {
    if (!i.where.empty() || i.parts.size() < columns.size()) continue;
    bool leads = true;
    for (size_t k = 0; k < columns.size() && leads; ++k)
      leads = i.parts[k].expression.empty() && EqualsIgnoreCase(i.parts[k].column, columns[k]);
    if (leads) return &i;
  }
  return nullptr;
}

std::string IndexColumns(const Index& index) {
  std::vector<std::string> columns;
  for (const IndexPart& p : index.parts) columns.push_back(p.expression.empty() ? p.column : "(" + p.expression + ")");
  return fmt::format("({})", fmt::join(columns, ", "));
}

SourcePos PosAt(const std::string& path, const std::string& text, size_t at) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return {path, line, static_cast<int>(at - line_start) + 1};
}

// Text put into a file: `text` replaces `erase` bytes at `offset`.
struct Splice {
  size_t offset = 0;
  size_t erase = 0;
  std::string text;
  bool lines = false;  // whole lines: at the end of a file without a final line break, one goes first
  int order = 0;       // at the same offset: removals (0) before additions (1), which follow the last entry
  std::vector<std::pair<IndexEditOutcome*, size_t>> anchors;  // an outcome, and where in `text` its line starts
};

class Editor {
 public:
  Editor(const std::vector<SourceFile>& sources, const IndexEditRequest& request, VersionedSchema before)
      : sources_(sources), request_(request), before_(std::move(before)), expected_(before_) {}


  Result<IndexEdits> Run() {
    const int last = before_.project.last_tag();
    if (request_.from < 0 || request_.to <= request_.from || request_.to > last)
      return Status::InvalidInput("the tag of the changes must come after the tag the advice was given at");
    at_to_ = before_.At(request_.to);
    IndexEdits edits;
    edits.added.resize(request_.add.size());
    edits.dropped.resize(request_.drop.size());
    taken_ = NamesInUse(before_);
    // Additions are placed per table: several go into one `indexes:` list.
    std::map<size_t, std::vector<size_t>> additions_by_table;
    for (size_t i = 0; i < request_.add.size(); ++i) {
      Result<std::optional<size_t>> table = Accept(request_.add[i], edits.added[i]);
      if (!table.ok()) return table.status();
      if (table.value()) additions_by_table[**table].push_back(i);
    }
    for (size_t i = 0; i < request_.drop.size(); ++i)
      if (Status s = Drop(request_.drop[i], edits.dropped[i]); !s.ok()) return s;
    for (const auto& [table, adds] : additions_by_table) {
      std::vector<std::pair<const IndexToAdd*, IndexEditOutcome*>> entries;
      for (size_t i : adds) entries.push_back({&request_.add[i], &edits.added[i]});
      if (Status s = PlaceAdditions(table, entries); !s.ok()) return s;
    }
    if (Status s = Apply(edits); !s.ok()) return s;
    return edits;
  }

 private:
  std::string Tag(int tag) const { return before_.project.tags[static_cast<size_t>(tag)]; }

  std::optional<size_t> TableAt(const std::string& name, int tag) const {
    for (size_t i = 0; i < before_.tables.size(); ++i)
      if (const Table* t = before_.tables[i].header.At(tag); t && EqualsIgnoreCase(t->name, name)) return i;
    return std::nullopt;
  }

  // The table at `to`, with its elements; null when it is gone by then.
  const Table* TableAtTo(size_t table) const {
    const Table* header = before_.tables[table].header.At(request_.to);
    return header ? at_to_.FindTable(header->name) : nullptr;
  }

  Status NotDeclared(const std::string& what) const {
    return Status::InvalidInput(fmt::format(
        "{} is not declared at tag \"{}\" in the schema files, although the database the advice comes from has it: "
        "the files changed, or the database differs from them (`strata drift` shows how); nothing was edited",
        what, Tag(request_.from)));
  }

  // Checks an addition against the schema at `to`; the table it goes to, or
  // none when it is skipped.
  Result<std::optional<size_t>> Accept(const IndexToAdd& add, IndexEditOutcome& outcome) {
    outcome.name = add.name;
    std::optional<size_t> table = TableAt(add.table, request_.from);
    if (!table) return NotDeclared(fmt::format("table \"{}\"", add.table));
    const Table* at_to = TableAtTo(*table);
    if (!at_to) {
      outcome.skipped = fmt::format("table \"{}\" is gone at tag \"{}\"", add.table, Tag(request_.to));
      return std::optional<size_t>();
    }
    for (const std::string& c : add.columns)
      if (!at_to->FindColumn(c)) {
        outcome.skipped = fmt::format("table \"{}\" has no column \"{}\" at tag \"{}\"", at_to->name, c, Tag(request_.to));
        return std::optional<size_t>();
      }
    if (const Index* serving = ServingIndex(*at_to, add.columns)) {
      outcome.skipped = fmt::format("index \"{}\" {} serves it at tag \"{}\"", serving->name, IndexColumns(*serving),
                                    Tag(request_.to));
      return std::optional<size_t>();
    }
    Table& added = added_[*table];
    if (const Index* twin = ServingIndex(added, add.columns)) {
      outcome.skipped = fmt::format("index \"{}\" {} is added for it too", twin->name, IndexColumns(*twin));
      return std::optional<size_t>();
    }
    Index index;
    index.name = FreeName(add.name.empty() ? "idx_" + at_to->name : add.name, taken_);
    for (const std::string& c : add.columns) index.parts.push_back({.column = c});
    index.description = add.description;
    outcome.name = index.name;
    VersionedTable& expected = expected_.tables[*table];
    Timeline<Index> timeline;
    timeline.stages.push_back({request_.to, index});
    timeline.removed = expected.header.removed;
    expected.indexes.push_back(std::move(timeline));
    added.indexes.push_back(std::move(index));
    return table;
  }

  Status Drop(const IndexToDrop& drop, IndexEditOutcome& outcome) {
    outcome.name = drop.index;
    std::optional<size_t> table = TableAt(drop.table, request_.from);
    if (!table) return NotDeclared(fmt::format("table \"{}\"", drop.table));
    const VersionedTable& versioned = before_.tables[*table];
    std::optional<size_t> found;
    for (size_t i = 0; i < versioned.indexes.size() && !found; ++i)
      if (const Index* index = versioned.indexes[i].At(request_.from); index && EqualsIgnoreCase(index->name, drop.index))
        found = i;
    if (!found) return NotDeclared(fmt::format("index \"{}\" of table \"{}\"", drop.index, drop.table));
    const Timeline<Index>& timeline = versioned.indexes[*found];
    if (timeline.removed && *timeline.removed <= request_.to) {
      outcome.skipped = fmt::format("it is removed at tag \"{}\" already", Tag(*timeline.removed));
      return Status::Ok();
    }
    if (!drop.kept_index.empty()) {
      const Table* at_to = TableAtTo(*table);
      const bool kept = at_to && std::any_of(at_to->indexes.begin(), at_to->indexes.end(), [&](const Index& i) {
                          return EqualsIgnoreCase(i.name, drop.kept_index);
                        });
      const bool dropped_too = std::any_of(request_.drop.begin(), request_.drop.end(), [&](const IndexToDrop& d) {
        return EqualsIgnoreCase(d.table, drop.table) && EqualsIgnoreCase(d.index, drop.kept_index);
      });
      if (!kept || dropped_too) {
        outcome.skipped = fmt::format("index \"{}\", which serves its lookups, is not there at tag \"{}\"",
                                      drop.kept_index, Tag(request_.to));
        return Status::Ok();
      }
    }
    expected_.tables[*table].indexes[*found].removed = request_.to;
    return PlaceRemoval(*table, *found, drop.why, outcome);
  }

  // The layout of the file that holds `pos`, parsed once.
  Result<const TextLayout*> LayoutOf(const SourcePos& pos) {
    if (auto it = layouts_.find(pos.file); it != layouts_.end()) return &it->second;
    for (const SourceFile& source : sources_)
      if (source.path == pos.file) {
        Result<TextLayout> layout = TextLayout::Parse(source.text);
        if (!layout.ok()) return layout.status().WithContext(source.path);
        return &layouts_.emplace(pos.file, std::move(layout.value())).first->second;
      }
    return Status::InvalidInput(fmt::format("{}: not one of the schema files", pos.file));
  }

  // The entry of `sequence` whose `name:` is written at `pos`.
  static std::optional<NodeId> EntryNamedAt(const TextLayout& layout, NodeId sequence, const SourcePos& pos) {
    for (NodeId item : layout.Items(sequence))
      if (std::optional<TextLayout::Pair> name = layout.Find(item, "name");
          name && layout.line(name->value) + 1 == pos.line && layout.column(name->value) + 1 == pos.column)
        return item;
    return std::nullopt;
  }

  Status Unplaceable(const SourcePos& pos, const std::string& what, const std::string& change) const {
    return Status::InvalidInput(fmt::format("{}: cannot place the edit in {} as it is written ({}); nothing was "
                                            "edited: make this change by hand, or write the entry in plain block "
                                            "or flow style and run again",
                                            pos.ToString(), what, change));
  }

  Result<NodeId> TableEntry(size_t table, const TextLayout& layout) {
    const SourcePos& pos = before_.tables[table].header.stages.front().value.pos;
    std::optional<TextLayout::Pair> tables = layout.Find(layout.root(), "tables");
    std::optional<NodeId> entry = tables ? EntryNamedAt(layout, tables->value, pos) : std::nullopt;
    if (!entry || !layout.node(*entry).IsMap())
      return Status::InvalidInput(fmt::format("{}: table \"{}\" is not declared there as a map with its `name:` "
                                              "(an alias?); nothing was edited",
                                              pos.ToString(), before_.tables[table].header.stages.front().value.name));
    return *entry;
  }

  Status PlaceRemoval(size_t table, size_t index, const std::string& why, IndexEditOutcome& outcome) {
    const SourcePos& pos = before_.tables[table].indexes[index].stages.front().value.pos;
    const std::string change = fmt::format("`removed: {}` for index \"{}\"", Tag(request_.to), outcome.name);
    Result<const TextLayout*> found = LayoutOf(pos);
    if (!found.ok()) return found.status();
    const TextLayout& layout = **found;
    Result<NodeId> table_entry = TableEntry(table, layout);
    if (!table_entry.ok()) return table_entry.status();
    std::optional<TextLayout::Pair> list = layout.Find(*table_entry, "indexes");
    std::optional<NodeId> entry = list ? EntryNamedAt(layout, list->value, pos) : std::nullopt;
    if (!entry) return Unplaceable(pos, "the index's entry", change);
    Splice splice;
    splice.anchors.push_back({&outcome, 0});
    const std::string tag = YamlScalar(Tag(request_.to));
    if (std::optional<TextLayout::Pair> removed = layout.Find(*entry, "removed")) {
      std::optional<std::pair<size_t, size_t>> span = layout.ScalarSpan(removed->value);
      if (!span) return Unplaceable(pos, "its `removed:`", change);
      splice.offset = span->first;
      splice.erase = span->second - span->first;
      splice.text = tag;
    } else if (layout.flow(*entry)) {
      std::optional<TextLayout::FlowEnd> end = layout.EndOfFlow(*entry);
      if (!end) return Unplaceable(pos, "the index's entry", change);
      splice.offset = end->offset;
      splice.text = fmt::format("{}removed: {}", end->comma ? ", " : " ", tag);
    } else {
      // After `since:` when there is one: the two read together.
      const int indent = layout.column(*entry);
      std::optional<TextLayout::Pair> since = layout.Find(*entry, "since");
      std::optional<size_t> at = layout.LinesAfter(since ? since->value : *entry, indent);
      if (!at) return Unplaceable(pos, "the index's entry", change);
      splice.offset = *at;
      splice.lines = true;
      splice.text = fmt::format("{}removed: {}{}{}", std::string(static_cast<size_t>(indent), ' '), tag,
                                why.empty() ? "" : "  # " + OneLine(why), layout.newline());
    }
    splices_[pos.file].push_back(std::move(splice));
    changes_.push_back(change);
    return Status::Ok();
  }

  std::string FlowEntry(const IndexToAdd& add, const std::string& name) const {
    std::vector<std::string> columns;
    for (const std::string& c : add.columns) columns.push_back(IndexColumnText(c));
    std::string out = fmt::format("{{name: {}, columns: [{}]", YamlScalar(name), fmt::join(columns, ", "));
    if (!add.description.empty()) out += ", description: " + YamlScalar(add.description);
    return out + fmt::format(", since: {}}}", YamlScalar(Tag(request_.to)));
  }

  std::string BlockEntry(const IndexToAdd& add, const std::string& name, size_t dash, size_t key,
                         std::string_view nl) const {
    std::vector<std::string> columns;
    for (const std::string& c : add.columns) columns.push_back(IndexColumnText(c));
    const std::string indent(key, ' ');
    std::string out = fmt::format("{}- name: {}{}", std::string(dash, ' '), YamlScalar(name), nl);
    out += fmt::format("{}columns: [{}]{}", indent, fmt::join(columns, ", "), nl);
    if (!add.description.empty()) out += fmt::format("{}description: {}{}", indent, YamlScalar(add.description), nl);
    return out + fmt::format("{}since: {}{}", indent, YamlScalar(Tag(request_.to)), nl);
  }

  Status PlaceAdditions(size_t table, const std::vector<std::pair<const IndexToAdd*, IndexEditOutcome*>>& entries) {
    const SourcePos& pos = before_.tables[table].header.stages.front().value.pos;
    std::vector<std::string> wanted;
    for (const auto& [add, outcome] : entries) wanted.push_back(FlowEntry(*add, outcome->name));
    const std::string change = fmt::format("{} in the `indexes:` of table \"{}\"", fmt::join(wanted, ", "),
                                           before_.tables[table].header.stages.front().value.name);
    Result<const TextLayout*> found = LayoutOf(pos);
    if (!found.ok()) return found.status();
    const TextLayout& layout = **found;
    Result<NodeId> entry = TableEntry(table, layout);
    if (!entry.ok()) return entry.status();
    const std::string_view nl = layout.newline();
    Splice splice;
    splice.order = 1;
    // Entries inside [...] (or a new `indexes: [...]`), one after another.
    const auto flow_list = [&](std::string prefix, std::string suffix) {
      splice.text = std::move(prefix);
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) splice.text += ", ";
        splice.anchors.push_back({entries[i].second, splice.text.size()});
        splice.text += FlowEntry(*entries[i].first, entries[i].second->name);
      }
      splice.text += suffix;
    };
    // Entries as lines of a block list, in the style of its last entry.
    const auto block_list = [&](std::string head, size_t dash, size_t key, bool flow_entries) {
      splice.lines = true;
      splice.text = std::move(head);
      for (const auto& [add, outcome] : entries) {
        splice.anchors.push_back({outcome, splice.text.size()});
        splice.text += flow_entries ? fmt::format("{}- {}{}", std::string(dash, ' '), FlowEntry(*add, outcome->name), nl)
                                    : BlockEntry(*add, outcome->name, dash, key, nl);
      }
    };
    std::optional<TextLayout::Pair> indexes = layout.Find(*entry, "indexes");
    const YAML::Node* list = indexes ? &layout.node(indexes->value) : nullptr;
    if (indexes && (layout.alias(indexes->value) || !(list->IsSequence() || list->IsNull())))
      return Unplaceable(pos, "the table's `indexes:`", change);
    if (list && list->IsSequence() && layout.flow(indexes->value)) {
      std::optional<TextLayout::FlowEnd> end = layout.EndOfFlow(indexes->value);
      if (!end) return Unplaceable(pos, "the table's `indexes:`", change);
      splice.offset = end->offset;
      const char before = layout.text()[end->offset - 1];
      flow_list(end->comma ? ", " : before == ',' ? " " : "", "");
    } else if (layout.flow(*entry)) {
      // A table written {name: t, columns: [...]} has no block list to add to.
      std::optional<TextLayout::FlowEnd> end = indexes ? std::nullopt : layout.EndOfFlow(*entry);
      if (!end) return Unplaceable(pos, "the table's entry", change);
      splice.offset = end->offset;
      flow_list(end->comma ? ", indexes: [" : " indexes: [", "]");
    } else if (list && list->IsSequence()) {
      const std::vector<NodeId> items = layout.Items(indexes->value);
      const size_t dash = static_cast<size_t>(layout.column(indexes->value));
      size_t key = dash + 2;
      if (!items.empty() && layout.node(items.front()).IsMap() && !layout.flow(items.front()))
        key = static_cast<size_t>(layout.column(items.front()));
      std::optional<size_t> at = layout.LinesAfter(indexes->value, static_cast<int>(dash));
      if (!at) return Unplaceable(pos, "the table's `indexes:`", change);
      splice.offset = *at;
      block_list("", dash, key, !items.empty() && layout.flow(items.back()));
    } else if (list) {
      // `indexes:` with no value, or ~ / null, on the key's line.
      const size_t value = layout.offset(indexes->value);
      if (layout.line(indexes->value) == layout.line(indexes->key)) {
        size_t end = value;
        while (end < layout.text().size() && std::string_view(" \t\r\n#").find(layout.text()[end]) == std::string_view::npos)
          ++end;
        splice.offset = value;
        splice.erase = end - value;
        flow_list("[", "]");
      } else {
        const size_t key = static_cast<size_t>(layout.column(indexes->key));
        std::optional<size_t> at = layout.LinesAfter(indexes->key, static_cast<int>(key));
        if (!at) return Unplaceable(pos, "the table's `indexes:`", change);
        splice.offset = *at;
        block_list("", key + 2, key + 4, false);
      }
    } else {
      // No `indexes:` yet: one after the lists the README orders before it.
      const size_t key = static_cast<size_t>(layout.column(*entry));
      std::optional<TextLayout::Pair> after;
      for (const char* k : {"columns", "unique", "foreign_keys", "checks"})
        if (std::optional<TextLayout::Pair> p = layout.Find(*entry, k); p && (!after || p->key > after->key)) after = p;
      if (!after) return Unplaceable(pos, "the table's entry", change);
      // Lists indented as its `columns:` list is.
      size_t dash = key + 2, item_key = key + 4;
      if (std::optional<TextLayout::Pair> columns = layout.Find(*entry, "columns");
          columns && layout.node(columns->value).IsSequence() && !layout.flow(columns->value)) {
        dash = static_cast<size_t>(layout.column(columns->value));
        item_key = dash + 2;
        const std::vector<NodeId> items = layout.Items(columns->value);
        if (!items.empty() && layout.node(items.front()).IsMap() && !layout.flow(items.front()))
          item_key = static_cast<size_t>(layout.column(items.front()));
      }
      std::optional<size_t> at = layout.LinesAfter(after->value, static_cast<int>(key));
      if (!at) return Unplaceable(pos, "the table's entry", change);
      splice.offset = *at;
      block_list(fmt::format("{}indexes:{}", std::string(key, ' '), nl), dash, item_key, false);
    }
    splices_[pos.file].push_back(std::move(splice));
    changes_.push_back(change);
    return Status::Ok();
  }

  // Makes the edited texts, loads them, and checks that they declare what
  // was intended at every tag, and nothing else.
  Status Apply(IndexEdits& edits) {
    std::vector<SourceFile> edited = sources_;
    for (SourceFile& source : edited) {
      auto it = splices_.find(source.path);
      if (it == splices_.end()) continue;
      std::vector<Splice>& splices = it->second;
      std::stable_sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.order < b.order;
      });
      std::string after;
      size_t copied = 0;
      std::vector<std::pair<IndexEditOutcome*, size_t>> anchors;
      for (const Splice& s : splices) {
        if (s.offset < copied)
          return Status::Error(StatusCode::kInternal, fmt::format("{}: two edits overlap", source.path));
        after.append(source.text, copied, s.offset - copied);
        if (s.lines && !after.empty() && after.back() != '\n') after += layouts_.at(source.path).newline();
        for (const auto& [outcome, at] : s.anchors) anchors.push_back({outcome, after.size() + at});
        after += s.text;
        copied = s.offset + s.erase;
      }
      after.append(source.text, copied);
      for (const auto& [outcome, at] : anchors) {
        outcome->written = true;
        outcome->pos = PosAt(source.path, after, at);
      }
      edits.files.push_back({source.path, source.text, after});
      source.text = std::move(after);
    }
    if (edits.files.empty()) return Status::Ok();
    Diagnostics diagnostics;
    std::optional<VersionedSchema> reloaded = LoadSchemaSources(edited, diagnostics);
    if (!reloaded) {
      std::string first = "no message";
      for (const Diagnostic& d : diagnostics.items())
        if (d.severity == Severity::kError) {
          first = fmt::format("{}: {}", d.pos.ToString(), d.message);
          break;
        }
      return Status::InvalidInput(fmt::format("the edited schema files would not load ({}); nothing was edited", first));
    }
    for (int tag = 0; tag <= before_.project.last_tag(); ++tag) {
      const Schema got = WithoutPositions(reloaded->At(tag));
      const Schema want = WithoutPositions(expected_.At(tag));
      if (got == want) continue;
      std::string where = "its views or queries";
      for (size_t i = 0; i < want.tables.size(); ++i)
        if (i >= got.tables.size() || !(got.tables[i] == want.tables[i])) {
          where = fmt::format("table \"{}\"", want.tables[i].name);
          break;
        }
      std::vector<std::string> files;
      for (const EditedFile& f : edits.files) files.push_back(f.path);
      return Status::InvalidInput(fmt::format(
          "the edited {} would not declare what was intended at tag \"{}\" ({} differs): the text there is laid out in "
          "a way the edit does not follow; nothing was edited: make the change(s) by hand: {}",
          fmt::join(files, ", "), Tag(tag), where, fmt::join(changes_, "; ")));
    }
    return Status::Ok();
  }

  const std::vector<SourceFile>& sources_;
  const IndexEditRequest& request_;
  const VersionedSchema before_;
  VersionedSchema expected_;  // `before_` with the requested changes
  Schema at_to_;              // `before_` at the tag of the changes
  std::set<std::string> taken_;
  std::map<size_t, Table> added_;  // by table: the indexes added to it
  std::map<std::string, TextLayout> layouts_;
  std::map<std::string, std::vector<Splice>> splices_;  // by file
  std::vector<std::string> changes_;                    // each edit placed, as a person would make it
};

}  // namespace

Result<IndexEdits> EditIndexes(const std::vector<SourceFile>& sources, const IndexEditRequest& request) {
  Diagnostics diagnostics;
  std::optional<VersionedSchema> before = LoadSchemaSources(sources, diagnostics);
  if (!before) return Status::InvalidInput("the schema files do not load; run `strata validate`");
  return Editor(sources, request, std::move(*before)).Run();
}

Status WriteEditedFiles(const std::vector<EditedFile>& files) {
  namespace fs = std::filesystem;
  std::vector<fs::path> temps;
  const auto discard = [&] {
    std::error_code ignored;
    for (const fs::path& t : temps) fs::remove(t, ignored);
  };
  for (const EditedFile& f : files) {
    fs::path temp = f.path;
    temp += ".strata-tmp";
    temps.push_back(temp);
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << f.after;
      out.flush();
      if (!out) {
        discard();
        return Status::IOError(fmt::format("cannot write {}; no schema file was changed", temp.string()));
      }
    }
    std::error_code error;
    const fs::perms perms = fs::status(f.path, error).permissions();
    if (!error) fs::permissions(temp, perms, error);
    if (Status s = SyncPath(temp.string()); !s.ok()) {
      discard();
      return s.WithContext("no schema file was changed");
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code error;
    fs::rename(temps[i], files[i].path, error);
    if (error) {
      discard();
      return Status::IOError(fmt::format("cannot rename {} over {}: {} ({} of {} files changed)", temps[i].string(),
                                         files[i].path, error.message(), i, files.size()));
    }
    const fs::path folder = fs::path(files[i].path).parent_path();
    if (Status s = SyncPath(folder.empty() ? "." : folder.string()); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace strata::yaml
