// Checked access to yaml-cpp nodes. Every mistake becomes a Diagnostic at
// the offending node, and nothing here throws.
//
// Two yaml-cpp facts this file exists for: marks are 0-based (SourcePos is
// 1-based, converted once in PosOf), and maps keep duplicate keys silently
// (operator[] finds the first), so MapReader walks the pairs itself and
// reports every duplicate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/diagnostic.h"
#include "schema/project.h"
#include "schema/value.h"

namespace strata::yaml {

// Where a file's nodes are, and where their diagnostics go.
struct FileContext {
  std::string file;
  Diagnostics* diagnostics;

  SourcePos PosOf(const YAML::Node& node) const;
  void Error(const YAML::Node& node, std::string message, std::vector<Note> notes = {}) const;
};

// The keys of one YAML map, read once; reports duplicate keys and keys not in
// `allowed` (with the nearest allowed key as a suggestion) on construction.
class MapReader {
 public:
  MapReader(const FileContext& ctx, const YAML::Node& node, std::string_view what,
            const std::vector<std::string>& allowed);

  bool valid() const { return valid_; }  // false when the node is not a map
  const YAML::Node& node() const { return node_; }
  SourcePos pos() const { return ctx_.PosOf(node_); }
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  const YAML::Node* Find(std::string_view key) const;

  // Typed getters: absent keys give nullopt silently; present keys of the
  // wrong shape give nullopt and a diagnostic.
  std::optional<std::string> String(std::string_view key) const;
  std::optional<bool> Bool(std::string_view key) const;
  std::optional<std::vector<std::string>> StringList(std::string_view key) const;
  std::optional<int> Tag(std::string_view key, const Project& project) const;
  std::optional<Value> Literal(std::string_view key) const;

  // A required key: reports "missing key" at the map when absent.
  std::optional<std::string> RequiredString(std::string_view key) const;
  const YAML::Node* Required(std::string_view key) const;

  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  const FileContext& ctx_;
  YAML::Node node_;
  std::string what_;
  std::vector<Entry> entries_;
  bool valid_ = false;
};

// Shape checks that report at the node.
bool ExpectSequence(const FileContext& ctx, const YAML::Node& node, std::string_view what);
std::optional<std::string> ScalarString(const FileContext& ctx, const YAML::Node& node,
                                        std::string_view what);
// A scalar as a literal: quoted scalars are text; plain ones are null, true,
// false, integers or reals when they look like one, text otherwise.
Value ScalarLiteral(const YAML::Node& node);
// Why a plain scalar that reads as a number cannot become an SQL literal
// (NaN, infinities, integers beyond 64 bits); "" when it can.
std::string UnrenderableNumber(const YAML::Node& node);
// Resolves a tag name against the project, reporting unknown ones.
std::optional<int> ResolveTag(const FileContext& ctx, const YAML::Node& node, const Project& project);

}  // namespace strata::yaml
