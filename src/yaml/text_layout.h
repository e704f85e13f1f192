// Where the nodes of one YAML text are, for edits that insert or change a
// few lines and leave every other byte as the user wrote it (yaml-cpp reads
// a document but cannot write it back with its comments and layout).
//
// yaml-cpp marks where each node starts, never where it ends; the end of a
// block node is read from the text: it runs to the next node that is not
// inside it, less the blank lines and comments that lead into that one. An
// alias (*name) is marked where its anchor is, out of document order: it is
// kept as one opaque node, and edits refuse to go inside it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/status.h"

namespace strata::yaml {

class TextLayout {
 public:
  // A node where it occurs in the text: its index in document order.
  using NodeId = size_t;

  static Result<TextLayout> Parse(std::string text);

  NodeId root() const { return 0; }
  const YAML::Node& node(NodeId id) const { return nodes_[id].node; }
  size_t offset(NodeId id) const { return nodes_[id].offset; }
  int line(NodeId id) const { return nodes_[id].line; }      // 0-based
  int column(NodeId id) const { return nodes_[id].column; }  // 0-based, in bytes
  bool alias(NodeId id) const { return nodes_[id].alias; }
  bool flow(NodeId id) const { return nodes_[id].node.Style() == YAML::EmitterStyle::Flow; }

  // The value of `key` in map `map`, with the key's own node.
  struct Pair {
    NodeId key, value;
  };
  std::optional<Pair> Find(NodeId map, std::string_view key) const;
  std::vector<Pair> Pairs(NodeId map) const;
  std::vector<NodeId> Items(NodeId sequence) const;

  // Where lines that follow `node` go: the start of the line after its last
  // line. Blank lines and comments indented `indent` columns or less that
  // lead into the next node stay with it. nullopt when the next node starts
  // on the node's own last line (inside a flow collection).
  std::optional<size_t> LinesAfter(NodeId node, int indent) const;
  // Just after the last entry of a flow collection ({...} or [...]), before
  // any comment on that line, and whether what goes there needs a comma
  // first. nullopt when the text there is not a flow collection.
  struct FlowEnd {
    size_t offset;
    bool comma;
  };
  std::optional<FlowEnd> EndOfFlow(NodeId node) const;
  // A scalar written on one line: [begin, end) of its text, quotes included.
  std::optional<std::pair<size_t, size_t>> ScalarSpan(NodeId node) const;

  const std::string& text() const { return text_; }
  // "\r\n" when the file's lines end so, else "\n".
  std::string_view newline() const { return newline_; }

 private:
  struct Occurrence {
    YAML::Node node;
    size_t offset = 0;
    int line = 0, column = 0;
    bool alias = false;
    NodeId next = 0;  // the first node after everything inside this one
    std::vector<NodeId> children;  // maps: key, value, key, value...; sequences: items
  };
  NodeId Walk(const YAML::Node& node, size_t& furthest);
  size_t LineStart(int line) const { return line_starts_[static_cast<size_t>(line)]; }
  std::string_view LineText(int line) const;  // without its line break

  std::string text_;
  std::string newline_;
  std::vector<size_t> line_starts_;
  std::vector<Occurrence> nodes_;
};

}  // namespace strata::yaml
