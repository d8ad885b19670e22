// Geometry of the depth-profile panels (profiles.h): where each plot goes (one row, or two when
// narrow), its y range (the measurement and the prediction both inside), and the mapping of a
// layer to x and a value to y — pure arithmetic, shared by the drawing, the window's hover and
// the tests.
#include <algorithm>
#include <cmath>
#include <limits>

#include "profile_metrics.h"
#include "profiles.h"
#include "ticks.h"

namespace initscope::render {
namespace {

constexpr ProfileMetric kMetrics[] = {ProfileMetric::Mean, ProfileMetric::Std,
                                      ProfileMetric::Saturated, ProfileMetric::Zero,
                                      ProfileMetric::GradNorm};

int layer_count(const Snapshot& snap) {
  return snap.columns.empty() ? 0 : static_cast<int>(snap.columns.front().layers.size());
}

void y_range(ProfilePanel& p, const Snapshot& snap, const FigureOptions& opt) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto include = [&](double v) {
    if (!std::isfinite(v)) return;
    if (p.log) {
      if (v <= 0) return;
      v = std::log10(v);
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    // The prediction is part of the picture: its line stays inside the axis.
    for (int l = 1; l <= static_cast<int>(snap.columns[c].layers.size()); ++l) {
      include(measured_value(snap, c, l, p.metric, opt));
      include(predicted_value(snap, c, l, p.metric, opt));
    }
  }
  switch (p.metric) {
    case ProfileMetric::Saturated:
    case ProfileMetric::Zero:
      p.lo = 0, p.hi = 1;
      return;
    case ProfileMetric::Std:
    case ProfileMetric::GradNorm:
    case ProfileMetric::ChannelSqMean:
    case ProfileMetric::ChannelVar:
    case ProfileMetric::BranchVar:
      if (p.log) {
        if (!std::isfinite(lo)) lo = -1, hi = 0;
        p.lo = std::floor(lo);
        p.hi = std::max(std::ceil(hi), p.lo + 1);
        return;
      }
      p.lo = 0;
      p.hi = std::isfinite(hi) && hi > 0 ? hi * 1.08 : 1;
      return;
    case ProfileMetric::PairCorrelation:  // a correlation: up to 1, down to 0 or below
      p.hi = 1;
      p.lo = std::isfinite(lo) && lo < 0 ? std::floor(lo / 0.25 - 1e-9) * 0.25 : 0;
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

}  // namespace

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
  std::vector<ProfileMetric> metrics(std::begin(kMetrics), std::end(kMetrics));
  if (!has_gradients(snap)) metrics.pop_back();
  if (has_pair_correlation(snap)) metrics.push_back(ProfileMetric::PairCorrelation);
  const float caption_h = profiles_caption(snap, opt).empty() ? 0 : caption_height(font_px);
  // The subtitle's lines (a title too long for one line) between the title and the legend.
  const float sub_h =
      opt.title ? profiles_heading(snap, opt, size, font_px).subtitle_height(font_px) : 0;
  ProfileLayout lay = panels_layout(ImVec2(pos.x, pos.y + sub_h), ImVec2(size.x, size.y - sub_h),
                                    snap, opt, font_px, metrics, caption_h);
  lay.title_y = pos.y;
  return lay;
}

float caption_height(float font_px, int lines) {
  // Two lines: 2.6 font sizes (the signal plot's and the dL/dA caption's room since issue 13).
  return lines <= 0 ? 0 : std::round((0.3f + 1.15f * static_cast<float>(lines)) * font_px);
}

ProfileLayout panels_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px, const std::vector<ProfileMetric>& metrics,
                            float caption_h) {
  const ProfileMetrics m(font_px, opt);
  ProfileLayout out;
  out.layers = layer_count(snap);
  out.title_y = pos.y;
  out.legend_y = pos.y + m.title_h;
  out.caption_y = pos.y + size.y - caption_h;
  const float top = pos.y + m.title_h + m.legend_h;
  const float h = std::max(1.0f, size.y - caption_h - (top - pos.y));
  const int n = static_cast<int>(metrics.size());
  // One row when each plot gets at least 0.55 of its height in width, else two rows.
  const bool row = size.x >= 0.55f * n * h;
  const int nx = row ? n : (n + 1) / 2, ny = row ? 1 : 2;
  const float cw = (size.x - (nx - 1) * m.gap) / nx, ch = (h - (ny - 1) * m.gap * 0.5f) / ny;
  out.panels.resize(n);
  for (int i = 0; i < n; ++i) {
    ProfilePanel& p = out.panels[i];
    p.metric = metrics[i];
    switch (p.metric) {
      case ProfileMetric::Std:
        p.log = opt.log_std;
        break;
      case ProfileMetric::Mean:
      case ProfileMetric::Saturated:
      case ProfileMetric::Zero:
      case ProfileMetric::PairCorrelation:
        p.log = false;
        break;
      default:  // ‖dL/dW‖ and the signal plot's mean² and variances span decades
        p.log = true;
    }
    const float x = pos.x + (i % nx) * (cw + m.gap), y = top + (i / nx) * (ch + m.gap * 0.5f);
    p.plot = {std::round(x + m.ylabel_w), std::round(y + m.panel_title_h),
              std::round(x + cw - 0.5f * m.f), std::round(y + ch - m.tick_h)};
    if (p.plot.y1 < p.plot.y0 + 4) p.plot.y1 = p.plot.y0 + 4;
    if (p.plot.x1 < p.plot.x0 + 4) p.plot.x1 = p.plot.x0 + 4;
    y_range(p, snap, opt);
  }
  return out;
}

}  // namespace initscope::render
