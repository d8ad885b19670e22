// Heatmaps: the whole network (or one layer over time) in one picture, see heatmap.h.
//
//  [title ..................................... activations · heatmap · update 12]
//  [■ spec 1 [ordered χ₁=0.42]   ■ spec 2 [chaotic χ₁=1.3]          count     ]
//  [  1 ┤██▓▒░          |  1 ┤██▓▒░                          | ▇ 1e5    ]
//  [  0 ┤██████▓▒       |  0 ┤█████                          | ▇ 100    ]
//  [ −1 ┤██▓▒░          | −1 ┤██▓▒                           | ▇ 1      ]
//  [     1   5   10     |     1   5   10                     |          ]
//  [        layer       |        layer                       |          ]
#include "heatmap.h"

#include <algorithm>
#include <cmath>

#include "color_maps.h"
#include "column_title.h"
#include "core/experiment_heading.h"
#include "fonts.h"
#include "histogram_bars.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

struct Metrics {
  float f, title_h, header_h, axis_h, ylabel_w, col_gap, bar_gap, bar_w, bar_label_w;
  Metrics(float font_px, const FigureOptions& opt) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    header_h = std::round(1.7f * f);
    axis_h = std::round(2.7f * f);
    ylabel_w = std::round(3.6f * f);
    col_gap = std::round(0.8f * f);
    bar_gap = std::round(1.2f * f);
    bar_w = std::round(0.9f * f);
    bar_label_w = std::round(3.2f * f);
  }
  float right_w() const { return bar_gap + bar_w + 0.4f * f + bar_label_w; }
};

// "1", "10", "100", "1000", "1e4", …: counts on the colour bar.
std::string count_label(double c) {
  return c < 1e4 ? format_number(c) : "1e" + std::to_string(static_cast<int>(std::log10(c) + 0.5));
}

// The slices drawn into a plot `width` pixels wide: all of them, or — when there are more
// slices than half the pixels — evenly spaced ones (each at least 2 px wide).
std::vector<int> drawn_slices(int n, float width) {
  const int most = std::max(1, static_cast<int>(width / 2));
  std::vector<int> out;
  if (n <= most) {
    for (int i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  for (int k = 0; k < most; ++k)
    out.push_back(static_cast<int>(std::llround(double(k) * (n - 1) / std::max(1, most - 1))));
  return out;
}

void draw_value_axis(ImDrawList* dl, const Fonts& fo, const Metrics& m, const HeatmapPlot& p,
                     const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = p.plot;
  const int want = std::max(2, static_cast<int>((r.y1 - r.y0) / (3.5f * f)));
  float last_top = 1e30f;
  for (double v : nice_ticks(p.lo, p.hi, want)) {
    const float y = std::round(r.y1 - float((v - p.lo) / (p.hi - p.lo)) * (r.y1 - r.y0)) + 0.5f;
    dl->AddLine(ImVec2(r.x0 - 0.3f * f, y), ImVec2(r.x0, y), pal.axis);
    const std::string t = format_number(v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    const float ty = std::clamp(y - ts.y / 2, r.y0 - 0.2f * f, r.y1 - ts.y + 0.2f * f);
    if (ty + ts.y > last_top - 0.1f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.45f * f - ts.x, ty), pal.text_dim, t);
    last_top = ty;
  }
}

// x ticks at nice steps of the slices' x values (layers 1, 5, 10, …; updates 0, 50, 100, …).
void draw_x_axis(ImDrawList* dl, const Fonts& fo, const Metrics& m, const HeatmapPlot& p,
                 const HeatmapSeries& series, const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = p.plot;
  const int n = static_cast<int>(series.x.size());
  if (n == 0) return;
  const float w = (r.x1 - r.x0) / n;
  const long long first = series.x.front(), last = series.x.back();
  const int want = std::max(1, static_cast<int>((r.x1 - r.x0) / (4.0f * f)));
  const long long step = nice_integer_step(double(last - first), want);
  std::vector<int> at;  // slice indices to label
  at.push_back(0);
  for (long long v = (first / step + 1) * step; v <= last; v += step) {
    const auto it = std::lower_bound(series.x.begin(), series.x.end(), v);
    if (it != series.x.end() && *it == v) at.push_back(static_cast<int>(it - series.x.begin()));
  }
  float last_right = -1e30f;
  for (int i : at) {
    const float x = std::round(r.x0 + (i + 0.5f) * w) + 0.5f;
    dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.25f * f), pal.axis);
    const std::string t = std::to_string(series.x[i]);
    const float tw = text_size(fo.regular, s, t).x;
    const float tx = std::clamp(x - tw / 2, r.x0 - tw / 2, r.x1 - tw / 2);
    if (tx < last_right + 0.5f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.3f * f), pal.text_dim, t);
    last_right = tx + tw;
  }
  const float lw = text_size(fo.regular, s, series.x_label).x;
  draw_text(dl, fo.regular, s, ImVec2((r.x0 + r.x1 - lw) / 2, r.y1 + 1.45f * f), pal.text_dim,
            series.x_label);
}

