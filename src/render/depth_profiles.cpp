// Depth profiles: how mean, std, saturation and near-zero fraction evolve with depth.
//
//  [■ spec 1  ■ spec 2  ■ spec 3 (legend)                                ]
//  [ mean            | std (log)        | saturated %     | zero %       ]
//  [ ┼────────────   | ┼────────────    | ┼────────────   | ┼──────────  ]
//  [ 1   5   10      | 1   5   10       |                 |              ]
// Narrow areas use a 2 × 2 arrangement instead of 1 × 4.
#include <algorithm>
#include <cmath>
#include <limits>

#include "fonts.h"
#include "profiles.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {
namespace {

constexpr ProfileMetric kMetrics[4] = {ProfileMetric::Mean, ProfileMetric::Std,
                                       ProfileMetric::Saturated, ProfileMetric::Zero};

struct Metrics {
  float f, title_h, legend_h, panel_title_h, tick_h, ylabel_w, gap;
  Metrics(float font_px, const FigureOptions& opt) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    legend_h = opt.legend ? std::round(1.6f * f) : 0;
    panel_title_h = std::round(1.5f * f);
    tick_h = std::round(1.4f * f);
    ylabel_w = std::round(4.2f * f);
    gap = std::round(1.0f * f);
  }
};

const ValueStats& shown(const LayerStats& l, const FigureOptions& opt) {
  return opt.quantity == Quantity::Activation ? l.act : l.preact;
}

int layer_count(const Snapshot& snap) {
  return snap.columns.empty() ? 0 : static_cast<int>(snap.columns.front().layers.size());
}

// A "nice" step (1, 2, 2.5 or 5 × 10^k) giving about `n` intervals over `span`.
double nice_step(double span, int n) {
  if (!(span > 0)) return 1;
  const double raw = span / n, mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

void y_range(ProfilePanel& p, const Snapshot& snap, const FigureOptions& opt) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const ColumnStats& c : snap.columns)
    for (const LayerStats& l : c.layers) {
      double v = profile_value(l, p.metric, opt);
      if (!std::isfinite(v)) continue;
      if (p.log) {
        if (v <= 0) continue;
        v = std::log10(v);
      }
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  switch (p.metric) {
    case ProfileMetric::Saturated:
    case ProfileMetric::Zero:
      p.lo = 0, p.hi = 1;
      return;
    case ProfileMetric::Std:
      if (p.log) {
        if (!std::isfinite(lo)) lo = -1, hi = 0;
        p.lo = std::floor(lo);
        p.hi = std::max(std::ceil(hi), p.lo + 1);
        return;
      }
      p.lo = 0;
      p.hi = std::isfinite(hi) && hi > 0 ? hi * 1.08 : 1;
      return;
    case ProfileMetric::Mean: {
      if (!std::isfinite(lo)) lo = -1, hi = 1;
      lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
      if (hi - lo < 1e-12) lo -= 1, hi += 1;
      const double step = nice_step(hi - lo, 4);
      p.lo = std::floor(lo / step - 1e-9) * step;
      p.hi = std::ceil(hi / step + 1e-9) * step;
      return;
    }
  }
}

void text(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
          const std::string& s) {
  dl->AddText(font, size, ImVec2(std::round(p.x), std::round(p.y)), col, s.c_str(),
              s.c_str() + s.size());
}

std::string y_label(const ProfilePanel& p, double v) {
  if (p.metric == ProfileMetric::Saturated || p.metric == ProfileMetric::Zero)
    return format_percent(v);
  if (p.log) {
    // 10^k as plain numbers where short, else "1e-05".
    const double x = std::pow(10.0, v);
    return format_number(x);
  }
  return format_number(v);
}

