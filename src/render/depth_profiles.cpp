// Depth profiles: how mean, std, saturation and near-zero fraction evolve with depth, and — with
// the backward pass — the gradient norm (vanishing and exploding gradients at a glance).
//
//  [■ spec 1 [ordered χ₁=0.42]  ■ spec 2 [chaotic χ₁=1.3]  - - mean-field prediction (legend)]
//  [ mean          | std (log)  - - -  | saturated %   | zero %       | ‖dL/dW‖ (log)       ]
//  [ ┼──────────   | ┼────────────     | ┼──────────   | ┼──────────  | ┼──────────         ]
//  [ 1   5   10    | 1   5   10        |               |              |                     ]
// Narrow areas use two rows instead of one.
//
// The std panel carries each column's mean-field prediction (Snapshot::theory, computed once per
// experiment by the worker) as a dashed line of the column's colour: predicted std of A (the
// stream of residual nets), of Z when pre-activations are shown, of the norm's output or the
// branch (architecture_theory.h), and for dL/dA of BatchNorm ReLU nets the π/(π−1) growth per
// layer anchored at the last layer. Columns whose init the theory does not cover (its caveat: eye,
// weights with a mean) get no dashed line.
//
// When the snapshot measured input pairs (Snapshot::pairs, plain columns), a last panel shows the
// correlation c^l of two inputs' pre-activations per layer, pairs started at correlation r, with
// the correlation map's c^l dashed over it; the caption names the columns without that line
// (residual or normed) and why.
//
// This file draws them (panels, legend, caption); profile_layout.cpp places them and
// profile_values.cpp has the numbers.
#include <algorithm>
#include <cmath>

#include "color_maps.h"
#include "column_title.h"
#include "core/experiment_heading.h"
#include "dashed_line.h"
#include "fonts.h"
#include "profile_metrics.h"
#include "profiles.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

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

// The metric's title, or its short form when the panel is too narrow for it (five panels side
// by side at a projector's text size).
std::string panel_title(const Fonts& fo, float f, ProfileMetric m, const FigureOptions& opt,
                        float width) {
  const std::string full = metric_title(m, opt);
  if (text_size(fo.bold, f, full).x <= width) return full;
  switch (m) {
    case ProfileMetric::Std:
      return opt.log_std ? "std (log)" : "std";
    case ProfileMetric::Zero:
      return "near zero %";
    case ProfileMetric::GradNorm:
      return "\xE2\x80\x96"
             "dL/dW\xE2\x80\x96 (log)";
    case ProfileMetric::ChannelSqMean:
      return "channel mean\xC2\xB2";
    case ProfileMetric::ChannelVar:
      return "channel variance";
    case ProfileMetric::BranchVar:
      return "branch variance";
    case ProfileMetric::PairCorrelation:
      return "pair correlation";
    default:
      return full;
  }
}

void draw_panel(ImDrawList* dl, const Fonts& fo, const ProfileMetrics& m, const ProfilePanel& p,
                const Snapshot& snap, const FigureOptions& opt, const Palette& pal, int L) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = p.plot;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  const float title_x = r.x0 - m.ylabel_w + 0.2f * f;
  draw_text(
      dl, fo.bold, f, ImVec2(title_x, r.y0 - m.panel_title_h + 0.15f * f), pal.text,
      fit_text(fo.bold, f, panel_title(fo, f, p.metric, opt, r.x1 - title_x), r.x1 - title_x));

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
    ticks = nice_ticks(p.lo, p.hi, 4);
  }
  // A label that would touch the one below it is left out (a short panel: the window's
  // profiles row or a figure with a caption at a projector's text size); its grid line stays.
  float last_label_y = 1e30f;
  for (double v : ticks) {
    const float y = std::round(value_y(p, p.log ? std::pow(10.0, v) : v)) + 0.5f;
    dl->AddLine(ImVec2(r.x0, y), ImVec2(r.x1, y), pal.grid_line);
    const std::string t = y_label(p, v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    if (std::fabs(last_label_y - y) < 1.05f * ts.y) continue;
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.3f * f - ts.x, y - ts.y / 2), pal.text_dim, t);
    last_label_y = y;
  }
  // x ticks: layer numbers.
  if (L >= 1) {
    const long long step = nice_integer_step(std::max(1, L - 1), 4);
    std::vector<int> xt{1};
    for (long long v = step; v <= L; v += step)
      if (v > 1) xt.push_back(static_cast<int>(v));
    if (xt.back() != L && (L - xt.back()) > step * 0.4) xt.push_back(L);
    float last_right = -1e30f;
    for (int l : xt) {
      const float x = std::round(layer_x(r, l, L)) + 0.5f;
      dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.25f * f), pal.axis);
      const std::string t = std::to_string(l);
      const float tw = text_size(fo.regular, s, t).x;
      const float tx = std::clamp(x - tw / 2, r.x0 - tw / 2, r.x1 - tw / 2);
      if (tx < last_right + 0.4f * f) continue;
      draw_text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.3f * f), pal.text_dim, t);
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
      const double v = measured_value(snap, c, l, p.metric, opt);
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
  {
    // The mean-field prediction: dashed, over the measurement, in the column's hue shaded
    // towards the text colour — so that where theory and measurement agree the line shows
    // two-tone dashes, and where they part the dashes stand alone in the column's hue.
    for (size_t c = 0; c < snap.columns.size(); ++c) {
      const ImU32 col = blend(column_color(static_cast<int>(c), opt.theme), pal.text, 0.55f);
      std::vector<ImVec2> pts;
      auto flush = [&] {
        add_dashed_polyline(dl, pts, col, thick, 0.5f * f, 0.4f * f);
        pts.clear();
      };
      for (int l = 1; l <= L; ++l) {
        const double v = predicted_value(snap, c, l, p.metric, opt);
        if (!std::isfinite(v) || (p.log && v <= 0)) {
          flush();
          continue;
        }
        pts.emplace_back(layer_x(r, l, L), value_y(p, v));
      }
      flush();
    }
  }
  dl->PopClipRect();
}