void draw_colorbar(ImDrawList* dl, const Fonts& fo, const Metrics& m, const CellRect& r,
                   double max_count, const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  draw_color_strip(dl, r, count_color, pal.axis);
  draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.2f * f, r.y0 - 1.35f * f), pal.text_dim, "count");
  if (!(max_count >= 1)) return;
  // Decades 1, 10, 100, … at t = log(1 + c) / log(1 + max).
  const double denom = std::log1p(max_count);
  float last_top = 1e30f;
  for (double c = 1; c <= max_count * 1.0001; c *= 10) {
    const float y = std::round(r.y1 - float(std::log1p(c) / denom) * (r.y1 - r.y0)) + 0.5f;
    dl->AddLine(ImVec2(r.x1, y), ImVec2(r.x1 + 0.3f * f, y), pal.axis);
    const std::string t = count_label(c);
    const ImVec2 ts = text_size(fo.regular, s, t);
    const float ty = y - ts.y / 2;
    if (ty + ts.y > last_top) continue;
    draw_text(dl, fo.regular, s, ImVec2(r.x1 + 0.45f * f, ty), pal.text_dim, t);
    last_top = ty;
  }
}

void draw_title(ImDrawList* dl, const Fonts& fo, const Metrics& m, ImVec2 pos, float width,
                const HeatmapSeries& series, const Snapshot& snap, const FigureOptions& opt,
                const Palette& pal) {
  const float f = m.f, tf = fo.title->FontSize;
  std::string right = quantity_title(opt.quantity);
  // A training probe counts mini-batch steps, the explore simulation updates.
  right += " \xC2\xB7 " + series.what +
           (snap.experiment.training ? " \xC2\xB7 step " : " \xC2\xB7 update ") +
           std::to_string(snap.update_index);
  const float rw = text_size(fo.regular, f, right).x;
  const float y = pos.y + std::round(0.25f * f);
  draw_text(dl, fo.regular, f, ImVec2(pos.x + width - rw, y + (tf - f)), pal.text_dim, right);
  const Experiment& e = snap.experiment;
  const std::string title = experiment_heading(e).title;
  draw_text(dl, fo.title, tf, ImVec2(pos.x, y), pal.text,
            fit_text(fo.title, tf, title, width - rw - 2 * f));
}

// Column titles above the plots (from the value axis' labels to the plot's right edge).
void draw_header(ImDrawList* dl, const Fonts& fo, const Metrics& m, const HeatmapLayout& lay,
                 const Snapshot& snap, const FigureOptions& opt) {
  for (size_t c = 0; c < lay.plots.size() && c < snap.columns.size(); ++c) {
    const CellRect& r = lay.plots[c].plot;
    const float x = r.x0 - m.ylabel_w + 0.2f * m.f;
    draw_column_title(dl, fo, m.f, ImVec2(x, lay.header_y), r.x1 - x, snap, c, opt.theme);
  }
}

}  // namespace

