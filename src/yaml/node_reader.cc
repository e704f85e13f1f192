#include "yaml/node_reader.h"

#include <algorithm>
#include <cmath>

#include <charconv>
#include <map>

#include <fmt/format.h>

#include "base/strings.h"

namespace strata::yaml {

SourcePos FileContext::PosOf(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

void FileContext::Error(const YAML::Node& node, std::string message, std::vector<Note> notes) const {
  diagnostics->Error(PosOf(node), std::move(message), std::move(notes));
}

static std::string_view KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    default: return "nothing";
  }
}

MapReader::MapReader(const FileContext& ctx, const YAML::Node& node, std::string_view what,
                     const std::vector<std::string>& allowed)
    : ctx_(ctx), node_(node), what_(what) {
  if (!node.IsMap()) {
    ctx.Error(node, fmt::format("{} must be a map of keys, found {}", what, KindName(node)));
    return;
  }
  valid_ = true;
  std::map<std::string, YAML::Node> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      ctx.Error(it->first, fmt::format("keys of {} must be plain words", what));
      continue;
    }
    std::string key = it->first.Scalar();
    if (auto [first, inserted] = seen.emplace(key, it->first); !inserted) {
      ctx.Error(it->first, fmt::format("duplicate key \"{}\" in {}", key, what),
                {{ctx.PosOf(first->second), "first defined here"}});
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string message = fmt::format("unknown key \"{}\" in {}", key, what);
      if (std::string near = NearestWord(key, allowed); !near.empty())
        message += fmt::format("; did you mean \"{}\"?", near);
      ctx.Error(it->first, message);
      continue;
    }
    entries_.push_back({key, it->first, it->second});
  }
}

const YAML::Node* MapReader::Find(std::string_view key) const {
  for (const Entry& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::optional<std::string> ScalarString(const FileContext& ctx, const YAML::Node& node,
                                        std::string_view what) {
  if (!node.IsScalar()) {
    ctx.Error(node, fmt::format("{} must be a single value, found {}", what, KindName(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

bool ExpectSequence(const FileContext& ctx, const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) return true;
  ctx.Error(node, fmt::format("{} must be a list, found {}", what, KindName(node)));
  return false;
}

std::optional<std::string> MapReader::String(std::string_view key) const {
  const YAML::Node* n = Find(key);
  if (!n) return std::nullopt;
  return ScalarString(ctx_, *n, fmt::format("\"{}\"", key));
}

std::optional<bool> MapReader::Bool(std::string_view key) const {
  std::optional<std::string> text = String(key);
  if (!text) return std::nullopt;
  std::string lower = AsciiLower(*text);
  if (lower == "true" || lower == "yes") return true;
  if (lower == "false" || lower == "no") return false;
  ctx_.Error(*Find(key), fmt::format("\"{}\" must be true or false, found \"{}\"", key, *text));
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::StringList(std::string_view key) const {
  const YAML::Node* n = Find(key);
  if (!n) return std::nullopt;
  if (!ExpectSequence(ctx_, *n, fmt::format("\"{}\"", key))) return std::nullopt;
  std::vector<std::string> out;
  for (const YAML::Node& item : *n) {
    std::optional<std::string> s = ScalarString(ctx_, item, fmt::format("an item of \"{}\"", key));
    if (!s) return std::nullopt;
    out.push_back(*s);
  }
  return out;
}

std::optional<int> ResolveTag(const FileContext& ctx, const YAML::Node& node, const Project& project) {
  std::optional<std::string> name = ScalarString(ctx, node, "a tag");
  if (!name) return std::nullopt;
  if (std::optional<int> index = project.TagIndex(*name)) return index;
  std::string message = fmt::format("undeclared tag \"{}\"; the project declares {}", *name,
                                    JoinQuoted(project.tags));
  if (std::string near = NearestWord(*name, project.tags); !near.empty())
    message += fmt::format(" (did you mean \"{}\"?)", near);
  ctx.Error(node, message);
  return std::nullopt;
}

std::optional<int> MapReader::Tag(std::string_view key, const Project& project) const {
  const YAML::Node* n = Find(key);
  if (!n) return std::nullopt;
  return ResolveTag(ctx_, *n, project);
}

Value ScalarLiteral(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return Value::Text(text);  // quoted: always text
  std::string lower = AsciiLower(text);
  if (lower == "null" || lower == "~" || text.empty()) return Value::Null();
  if (lower == "true") return Value::Bool(true);
  if (lower == "false") return Value::Bool(false);
  const char* begin = text.data();
  const char* end = begin + text.size();
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc() && p == end) return Value::Int(i);
  double d = 0;
  if (auto [p, ec] = std::from_chars(begin, end, d); ec == std::errc() && p == end) return Value::Real(d);
  return Value::Text(text);
}

std::string UnrenderableNumber(const YAML::Node& node) {
  if (!node.IsScalar() || node.Tag() == "!") return {};
  const std::string& text = node.Scalar();
  double d = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (auto [p, ec] = std::from_chars(begin, end, d);
      p == end && ((ec == std::errc() && !std::isfinite(d)) || ec == std::errc::result_out_of_range))
    return fmt::format("\"{}\" is not a number SQL can store (NaN, infinity or beyond a double); quote it for text",
                       text);
  const bool integer = !text.empty() && std::all_of(text.begin() + (text[0] == '-' || text[0] == '+'), text.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
  int64_t i = 0;
  if (integer && text.size() > 1 && std::from_chars(begin + (text[0] == '+'), end, i).ec == std::errc::result_out_of_range)
    return fmt::format("{} is outside the 64-bit integer range", text);
  return {};
}

std::optional<Value> MapReader::Literal(std::string_view key) const {
  const YAML::Node* n = Find(key);
  if (!n) return std::nullopt;
  if (!n->IsScalar() && !n->IsNull()) {
    ctx_.Error(*n, fmt::format("\"{}\" must be a single value, found {}", key, KindName(*n)));
    return std::nullopt;
  }
  if (n->IsNull()) return Value::Null();
  if (std::string problem = UnrenderableNumber(*n); !problem.empty()) {
    ctx_.Error(*n, problem);
    return std::nullopt;
  }
  return ScalarLiteral(*n);
}

const YAML::Node* MapReader::Required(std::string_view key) const {
  const YAML::Node* n = Find(key);
  if (!n) ctx_.Error(node_, fmt::format("{} is missing the required key \"{}\"", what_, key));
  return n;
}

std::optional<std::string> MapReader::RequiredString(std::string_view key) const {
  const YAML::Node* n = Required(key);
  if (!n) return std::nullopt;
  return ScalarString(ctx_, *n, fmt::format("\"{}\"", key));
}

}  // namespace strata::yaml

