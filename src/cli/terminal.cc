#include "cli/terminal.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <streambuf>

#include <fmt/color.h>
#include <fmt/format.h>

namespace strata::cli {

bool ColorFor(int fd) {
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  const std::string_view choice = std::getenv("STRATA_COLOR") ? std::getenv("STRATA_COLOR") : "auto";
  if (choice == "always") return true;
  if (choice == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(fd) && !(term && std::string_view(term) == "dumb");
}

namespace {

enum class Where {
  kLabel,     // at the start of the line, or after its location
  kWord,      // anywhere, as whole words
  kLastWord,  // ending the line, after a space
};

struct Mark {
  std::string_view text;
  fmt::text_style style;
  Where where;
};

const fmt::text_style kFailed = fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
const fmt::text_style kWarned = fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold;
const fmt::text_style kPassed = fmt::fg(fmt::terminal_color::green);

const Mark kMarks[] = {
    {"error:", kFailed, Where::kLabel},
    {"warning:", kWarned, Where::kLabel},
    {"FAILED", kFailed, Where::kWord},
    {"FAIL", kFailed, Where::kWord},
    {"ERROR", kFailed, Where::kWord},
    {"REGRESSED", kFailed, Where::kWord},
    {"CHECKSUM MISMATCH", kFailed, Where::kWord},
    {"out of date", kFailed, Where::kWord},
    {"ok", kPassed, Where::kLastWord},
    {"no drift", kPassed, Where::kWord},
    {"up to date", kPassed, Where::kWord},
};

bool IsWordChar(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }

// Whether `prefix` is indentation and a location: words without spaces,
// each ending with ": " ("strata: ", "schema/t.yaml:3:5: ").
bool IsLocation(std::string_view prefix) {
  size_t i = prefix.find_first_not_of(' ');
  if (i == std::string_view::npos) return true;
  while (i < prefix.size()) {
    const size_t end = prefix.find(": ", i);
    if (end == std::string_view::npos || prefix.substr(i, end - i).find(' ') != std::string_view::npos) return false;
    i = end + 2;
  }
  return true;
}

// Where `mark` is in `line`, or npos.
size_t Find(std::string_view line, const Mark& mark) {
  switch (mark.where) {
    case Where::kLabel:
      for (size_t at = line.find(mark.text); at != std::string_view::npos; at = line.find(mark.text, at + 1))
        if (IsLocation(line.substr(0, at))) return at;
      return std::string_view::npos;
    case Where::kWord:
      for (size_t at = line.find(mark.text); at != std::string_view::npos; at = line.find(mark.text, at + 1)) {
        const size_t end = at + mark.text.size();
        if ((at == 0 || !IsWordChar(line[at - 1])) && (end == line.size() || !IsWordChar(line[end]))) return at;
      }
      return std::string_view::npos;
    case Where::kLastWord: {
      const size_t at = line.size() - std::min(line.size(), mark.text.size());
      return at > 0 && line.ends_with(mark.text) && line[at - 1] == ' ' ? at : std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string Highlighted(std::string_view line) {
  std::string out;
  while (!line.empty()) {
    // The earliest mark next, so that marks never overlap.
    size_t first = std::string_view::npos;
    const Mark* found = nullptr;
    for (const Mark& mark : kMarks)
      if (mark.where == Where::kLabel && !out.empty()) {
        continue;  // a location is only at the start of the line
      } else if (const size_t at = Find(line, mark); at < first) {
        first = at;
        found = &mark;
      }
    if (!found) break;
    out += line.substr(0, first);
    out += fmt::format(found->style, "{}", found->text);
    line.remove_prefix(first + found->text.size());
  }
  out += line;
  return out;
}

class HighlightedLines::Buffer : public std::streambuf {
 public:
  explicit Buffer(std::streambuf* out) : out_(out) {}
  ~Buffer() override { Flush(true); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    pending_ += traits_type::to_char_type(ch);
    if (ch == '\n') Flush(false);
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<size_t>(n));
    if (pending_.find('\n') != std::string::npos) Flush(false);
    return n;
  }
  int sync() override {
    // A line that redraws itself cannot wait for a newline it never gets.
    if (pending_.find('\r') != std::string::npos) Flush(true);
    return out_->pubsync();
  }

 private:
  // Writes the complete lines, and with `all` the partial one too (as it
  // is, and the rest of that line after it).
  void Flush(bool all) {
    size_t start = 0;
    for (size_t end = pending_.find('\n'); end != std::string::npos; end = pending_.find('\n', start)) {
      const std::string_view line(pending_.data() + start, end - start);
      const std::string text = raw_line_ ? std::string(line) : Highlighted(line);
      out_->sputn(text.data(), static_cast<std::streamsize>(text.size()));
      out_->sputc('\n');
      raw_line_ = false;
      start = end + 1;
    }
    pending_.erase(0, start);
    if (all && !pending_.empty()) {
      out_->sputn(pending_.data(), static_cast<std::streamsize>(pending_.size()));
      pending_.clear();
      raw_line_ = true;
    }
  }

  std::streambuf* out_;
  std::string pending_;
  bool raw_line_ = false;  // the start of the current line went out as it was
};

HighlightedLines::HighlightedLines(std::ostream& stream)
    : stream_(stream), buffer_(std::make_unique<Buffer>(stream.rdbuf())), original_(stream.rdbuf(buffer_.get())) {}

HighlightedLines::~HighlightedLines() {
  stream_.flush();
  stream_.rdbuf(original_);
  buffer_.reset();
  stream_.flush();
}

}  // namespace strata::cli