// The line of column names, each with its mean-field phase, then the dashed-line key when a
// prediction is drawn. What gives way when the line is too narrow: the phase badges first (the
// grid's headers carry them too), then the key; names that still do not fit are left out whole.
void draw_legend(ImDrawList* dl, const Fonts& fo, float f, ImVec2 pos, float width,
                 const Snapshot& snap, const FigureOptions& opt, const Palette& pal,
                 const ProfileLayout& lay) {
  const float y = pos.y + 0.25f * f, sw = std::round(0.75f * f), right = pos.x + width;
  const float gap = 0.4f * f, spacing = 1.4f * f;
  // The key only when some dashed line is drawn (a prediction of 0 has no place on a log axis).
  bool any_prediction = false;
  for (const ProfilePanel& p : lay.panels)
    for (size_t c = 0; c < snap.columns.size(); ++c)
      for (size_t l = 1; l <= snap.columns[c].layers.size(); ++l) {
        const double v = predicted_value(snap, c, static_cast<int>(l), p.metric, opt);
        any_prediction = any_prediction || (std::isfinite(v) && (v > 0 || !p.log));
      }
  const char* key = "dashed: mean-field prediction";
  const float key_w = any_prediction ? 2.2f * f + text_size(fo.regular, f, key).x : 0;
  auto phase = [&](size_t c) -> const FixedPoint* {
    return c < snap.theory.size() && snap.theory[c].caveat.empty() ? &snap.theory[c].fixed
                                                                   : nullptr;
  };
  auto badge_w = [&](size_t c) {
    const FixedPoint* fp = phase(c);
    return fp ? phase_badge(nullptr, fo.regular, f, ImVec2(), *fp, opt.theme) : 0.0f;
  };
  auto entries_w = [&](bool badges) {
    float w = 0;
    for (size_t c = 0; c < snap.columns.size(); ++c) {
      const float bw = badges ? badge_w(c) : 0;
      w += sw + gap + text_size(fo.regular, f, snap.columns[c].init).x + (bw > 0 ? gap + bw : 0) +
           spacing;
    }
    return w;
  };
  const bool badges = entries_w(true) + key_w <= width;
  const bool with_key = any_prediction && entries_w(badges) + key_w <= width;
  float x = pos.x;
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    const std::string& name = snap.columns[c].init;
    const float tw = text_size(fo.regular, f, name).x;
    const float bw = badges ? badge_w(c) : 0;
    if (x + sw + gap + tw > right) break;
    dl->AddRectFilled(ImVec2(x, y + 0.15f * f), ImVec2(x + sw, y + 0.15f * f + sw),
                      column_color(static_cast<int>(c), opt.theme), 0.15f * f);
    draw_text(dl, fo.regular, f, ImVec2(x + sw + gap, y), pal.text, name);
    x += sw + gap + tw;
    if (bw > 0) {
      phase_badge(dl, fo.regular, f, ImVec2(x + gap, y + std::round(0.08f * f)), *phase(c),
                  opt.theme);
      x += gap + bw;
    }
    x += spacing;
  }
  if (with_key) {
    const float ym = std::round(y + 0.6f * f) + 0.5f;
    add_dashed_polyline(dl, {ImVec2(x, ym), ImVec2(x + 1.6f * f, ym)}, pal.text_dim,
                        std::max(1.2f, 0.1f * f), 0.45f * f, 0.3f * f);
    draw_text(dl, fo.regular, f, ImVec2(x + 2.2f * f, y), pal.text_dim, key);
  }
}

}  // namespace

void draw_figure_caption(ImDrawList* dl, ImVec2 top, float width, const std::string& text,
                         const FigureOptions& opt, int max_lines) {
  if (max_lines < 1) return;
  const Fonts fo = fonts();
  const float f = font_pixels_now(), s = 0.9f * f;
  float y = top.y + 0.2f * f;
  for (const std::string& line : wrap_text(fo.regular, s, text, width, max_lines)) {
    draw_text(dl, fo.regular, s, ImVec2(top.x, y), palette(opt.theme).text_dim, line);
    y += 1.15f * f;
  }
}

void draw_depth_profiles(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt) {
  const float f = font_pixels_now();
  const Palette& pal = palette(opt.theme);
  const ProfileLayout lay = profile_layout(pos, size, snap, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title)
    draw_figure_heading(dl, profiles_heading(snap, opt, size, f), ImVec2(pos.x, lay.title_y),
                        lay.legend_y, opt);
  draw_profile_panels(dl, pos, size, lay, snap, opt);
  if (const std::string caption = profiles_caption(snap, opt); !caption.empty())
    draw_figure_caption(dl, ImVec2(pos.x, lay.caption_y), size.x, caption, opt);
}

void draw_profile_panels(ImDrawList* dl, ImVec2 pos, ImVec2 size, const ProfileLayout& lay,
                         const Snapshot& snap, const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const ProfileMetrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  if (opt.legend) draw_legend(dl, fo, f, ImVec2(pos.x, lay.legend_y), size.x, snap, opt, pal, lay);
  if (snap.columns.empty()) return;
  for (const ProfilePanel& p : lay.panels) draw_panel(dl, fo, m, p, snap, opt, pal, lay.layers);
}

}  // namespace initscope::render