std::vector<double> resample_counts(const Histogram& h, double lo, double hi, int n) {
  std::vector<double> out;
  const int src = static_cast<int>(h.counts.size());
  if (n < 1 || !(hi > lo) || src == 0 || !(h.hi > h.lo))
    return n >= 1 ? std::vector<double>(n) : out;
  out.assign(n, 0.0);
  const double sw = (h.hi - h.lo) / src, dw = (hi - lo) / n;
  for (int i = 0; i < src; ++i) {
    const double c = double(h.counts[i]);
    if (c == 0) continue;
    const double a = h.lo + i * sw, b = a + sw;  // source bin [a, b)
    if (b <= lo || a >= hi) continue;
    // Target bins overlapping [a, b): j from ⌊(a − lo)/dw⌋ to ⌈(b − lo)/dw⌉ − 1, clamped.
    const int j0 = std::max(0, static_cast<int>(std::floor((a - lo) / dw)));
    const int j1 = std::min(n - 1, static_cast<int>(std::ceil((b - lo) / dw)) - 1);
    for (int j = j0; j <= j1; ++j) {
      const double t0 = lo + j * dw, t1 = t0 + dw;
      const double overlap = std::min(b, t1) - std::max(a, t0);
      if (overlap > 0) out[j] += c * overlap / sw;
    }
  }
  return out;
}

HeatmapSeries layer_series(const Snapshot& snap, Quantity q) {
  HeatmapSeries s;
  s.x_label = "layer";
  s.what = "heatmap";
  const int L = snap.columns.empty() ? 0 : static_cast<int>(snap.columns.front().layers.size());
  for (int l = 1; l <= L; ++l) s.x.push_back(l);
  for (const ColumnStats& c : snap.columns) {
    std::vector<const ValueStats*> slices;
    for (const LayerStats& l : c.layers)
      slices.push_back(is_measured(l, q) ? &shown(l, q) : nullptr);
    s.columns.push_back(std::move(slices));
  }
  return s;
}

HeatmapLayout heatmap_layout(ImVec2 pos, ImVec2 size, const HeatmapSeries& series,
                             const Snapshot& snap, const FigureOptions& opt, float font_px) {
  const Metrics m(font_px, opt);
  HeatmapLayout out;
  out.slices = static_cast<int>(series.x.size());
  out.header_y = pos.y + m.title_h + std::round(0.2f * m.f);
  const int columns = static_cast<int>(series.columns.size());
  const float y0 = std::round(pos.y + m.title_h + m.header_h);
  const float y1 = std::max(y0 + 4, std::round(pos.y + size.y - m.axis_h));
  const float avail = size.x - m.right_w();
  const int c = std::max(1, columns);
  const float pw = std::max(4.0f, std::floor((avail - c * m.ylabel_w - (c - 1) * m.col_gap) / c));
  for (int i = 0; i < columns; ++i) {
    HeatmapPlot p;
    const float x0 = std::round(pos.x + i * (m.ylabel_w + pw + m.col_gap) + m.ylabel_w);
    p.plot = {x0, y0, x0 + pw, y1};
    std::vector<const ValueStats*> slices;
    for (const ValueStats* v : series.columns[i])
      if (v && v->hist.counts.size() > 0) slices.push_back(v);
    const ValueRange view = shared_view(slices, snap.experiment.activation, opt.quantity);
    p.lo = view.lo;
    p.hi = view.hi;
    p.bins = std::clamp(snap.experiment.bins, 1, std::max(1, static_cast<int>((y1 - y0) / 2)));
    out.plots.push_back(p);
  }
  const float bx = std::round(pos.x + size.x - m.right_w() + m.bar_gap);
  out.colorbar = {bx, y0, bx + m.bar_w, y1};
  return out;
}

int heatmap_slice_at(const HeatmapPlot& p, int slices, float x) {
  if (slices <= 0 || x < p.plot.x0 || x >= p.plot.x1) return -1;
  return std::min(slices - 1, static_cast<int>((x - p.plot.x0) / (p.plot.x1 - p.plot.x0) * slices));
}

int heatmap_bin_at(const HeatmapPlot& p, float y) {
  if (y < p.plot.y0 || y >= p.plot.y1) return -1;
  return std::min(p.bins - 1, static_cast<int>((p.plot.y1 - y) / (p.plot.y1 - p.plot.y0) * p.bins));
}

