#include "plan/sql_layout.h"

namespace strata {

namespace {

std::string Quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

}  // namespace

std::string QuoteText(std::string_view text) { return Quoted(text, '\''); }

std::string QuoteName(std::string_view name) { return Quoted(name, '"'); }

std::string WrapSql(std::string_view sql, size_t width) {
  std::string out;
  out.reserve(sql.size() + sql.size() / 16);
  char quote = 0;          // the quote character of the text being copied
  bool in_comment = false;  // after `--`, up to the end of the line
  size_t line_start = 0;    // in `out`
  size_t indent = 0;        // of the current source line
  size_t last_break = std::string::npos;  // a space in `out` the line may break at
  bool at_line_start = true;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\n') {
      out += c;
      in_comment = false;
      line_start = out.size();
      last_break = std::string::npos;
      at_line_start = true;
      indent = 0;
      continue;
    }
    if (at_line_start) {
      if (c == ' ') {
        ++indent;
        out += c;
        continue;
      }
      at_line_start = false;
    }
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens at once
    } else if (!in_comment) {
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
        in_comment = true;
      } else if (c == ' ' && out.size() > line_start + indent) {
        last_break = out.size();
      }
    }
    out += c;
    if (out.size() - line_start > width && last_break != std::string::npos) {
      const std::string continuation = "\n" + std::string(indent + 2, ' ');
      out.replace(last_break, 1, continuation);
      line_start = last_break + 1;
      last_break = std::string::npos;
      // A break just made may have left this line over the width again,
      // when the text after it has no space: it stays long, as a literal does.
    }
  }
  return out;
}

std::string LiteralInParts(std::string_view text, size_t width) {
  std::string out;
  while (text.size() > width) {
    size_t cut = text.rfind(' ', width);
    if (cut == std::string_view::npos || cut == 0) cut = width;
    else ++cut;  // the space stays with the part before it
    out += QuoteText(text.substr(0, cut)) + " || ";
    text.remove_prefix(cut);
  }
  return out + QuoteText(text);
}

}  // namespace strata
