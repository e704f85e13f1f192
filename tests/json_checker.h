// A strict RFC 8259 recogniser for the tests of JSON output: whether a
// text is exactly one JSON value.
#pragma once

#include <cctype>
#include <cstddef>
#include <string_view>

namespace strata::testing {

// A strict RFC 8259 recogniser: true when `text` is exactly one JSON value.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : s_(text) {}
  bool Valid() {
    Space();
    if (!Value(0)) return false;
    Space();
    return i_ == s_.size();
  }

 private:
  bool At(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool Eat(char c) {
    if (!At(c)) return false;
    ++i_;
    return true;
  }
  void Space() {
    while (At(' ') || At('\n') || At('\t') || At('\r')) ++i_;
  }
  bool Word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool Digits() {
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > start;
  }
  bool Number() {
    Eat('-');
    if (!Eat('0') && !Digits()) return false;
    if (Eat('.') && !Digits()) return false;
    if (Eat('e') || Eat('E')) {
      if (!Eat('+')) Eat('-');
      if (!Digits()) return false;
    }
    return true;
  }
  bool String() {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k, ++i_)
          if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return false;
  }
  bool Value(int depth) {
    if (depth > 200 || i_ >= s_.size()) return false;
    if (Eat('{')) {
      Space();
      if (Eat('}')) return true;
      for (;;) {
        Space();
        if (!String()) return false;
        Space();
        if (!Eat(':')) return false;
        Space();
        if (!Value(depth + 1)) return false;
        Space();
        if (Eat('}')) return true;
        if (!Eat(',')) return false;
      }
    }
    if (Eat('[')) {
      Space();
      if (Eat(']')) return true;
      for (;;) {
        Space();
        if (!Value(depth + 1)) return false;
        Space();
        if (Eat(']')) return true;
        if (!Eat(',')) return false;
      }
    }
    if (At('"')) return String();
    if (At('t')) return Word("true");
    if (At('f')) return Word("false");
    if (At('n')) return Word("null");
    return Number();
  }
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace strata::testing
