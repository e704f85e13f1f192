#include "base/text_diff.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace strata {

namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct Op {
  char kind;  // ' ', '-', '+'
  std::string_view line;
};

// Myers' O(ND) shortest edit script. The texts differ in a few lines, so D
// is small; each round keeps only its own 2d+1 diagonals for the walk back.
std::vector<Op> EditScript(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  std::vector<std::vector<int>> rounds;  // rounds[d][k + d]: furthest x on diagonal k after round d
  int last = -1;
  for (int d = 0; d <= n + m && last < 0; ++d) {
    std::vector<int> v(2 * static_cast<size_t>(d) + 1);
    const auto prev = [&](int k) { return rounds[d - 1][static_cast<size_t>(k + d - 1)]; };
    for (int k = -d; k <= d; k += 2) {
      int x = d == 0 ? 0 : (k == -d || (k != d && prev(k - 1) < prev(k + 1))) ? prev(k + 1) : prev(k - 1) + 1;
      int y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
      v[static_cast<size_t>(k + d)] = x;
      if (x >= n && y >= m) last = d;
    }
    rounds.push_back(std::move(v));
  }
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = last; d >= 0; --d) {
    const int k = x - y;
    int prev_x = 0, prev_y = 0;
    if (d > 0) {
      const auto at = [&](int kk) { return rounds[d - 1][static_cast<size_t>(kk + d - 1)]; };
      const int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      prev_x = at(prev_k);
      prev_y = prev_x - prev_k;
    }
    while (x > prev_x && y > prev_y) ops.push_back({' ', a[static_cast<size_t>(--x)]}), --y;
    if (d == 0) break;
    if (x == prev_x)
      ops.push_back({'+', b[static_cast<size_t>(--y)]});
    else
      ops.push_back({'-', a[static_cast<size_t>(--x)]});
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

}  // namespace

std::string UnifiedDiff(std::string_view label, std::string_view before, std::string_view after, int context) {
  const std::vector<std::string_view> a = Lines(before);
  const std::vector<std::string_view> b = Lines(after);
  const std::vector<Op> ops = EditScript(a, b);
  std::vector<size_t> changes;
  for (size_t i = 0; i < ops.size(); ++i)
    if (ops[i].kind != ' ') changes.push_back(i);
  if (changes.empty()) return "";
  std::string out = fmt::format("--- {}\n+++ {}\n", label, label);
  const size_t reach = static_cast<size_t>(std::max(context, 0));
  // Line numbers before each op, in the old and the new text.
  std::vector<int> old_line(ops.size() + 1, 0), new_line(ops.size() + 1, 0);
  for (size_t i = 0; i < ops.size(); ++i) {
    old_line[i + 1] = old_line[i] + (ops[i].kind != '+');
    new_line[i + 1] = new_line[i] + (ops[i].kind != '-');
  }
  for (size_t c = 0; c < changes.size();) {
    const size_t first = changes[c] > reach ? changes[c] - reach : 0;
    size_t end = changes[c] + 1;  // one past the hunk's last change
    while (++c < changes.size() && changes[c] - end <= 2 * reach) end = changes[c] + 1;
    const size_t stop = std::min(ops.size(), end + reach);
    const int old_count = old_line[stop] - old_line[first];
    const int new_count = new_line[stop] - new_line[first];
    // An empty side names the line before it, as diff -u does.
    out += fmt::format("@@ -{},{} +{},{} @@\n", old_line[first] + (old_count > 0), old_count,
                       new_line[first] + (new_count > 0), new_count);
    for (size_t i = first; i < stop; ++i) out += fmt::format("{}{}\n", ops[i].kind, ops[i].line);
  }
  return out;
}

}  // namespace strata
