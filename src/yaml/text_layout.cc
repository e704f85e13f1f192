#include "yaml/text_layout.h"

#include <algorithm>

#include <fmt/format.h>

namespace strata::yaml {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

size_t Indentation(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool IsBlank(std::string_view line) { return Indentation(line) == line.size(); }

bool IsComment(std::string_view line) {
  const size_t n = Indentation(line);
  return n < line.size() && line[n] == '#';
}

// A `---` or `...` line: the document ends there.
bool IsDocumentMarker(std::string_view line) {
  return (line.starts_with("---") || line.starts_with("...")) && (line.size() == 3 || IsSpace(line[3]));
}

// The offset just past the quoted scalar that opens at `open`, or npos.
size_t AfterQuoted(const std::string& text, size_t open) {
  const char quote = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside single quotes
        continue;
      }
      return i + 1;
    }
  }
  return std::string::npos;
}

}  // namespace

Result<TextLayout> TextLayout::Parse(std::string text) {
  TextLayout layout;
  layout.text_ = std::move(text);
  layout.newline_ = layout.text_.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  layout.line_starts_.push_back(0);
  for (size_t i = 0; i < layout.text_.size(); ++i)
    if (layout.text_[i] == '\n') layout.line_starts_.push_back(i + 1);
  YAML::Node root;
  try {
    root = YAML::Load(layout.text_);
  } catch (const YAML::Exception& e) {
    return Status::InvalidInput(fmt::format("line {}: {}", e.mark.line + 1, e.msg));
  }
  size_t furthest = 0;
  layout.Walk(root, furthest);
  return layout;
}

TextLayout::NodeId TextLayout::Walk(const YAML::Node& node, size_t& furthest) {
  const NodeId id = nodes_.size();
  Occurrence occurrence;
  occurrence.node = node;
  const YAML::Mark mark = node.Mark();
  const bool marked = mark.line >= 0 && static_cast<size_t>(mark.line) < line_starts_.size() && mark.column >= 0;
  if (marked) {
    occurrence.line = mark.line;
    occurrence.column = mark.column;
    occurrence.offset = std::min(text_.size(), LineStart(mark.line) + static_cast<size_t>(mark.column));
  }
  // An alias is marked at its anchor, earlier in the text than where it is.
  occurrence.alias = !marked || occurrence.offset < furthest;
  nodes_.push_back(std::move(occurrence));
  if (nodes_[id].alias) {
    nodes_[id].next = id + 1;
    return id;
  }
  furthest = nodes_[id].offset;
  std::vector<NodeId> children;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      children.push_back(Walk(it->first, furthest));
      children.push_back(Walk(it->second, furthest));
    }
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) children.push_back(Walk(*it, furthest));
  }
  nodes_[id].children = std::move(children);
  nodes_[id].next = nodes_.size();
  return id;
}

std::string_view TextLayout::LineText(int line) const {
  const size_t start = LineStart(line);
  const size_t end = static_cast<size_t>(line) + 1 < line_starts_.size() ? line_starts_[static_cast<size_t>(line) + 1] - 1
                                                                         : text_.size();
  std::string_view text = std::string_view(text_).substr(start, end - start);
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

std::optional<TextLayout::Pair> TextLayout::Find(NodeId map, std::string_view key) const {
  for (const Pair& p : Pairs(map))
    if (nodes_[p.key].node.IsScalar() && nodes_[p.key].node.Scalar() == key) return p;
  return std::nullopt;
}

std::vector<TextLayout::Pair> TextLayout::Pairs(NodeId map) const {
  std::vector<Pair> pairs;
  if (!nodes_[map].node.IsMap() || nodes_[map].alias) return pairs;
  const std::vector<NodeId>& c = nodes_[map].children;
  for (size_t i = 0; i + 1 < c.size(); i += 2) pairs.push_back({c[i], c[i + 1]});
  return pairs;
}

std::vector<TextLayout::NodeId> TextLayout::Items(NodeId sequence) const {
  if (!nodes_[sequence].node.IsSequence() || nodes_[sequence].alias) return {};
  return nodes_[sequence].children;
}

std::optional<size_t> TextLayout::LinesAfter(NodeId node, int indent) const {
  // An empty value is marked at whatever follows it, so only nodes with
  // text of their own say where the node's last line is.
  int last = nodes_[node].line;
  for (NodeId i = node; i < nodes_[node].next; ++i)
    if (!nodes_[i].alias && !nodes_[i].node.IsNull()) last = std::max(last, nodes_[i].line);
  int boundary = static_cast<int>(line_starts_.size());
  for (NodeId i = nodes_[node].next; i < nodes_.size(); ++i)
    if (!nodes_[i].alias) {
      boundary = nodes_[i].line;
      break;
    }
  for (int l = last + 1; l < boundary; ++l)
    if (IsDocumentMarker(LineText(l))) boundary = l;
  if (boundary <= last) return std::nullopt;
  int end = boundary - 1;
  while (end > last) {
    const std::string_view line = LineText(end);
    if (!IsBlank(line) && !(IsComment(line) && Indentation(line) <= static_cast<size_t>(indent))) break;
    --end;
  }
  return static_cast<size_t>(end) + 1 < line_starts_.size() ? LineStart(end + 1) : text_.size();
}

std::optional<TextLayout::FlowEnd> TextLayout::EndOfFlow(NodeId node) const {
  const size_t open = nodes_[node].offset;
  if (nodes_[node].alias || open >= text_.size() || (text_[open] != '{' && text_[open] != '[')) return std::nullopt;
  int depth = 0;
  size_t last = open;  // the last character that is not space or comment
  for (size_t i = open; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '#' && (i == 0 || IsSpace(text_[i - 1]))) {
      while (i + 1 < text_.size() && text_[i + 1] != '\n') ++i;
      continue;
    }
    // A quote opens a scalar only where a value starts; inside a plain
    // scalar (it's) it is an ordinary character.
    if ((c == '"' || c == '\'') && std::string_view("{[,:").find(text_[last]) != std::string_view::npos) {
      const size_t after = AfterQuoted(text_, i);
      if (after == std::string::npos) return std::nullopt;
      i = after - 1;
      last = i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return FlowEnd{last + 1, std::string_view("{[,").find(text_[last]) == std::string_view::npos};
    if (!IsSpace(c)) last = i;
  }
  return std::nullopt;
}

std::optional<std::pair<size_t, size_t>> TextLayout::ScalarSpan(NodeId node) const {
  const YAML::Node& n = nodes_[node].node;
  const size_t begin = nodes_[node].offset;
  if (nodes_[node].alias || !n.IsScalar() || begin >= text_.size()) return std::nullopt;
  size_t end = begin;
  std::string_view inner;
  if (text_[begin] == '"' || text_[begin] == '\'') {
    end = AfterQuoted(text_, begin);
    if (end == std::string::npos) return std::nullopt;
    inner = std::string_view(text_).substr(begin + 1, end - begin - 2);
  } else {
    while (end < text_.size() && std::string_view("\r\n,]}").find(text_[end]) == std::string_view::npos &&
           !(text_[end] == '#' && end > begin && IsSpace(text_[end - 1])))
      ++end;
    while (end > begin && IsSpace(text_[end - 1])) --end;
    inner = std::string_view(text_).substr(begin, end - begin);
  }
  // Escapes, a line break or a tag in between: not text to replace as is.
  if (inner != n.Scalar() || inner.find('\n') != std::string_view::npos) return std::nullopt;
  return std::make_pair(begin, end);
}

}  // namespace strata::yaml