void draw_heatmaps(ImDrawList* dl, ImVec2 pos, ImVec2 size, const HeatmapSeries& series,
                   const Snapshot& snap, const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Metrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) draw_title(dl, fo, m, pos, size.x, series, snap, opt, pal);
  const HeatmapLayout lay = heatmap_layout(pos, size, series, snap, opt, f);
  if (lay.plots.empty() || lay.slices == 0) {
    draw_text(dl, fo.regular, f, ImVec2(pos.x, lay.header_y), pal.text_dim, "no data yet");
    return;
  }
  draw_header(dl, fo, m, lay, snap, opt);

  // Resampled counts of the slices drawn, [column][drawn slice][bin] (empty: no data).
  std::vector<std::vector<int>> drawn;
  std::vector<std::vector<std::vector<double>>> counts;
  double max_count = 0;
  bool any = false;
  for (size_t c = 0; c < lay.plots.size(); ++c) {
    const HeatmapPlot& p = lay.plots[c];
    drawn.push_back(drawn_slices(lay.slices, p.plot.x1 - p.plot.x0));
    counts.emplace_back();
    for (int i : drawn.back()) {
      const ValueStats* v = series.columns[c][static_cast<size_t>(i)];
      counts.back().push_back(v ? resample_counts(v->hist, p.lo, p.hi, p.bins)
                                : std::vector<double>{});
      for (double n : counts.back().back()) max_count = std::max(max_count, n), any = true;
    }
  }
  const double denom = std::log1p(std::max(1.0, max_count));
  for (size_t c = 0; c < lay.plots.size(); ++c) {
    const HeatmapPlot& p = lay.plots[c];
    const CellRect& r = p.plot;
    dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
    const float sw = (r.x1 - r.x0) / drawn[c].size(), bh = (r.y1 - r.y0) / p.bins;
    for (size_t k = 0; k < drawn[c].size(); ++k) {
      const std::vector<double>& slice = counts[c][k];
      const float x0 = std::round(r.x0 + k * sw), x1 = std::round(r.x0 + (k + 1) * sw);
      // Runs of bins with the same colour are one rectangle (tails of equal counts, saturated
      // bounds): fewer vertices for tall plots.
      int j = 0;
      while (j < static_cast<int>(slice.size())) {
        if (slice[j] <= 0) {
          ++j;
          continue;
        }
        const ImU32 col = count_color(float(std::log1p(slice[j]) / denom));
        int end = j + 1;
        while (end < static_cast<int>(slice.size()) && slice[end] > 0 &&
               count_color(float(std::log1p(slice[end]) / denom)) == col)
          ++end;
        const float y0 = std::round(r.y1 - end * bh), y1 = std::round(r.y1 - j * bh);
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, std::max(y1, y0 + 1)), col);
        j = end;
      }
    }
    if (p.lo < 0 && p.hi > 0) {  // the value 0, faintly
      const float yz = std::round(r.y1 - float(-p.lo / (p.hi - p.lo)) * (r.y1 - r.y0)) + 0.5f;
      dl->AddLine(ImVec2(r.x0 - 0.3f * f, yz), ImVec2(r.x0, yz), pal.text_dim);
    }
    dl->AddLine(ImVec2(r.x0, r.y1 - 0.5f), ImVec2(r.x1, r.y1 - 0.5f), pal.axis);
    dl->AddLine(ImVec2(r.x0 + 0.5f, r.y0), ImVec2(r.x0 + 0.5f, r.y1), pal.axis);
    draw_value_axis(dl, fo, m, p, pal);
    draw_x_axis(dl, fo, m, p, series, pal);
    if (counts[c].empty() ||
        std::all_of(counts[c].begin(), counts[c].end(), [](const auto& s) { return s.empty(); }))
      draw_text(dl, fo.regular, 0.85f * f, ImVec2(r.x0 + 0.5f * f, r.y0 + 0.5f * f), pal.text_dim,
                fit_text(fo.regular, 0.85f * f,
                         is_gradient(opt.quantity) ? "no gradients yet" : "no data yet",
                         r.x1 - r.x0 - f));
  }
  draw_colorbar(dl, fo, m, lay.colorbar, any ? max_count : 0, pal);
}

}  // namespace initscope::render
