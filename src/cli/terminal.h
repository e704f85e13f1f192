// Terminal manners: colour for what a reader looks for first (an error or
// warning label, a failed or passed result) when a person is reading, and
// plain text for pipes, files, and anyone who sets NO_COLOR.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace strata::cli {

// Whether text written to file descriptor `fd` gets colour: never when
// NO_COLOR is set and not empty (https://no-color.org); otherwise as
// STRATA_COLOR says: "always", "never", or "auto" (the default, and any
// other value): when `fd` is a terminal whose TERM is not "dumb".
bool ColorFor(int fd);

// `line` (without its newline) with its status marks coloured: the label
// of a message ("error:", "warning:") at the start of the line or after
// its location ("strata: ", "schema/t.yaml:3:5: "); a failed result
// (FAILED, FAIL, ERROR, REGRESSED, CHECKSUM MISMATCH, "out of date") in
// red; a passed one ("ok" ending the line, "no drift", "up to date") in
// green. Anything else is unchanged.
std::string Highlighted(std::string_view line);

// While it lives, every complete line written to `stream` goes out
// Highlighted. A partial line that redraws itself (a progress bar, which
// starts with '\r') goes out as it is when flushed.
class HighlightedLines {
 public:
  explicit HighlightedLines(std::ostream& stream);
  ~HighlightedLines();
  HighlightedLines(const HighlightedLines&) = delete;
  HighlightedLines& operator=(const HighlightedLines&) = delete;

 private:
  class Buffer;
  std::ostream& stream_;
  std::unique_ptr<Buffer> buffer_;
  std::streambuf* original_;
};

}  // namespace strata::cli
