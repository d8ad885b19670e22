#include "histogram_bars.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "ticks.h"

namespace initscope::render {
namespace {

constexpr double kKeep = 0.995;      // a zoomed view keeps at least this share of the values
constexpr double kDeadSpike = 0.05;  // exact zeros above this share get their own spike

float min_bar_px(float f) {
  return std::max(2.0f, std::round(0.15f * f));
}

}  // namespace

bool BarLayout::bar_at(float x, float x0, float x1, int& first, int& last) const {
  if (last_bin <= first_bin || x < x0 || x >= x1) return false;
  const double v = lo + (x - x0) / (x1 - x0) * (hi - lo);
  const int bin = static_cast<int>(std::floor((v - bin_lo) / bin_w));
  if (bin < first_bin || bin >= last_bin) return false;
  first = first_bin + (bin - first_bin) / group * group;
  last = std::min(last_bin, first + group);
  return true;
}

void set_view(BarLayout& b, const ValueStats& v, double lo, double hi, float plot_width,
              float font_px) {
  const Histogram& h = v.hist;
  const int n = static_cast<int>(h.counts.size());
  b.lo = lo;
  b.hi = hi;
  b.first_bin = std::clamp(static_cast<int>(std::floor((lo - b.bin_lo) / b.bin_w + 1e-9)), 0, n);
  b.last_bin =
      std::clamp(static_cast<int>(std::ceil((hi - b.bin_lo) / b.bin_w - 1e-9)), b.first_bin, n);
  b.hidden_below = h.below;
  b.hidden_above = h.above;
  for (int i = 0; i < b.first_bin; ++i) b.hidden_below += h.counts[i];
  for (int i = b.last_bin; i < n; ++i) b.hidden_above += h.counts[i];
  if (b.dead_bin >= 0 && (b.dead_bin < b.first_bin || b.dead_bin >= b.last_bin)) b.dead_bin = -1;
  // Bars at least min_bar_px wide: px per bin = bin_w / (hi − lo) × width.
  const double px_per_bin = b.bin_w / (hi - lo) * plot_width;
  b.group = std::max(1, static_cast<int>(std::ceil(min_bar_px(font_px) / px_per_bin - 1e-9)));
}

BarLayout bar_layout(const ValueStats& v, const Activation& act, Quantity q, float plot_width,
                     float font_px) {
  BarLayout b;
  const Histogram& h = v.hist;
  const int n = static_cast<int>(h.counts.size());
  if (n == 0 || !(h.hi > h.lo)) {
    b.lo = h.lo, b.hi = h.hi > h.lo ? h.hi : h.lo + 1;
    return b;
  }
  const double w = (h.hi - h.lo) / n;
  b.bin_lo = h.lo;
  b.bin_w = w;

  // Exact zeros of a ReLU-like activation: their own spike.
  if (q == Quantity::Activation && act.relu_like() && v.dead > kDeadSpike && h.lo <= 0 &&
      h.hi >= 0) {
    b.dead_bin = std::min(n - 1, static_cast<int>(std::floor((0 - h.lo) / w)));
    b.dead = std::min<uint64_t>(h.counts[b.dead_bin],
                                static_cast<uint64_t>(std::llround(v.dead * double(v.count))));
    if (b.dead == 0) b.dead_bin = -1;
  }

  // Zoom a data-driven range onto the bins that hold 99.5% of the values.
  double lo = h.lo, hi = h.hi;
  const bool fixed_range = q == Quantity::Activation && act.bounded_range().has_value();
  uint64_t in_range = 0;
  for (uint64_t c : h.counts) in_range += c;
  if (!fixed_range && in_range > 0) {
    const double tail = (1 - kKeep) / 2 * double(in_range);
    int first = 0, last = n;
    double acc = 0;
    while (first < n - 1 && acc + double(h.counts[first]) <= tail) acc += double(h.counts[first++]);
    acc = 0;
    while (last > first + 1 && acc + double(h.counts[last - 1]) <= tail)
      acc += double(h.counts[--last]);
    double zlo = h.lo, zhi = h.hi;
    const double a = h.lo + first * w, z = h.lo + last * w;
    if (std::fabs(h.lo + h.hi) <= 1e-9 * (h.hi - h.lo)) {  // symmetric: stay symmetric
      const double r = nice_ceil(std::max({std::fabs(a), std::fabs(z), w}));
      zlo = -r, zhi = r;
    } else {
      if (h.lo < 0 && a < 0) zlo = -nice_ceil(-a);
      if (z > 0) zhi = nice_ceil(z);
    }
    zlo = std::max(zlo, h.lo), zhi = std::min(zhi, h.hi);
    if (zhi - zlo <= 0.5 * (h.hi - h.lo)) lo = zlo, hi = zhi;  // only when it is worth it
  }
  set_view(b, v, lo, hi, plot_width, font_px);
  return b;
}

ValueRange shared_view(const std::vector<const ValueStats*>& stats, const Activation& act,
                       Quantity q) {
  ValueRange r;
  bool any = false;
  for (const ValueStats* v : stats) {
    if (!v) continue;
    // The width only sets how bins are grouped into bars, not the view.
    const BarLayout b = bar_layout(*v, act, q, 100.0f, 10.0f);
    r.lo = any ? std::min(r.lo, b.lo) : b.lo;
    r.hi = any ? std::max(r.hi, b.hi) : b.hi;
    any = true;
  }
  return r;
}

void draw_bars(ImDrawList* dl, const CellRect& r, const ValueStats& v, const BarLayout& b,
               ImU32 color, ImU32 background, ImU32 marker, bool log_counts, float f) {
  const Histogram& h = v.hist;
  if (b.last_bin > b.first_bin && !h.counts.empty()) {
    const float plot_h = r.y1 - r.y0 - 1;
    const int bars = b.bars();
    std::vector<uint64_t> sums(bars, 0);
    for (int i = b.first_bin; i < b.last_bin; ++i) {
      uint64_t c = h.counts[i];
      if (i == b.dead_bin) c -= b.dead;  // the spike is drawn on its own
      sums[(i - b.first_bin) / b.group] += c;
    }
    const uint64_t max_c = *std::max_element(sums.begin(), sums.end());
    // Whole pixels: bars keep their exact colour (no blended edges), gaps stay crisp.
    auto bar_x = [&](int first, int last, float& x0, float& x1) {
      x0 = std::floor(std::max(r.x0, b.x_of(b.bin_lo + first * b.bin_w, r.x0, r.x1)));
      x1 = std::floor(std::min(r.x1, b.x_of(b.bin_lo + last * b.bin_w, r.x0, r.x1)));
      if (x1 - x0 >= 6) x1 -= 1;
      if (x1 <= x0) x1 = x0 + 1;
    };
    if (max_c > 0) {
      const double denom = log_counts ? std::log1p(double(max_c)) : double(max_c);
      for (int k = 0; k < bars; ++k) {
        const uint64_t c = sums[k];
        if (c == 0) continue;
        const double t = log_counts ? std::log1p(double(c)) / denom : double(c) / denom;
        // Non-zero bars get at least one pixel: lone values in the tails stay visible.
        const float bh = std::max(1.0f, std::round(float(t) * plot_h));
        const int first = b.first_bin + k * b.group;
        float x0, x1;
        bar_x(first, std::min(b.last_bin, first + b.group), x0, x1);
        dl->AddRectFilled(ImVec2(x0, r.y1 - bh), ImVec2(x1, r.y1), color);
      }
    }
    if (b.dead_bin >= 0) {
      // The spike of exact zeros: full height with an axis break (it is not to scale), in a
      // lighter shade so it reads as apart from the bars; its share is in the cell's text.
      const int first = b.first_bin + (b.dead_bin - b.first_bin) / b.group * b.group;
      float x0, x1;
      bar_x(first, std::min(b.last_bin, first + b.group), x0, x1);
      x1 = std::max(x1, x0 + min_bar_px(f));
      const ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
      const ImVec4 m = ImGui::ColorConvertU32ToFloat4(marker);
      const ImU32 spike = max_c == 0 ? color
                                     : ImGui::ColorConvertFloat4ToU32(ImVec4(
                                           (c.x + m.x) / 2, (c.y + m.y) / 2, (c.z + m.z) / 2, 1));
      dl->AddRectFilled(ImVec2(x0, r.y0 + 1), ImVec2(x1, r.y1), spike);
      const float yb = r.y0 + std::round(0.35f * f);
      dl->AddLine(ImVec2(x0 - 1, yb + 2), ImVec2(x1 + 1, yb - 1), background, 2.0f);
    }
  }
  // Values beyond the view (outside the histogram, or zoomed out): triangles at the edges.
  const float s = 0.32f * f, yc = r.y1 - s - 2;
  if (b.hidden_below > 0)
    dl->AddTriangleFilled(ImVec2(r.x0 + 1, yc), ImVec2(r.x0 + 1 + s, yc - s),
                          ImVec2(r.x0 + 1 + s, yc + s), marker);
  if (b.hidden_above > 0)
    dl->AddTriangleFilled(ImVec2(r.x1 - 1, yc), ImVec2(r.x1 - 1 - s, yc - s),
                          ImVec2(r.x1 - 1 - s, yc + s), marker);
}

}  // namespace initscope::render
