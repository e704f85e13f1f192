#include "report/junit.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace strata::report {

namespace {

// XML 1.0 admits no control characters but tab, LF and CR, not even as
// references; they and invalid UTF-8 become U+FFFD.
std::string Escape(const std::string& raw) {
  std::string out;
  for (char c : ToValidUtf8(raw)) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += "\xEF\xBF\xBD";
      continue;
    }
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string JUnitXml(const std::string& suite, const std::vector<JUnitCase>& cases) {
  int failures = 0, errors = 0, skipped = 0;
  for (const JUnitCase& c : cases) {
    failures += !c.failures.empty();
    errors += !c.error.empty();
    skipped += !c.skipped.empty();
  }
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\"{}>\n",
                                Escape(suite), cases.size(), failures, errors,
                                skipped ? fmt::format(" skipped=\"{}\"", skipped) : "");
  for (const JUnitCase& c : cases) {
    out += fmt::format("    <testcase name=\"{}\" classname=\"{}\"", Escape(c.name), Escape(c.classname));
    if (c.failures.empty() && c.error.empty() && c.skipped.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (!c.skipped.empty()) out += fmt::format("      <skipped message=\"{}\"/>\n", Escape(c.skipped));
    if (!c.error.empty()) out += fmt::format("      <error message=\"{}\"/>\n", Escape(c.error));
    if (!c.failures.empty()) {
      std::string body;
      for (const std::string& f : c.failures) body += f + "\n";
      out += fmt::format("      <failure message=\"{}\">{}</failure>\n", Escape(c.failures.front()), Escape(body));
    }
    out += "    </testcase>\n";
  }
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace strata::report