void draw_panel(ImDrawList* dl, const Fonts& fo, const Metrics& m, const ProfilePanel& p,
                const Snapshot& snap, const FigureOptions& opt, const Palette& pal, int L) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = p.plot;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  text(dl, fo.bold, f, ImVec2(r.x0 - m.ylabel_w + 0.2f * f, r.y0 - m.panel_title_h + 0.15f * f),
       pal.text, metric_title(p.metric, opt));

  // y ticks: decades on a log axis, nice steps otherwise.
  std::vector<double> ticks;
  if (p.log) {
    const int span = static_cast<int>(p.hi - p.lo);
    const int every = std::max(1, (span + 3) / 4);
    for (int k = static_cast<int>(p.lo); k <= static_cast<int>(p.hi); k += every)
      ticks.push_back(k);
  } else if (p.metric == ProfileMetric::Saturated || p.metric == ProfileMetric::Zero) {
    ticks = {0, 0.5, 1};
  } else {
    const double step = nice_step(p.hi - p.lo, 4);
    for (double v = std::ceil(p.lo / step - 1e-9) * step; v <= p.hi + 1e-9 * step; v += step)
      ticks.push_back(std::fabs(v) < 1e-12 * step ? 0 : v);
  }
  for (double v : ticks) {
    const float y = std::round(value_y(p, p.log ? std::pow(10.0, v) : v)) + 0.5f;
    dl->AddLine(ImVec2(r.x0, y), ImVec2(r.x1, y), pal.grid_line);
    const std::string t = y_label(p, v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    text(dl, fo.regular, s, ImVec2(r.x0 - 0.3f * f - ts.x, y - ts.y / 2), pal.text_dim, t);
  }
  // x ticks: layer numbers.
  if (L >= 1) {
    const double step = std::max(1.0, nice_step(std::max(1, L - 1), 4));
    std::vector<int> xt{1};
    for (double v = step; v <= L; v += step) xt.push_back(static_cast<int>(std::llround(v)));
    if (xt.back() != L && (L - xt.back()) > step * 0.4) xt.push_back(L);
    float last_right = -1e30f;
    for (int l : xt) {
      const float x = std::round(layer_x(r, l, L)) + 0.5f;
      dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.25f * f), pal.axis);
      const std::string t = std::to_string(l);
      const float tw = text_size(fo.regular, s, t).x;
      const float tx = std::clamp(x - tw / 2, r.x0 - tw / 2, r.x1 - tw / 2);
      if (tx < last_right + 0.4f * f) continue;
      text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.3f * f), pal.text_dim, t);
      last_right = tx + tw;
    }
  }
  dl->AddLine(ImVec2(r.x0, r.y1 - 0.5f), ImVec2(r.x1, r.y1 - 0.5f), pal.axis);
  dl->AddLine(ImVec2(r.x0 + 0.5f, r.y0), ImVec2(r.x0 + 0.5f, r.y1), pal.axis);

  // One line per column; gaps where a value is not finite.
  const float thick = std::max(1.5f, 0.13f * f), radius = std::max(2.0f, 0.2f * f);
  dl->PushClipRect(ImVec2(r.x0, r.y0 - radius), ImVec2(r.x1 + radius, r.y1 + radius), true);
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    const ImU32 col = column_color(static_cast<int>(c), opt.theme);
    const auto& layers = snap.columns[c].layers;
    std::vector<ImVec2> pts;
    auto flush = [&] {
      if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
      pts.clear();
    };
    for (int l = 1; l <= static_cast<int>(layers.size()); ++l) {
      const double v = profile_value(layers[l - 1], p.metric, opt);
      if (!std::isfinite(v)) {
        flush();
        continue;
      }
      if (p.log && v <= 0) {
        // 0 has no place on a log axis: a gap in the line and a triangle pointing down at the
        // bottom edge ("below the axis").
        flush();
        const float x = layer_x(r, l, L), y = r.y1 - 1;
        dl->AddTriangleFilled(ImVec2(x - radius * 1.2f, y - 2 * radius),
                              ImVec2(x + radius * 1.2f, y - 2 * radius), ImVec2(x, y), col);
        continue;
      }
      const ImVec2 q(layer_x(r, l, L), value_y(p, v));
      pts.push_back(q);
      if (L <= 40) dl->AddCircleFilled(q, radius, col, 12);
    }
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], radius, col, 12);
    flush();
  }
  dl->PopClipRect();
}

float font_px_now() {
  const Fonts fo = fonts();
  return fo.regular ? fo.regular->FontSize : ImGui::GetFontSize();
}

}  // namespace

const char* metric_title(ProfileMetric m, const FigureOptions& opt) {
  switch (m) {
    case ProfileMetric::Mean:
      return "mean";
    case ProfileMetric::Std:
      return opt.log_std ? "std (log scale)" : "std";
    case ProfileMetric::Saturated:
      return "saturated %";
    case ProfileMetric::Zero:
      return "near zero % (|x| < 0.01)";
  }
  return "";
}

double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt) {
  const ValueStats& v = shown(l, opt);
  if (v.count > 0 && v.nonfinite == v.count) return std::numeric_limits<double>::quiet_NaN();
  switch (m) {
    case ProfileMetric::Mean:
      return v.mean;
    case ProfileMetric::Std:
      return v.std;
    case ProfileMetric::Saturated:
      return v.saturated;
    case ProfileMetric::Zero:
      return v.zero;
  }
  return 0;
}

