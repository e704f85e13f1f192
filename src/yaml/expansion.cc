#include "yaml/expansion.h"

#include <map>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace strata::yaml {

namespace {

// Counts nodes as the event parser meets them; an alias counts as the whole
// subtree of its anchor.
class ExpansionCounter final : public YAML::EventHandler {
 public:
  explicit ExpansionCounter(size_t limit) : limit_(limit) {}
  std::optional<YAML::Mark> beyond() const { return beyond_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = sizes_.find(anchor);
    Leaf(mark, 0, it == sizes_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    Leaf(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1, mark});
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back({anchor, 1, mark});
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    size_t size;
    YAML::Mark mark;
  };

  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, size_t size) {
    if (anchor != 0) sizes_[anchor] = size;
    Add(mark, size);
  }
  void Close() {
    Open done = open_.back();
    open_.pop_back();
    if (done.anchor != 0) sizes_[done.anchor] = done.size;
    if (!open_.empty()) open_.back().size = Saturated(open_.back().size, done.size);
  }
  void Add(const YAML::Mark& mark, size_t size) {
    total_ = Saturated(total_, size);
    if (!open_.empty()) open_.back().size = Saturated(open_.back().size, size);
    if (total_ > limit_ && !beyond_) beyond_ = mark;
  }
  size_t Saturated(size_t a, size_t b) const { return a > limit_ || b > limit_ ? limit_ + 1 : a + b; }

  size_t limit_;
  size_t total_ = 0;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, size_t> sizes_;
  std::optional<YAML::Mark> beyond_;
};

}  // namespace

std::optional<YAML::Mark> ExpansionBeyond(const std::string& text, size_t limit) {
  std::istringstream in(text);
  ExpansionCounter counter(limit);
  try {
    YAML::Parser parser(in);
    while (!counter.beyond() && parser.HandleNextDocument(counter)) {
    }
  } catch (const YAML::Exception&) {
    return std::nullopt;  // the real parse reports it with its position
  }
  return counter.beyond();
}

}  // namespace strata::yaml
