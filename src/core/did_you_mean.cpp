#include "did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace initscope {

int edit_distance(const std::string& a, const std::string& b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  // d[i][j] = distance between a's first i and b's first j characters (optimal string
  // alignment: a swap of two neighbours, the commonest typo, counts as one edit).
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::vector<std::string> closest_names(const std::string& word,
                                       const std::vector<std::string>& candidates, int max_names) {
  // A name is short; a long word is no misspelling (and would cost length × length work).
  if (word.empty() || word.size() > 64) return {};
  const int limit = std::max(1, static_cast<int>(word.size()) / 3);
  struct Scored {
    int distance;
    size_t order;
  };
  std::vector<Scored> close;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& c = candidates[i];
    const bool prefix =
        c.size() > word.size() && edit_distance(word, c.substr(0, word.size())) == 0;
    const int d = edit_distance(word, c);
    if (c == word) continue;  // the word itself is no suggestion (another case is)
    if (d <= limit || prefix) close.push_back({prefix ? std::min(d, limit) : d, i});
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const Scored& x, const Scored& y) { return x.distance < y.distance; });
  std::vector<std::string> out;
  for (const Scored& s : close) {
    if (static_cast<int>(out.size()) >= max_names) break;
    if (std::find(out.begin(), out.end(), candidates[s.order]) == out.end())
      out.push_back(candidates[s.order]);
  }
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> names = closest_names(word, candidates);
  if (names.empty()) return "";
  std::string text = "did you mean ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += "'" + names[i] + "'";
  }
  return text + "? ";
}

}  // namespace initscope