float layer_x(const CellRect& plot, int layer, int layers) {
  // Half a step of margin at each end so the first and last markers are not cut.
  const float w = plot.x1 - plot.x0;
  if (layers <= 1) return plot.x0 + w / 2;
  const float margin = std::min(0.04f * w, w / (2.0f * layers));
  return plot.x0 + margin + (layer - 1) * (w - 2 * margin) / (layers - 1);
}

int layer_at(const CellRect& plot, float x, int layers) {
  if (layers <= 1) return 1;
  const float w = plot.x1 - plot.x0;
  const float margin = std::min(0.04f * w, w / (2.0f * layers));
  const float t = (x - plot.x0 - margin) / (w - 2 * margin);
  return std::clamp(static_cast<int>(std::lround(t * (layers - 1))) + 1, 1, layers);
}

float value_y(const ProfilePanel& p, double v) {
  double t;
  if (p.log)
    t = v > 0 ? (std::log10(v) - p.lo) / (p.hi - p.lo) : 0;
  else
    t = (v - p.lo) / (p.hi - p.lo);
  t = std::clamp(t, 0.0, 1.0);
  // A little headroom so lines at the top or bottom edge stay visible.
  const float h = p.plot.y1 - p.plot.y0, pad = std::min(4.0f, 0.05f * h);
  return p.plot.y1 - pad - static_cast<float>(t) * (h - 2 * pad);
}

ProfileLayout profile_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt, float font_px) {
  const Metrics m(font_px, opt);
  ProfileLayout out;
  out.layers = layer_count(snap);
  out.title_y = pos.y;
  out.legend_y = pos.y + m.title_h;
  const float top = pos.y + m.title_h + m.legend_h;
  const float h = std::max(1.0f, size.y - (top - pos.y));
  const bool row = size.x >= 2.2f * h;  // 1 × 4 when wide, else 2 × 2
  const int nx = row ? 4 : 2, ny = row ? 1 : 2;
  const float cw = (size.x - (nx - 1) * m.gap) / nx, ch = (h - (ny - 1) * m.gap * 0.5f) / ny;
  for (int i = 0; i < 4; ++i) {
    ProfilePanel& p = out.panels[i];
    p.metric = kMetrics[i];
    p.log = p.metric == ProfileMetric::Std && opt.log_std;
    const float x = pos.x + (i % nx) * (cw + m.gap), y = top + (i / nx) * (ch + m.gap * 0.5f);
    p.plot = {std::round(x + m.ylabel_w), std::round(y + m.panel_title_h),
              std::round(x + cw - 0.5f * m.f), std::round(y + ch - m.tick_h)};
    if (p.plot.y1 < p.plot.y0 + 4) p.plot.y1 = p.plot.y0 + 4;
    if (p.plot.x1 < p.plot.x0 + 4) p.plot.x1 = p.plot.x0 + 4;
    y_range(p, snap, opt);
  }
  return out;
}

void draw_depth_profiles(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_px_now();
  const Metrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  const ProfileLayout lay = profile_layout(pos, size, snap, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    std::string t = "Depth profiles \xE2\x80\x94 ";
    t += snap.experiment.title.empty() ? snap.experiment.summary() : snap.experiment.title;
    text(dl, fo.title, fo.title->FontSize, ImVec2(pos.x, lay.title_y + 0.25f * f), pal.text,
         fit_text(fo.title, fo.title->FontSize, t, size.x));
  }
  if (opt.legend) {
    float x = pos.x;
    const float y = lay.legend_y + 0.25f * f, sw = std::round(0.75f * f);
    for (size_t c = 0; c < snap.columns.size(); ++c) {
      const std::string& name = snap.columns[c].init;
      const float tw = text_size(fo.regular, f, name).x;
      if (x + sw + 0.4f * f + tw > pos.x + size.x) break;
      dl->AddRectFilled(ImVec2(x, y + 0.15f * f), ImVec2(x + sw, y + 0.15f * f + sw),
                        column_color(static_cast<int>(c), opt.theme), 0.15f * f);
      text(dl, fo.regular, f, ImVec2(x + sw + 0.4f * f, y), pal.text, name);
      x += sw + 0.4f * f + tw + 1.4f * f;
    }
  }
  if (snap.columns.empty()) return;
  for (const ProfilePanel& p : lay.panels) draw_panel(dl, fo, m, p, snap, opt, pal, lay.layers);
}

}  // namespace initscope::render
