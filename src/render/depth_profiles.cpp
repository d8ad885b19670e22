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
#include <algorithm>
#include <cmath>
#include <limits>

#include "color_maps.h"
#include "column_title.h"
#include "core/experiment_heading.h"
#include "dashed_line.h"
#include "fonts.h"
#include "profiles.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

constexpr ProfileMetric kMetrics[] = {ProfileMetric::Mean, ProfileMetric::Std,
                                      ProfileMetric::Saturated, ProfileMetric::Zero,
                                      ProfileMetric::GradNorm};

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
    const auto& layers = snap.columns[c].layers;
    for (const LayerStats& l : layers) include(profile_value(l, p.metric, opt));
    // The prediction is part of the picture: its line stays inside the axis.
    for (int l = 1; l <= static_cast<int>(layers.size()); ++l)
      include(predicted_value(snap, c, l, p.metric, opt));
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
    default:
      return full;
  }
}

void draw_panel(ImDrawList* dl, const Fonts& fo, const Metrics& m, const ProfilePanel& p,
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
    case ProfileMetric::GradNorm:
      return "\xE2\x80\x96"
             "dL/dW\xE2\x80\x96 gradient norm (log scale)";
    case ProfileMetric::ChannelSqMean:
      return "stream: channel mean\xC2\xB2 (log)";
    case ProfileMetric::ChannelVar:
      return "stream: channel variance (log)";
    case ProfileMetric::BranchVar:
      return "branch: channel variance (log)";
  }
  return "";
}

double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (m == ProfileMetric::GradNorm) return l.has_grad ? l.grad_norm : kNaN;
  if (m == ProfileMetric::ChannelSqMean) return l.channel_sq_mean;
  if (m == ProfileMetric::ChannelVar) return l.channel_var;
  if (m == ProfileMetric::BranchVar) return l.branch_channel_var;
  if (!is_measured(l, opt.quantity)) return kNaN;
  const ValueStats& v = shown(l, opt.quantity);
  if (v.count > 0 && v.nonfinite == v.count) return kNaN;
  switch (m) {
    case ProfileMetric::Mean:
      return v.mean;
    case ProfileMetric::Std:
      return v.std;
    case ProfileMetric::Saturated:
      return v.saturated;
    case ProfileMetric::Zero:
      return v.zero;
    default:
      break;
  }
  return 0;
}

double predicted_value(const Snapshot& snap, size_t column, int layer, ProfileMetric m,
                       const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (m == ProfileMetric::Std) return predicted_std(snap, column, layer, opt);
  if (m != ProfileMetric::ChannelSqMean && m != ProfileMetric::ChannelVar &&
      m != ProfileMetric::BranchVar)
    return kNaN;
  if (column >= snap.theory.size()) return kNaN;
  const Prediction& p = snap.theory[column];
  if (!p.caveat.empty() || layer < 1 || layer > static_cast<int>(p.layers.size())) return kNaN;
  const LayerPrediction& lp = p.layers[layer - 1];
  return m == ProfileMetric::ChannelSqMean ? lp.channel_sq_mean
         : m == ProfileMetric::ChannelVar  ? lp.channel_var
                                           : lp.branch_channel_var;
}

bool has_branches(const Snapshot& snap) {
  // A residual column (its prediction has branches), or measured branches.
  for (size_t c = 0; c < snap.experiment.inits.size(); ++c)
    if (snap.experiment.column_arch(c).residual_net() && snap.experiment.layers > 1) return true;
  for (const ColumnStats& c : snap.columns)
    for (const LayerStats& l : c.layers)
      if (l.has_branch) return true;
  return false;
}

bool has_gradients(const Snapshot& snap) {
  for (const ColumnStats& c : snap.columns)
    if (!c.layers.empty() && c.layers.front().has_grad) return true;
  return false;
}

double predicted_std(const Snapshot& snap, size_t column, int layer, const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (opt.quantity == Quantity::WeightGrad || column >= snap.theory.size()) return kNaN;
  const Prediction& p = snap.theory[column];
  if (!p.caveat.empty() || layer < 1 || layer > static_cast<int>(p.layers.size())) return kNaN;
  const LayerPrediction& lp = p.layers[layer - 1];
  switch (opt.quantity) {
    case Quantity::PreActivation:
      return lp.preact_std;
    case Quantity::Normed:
      return lp.normed_std;
    case Quantity::Branch:
      return lp.branch_std;
    case Quantity::ActivationGrad: {
      // E‖dL/dA‖² grows by grad_sq_growth per layer towards the input (BatchNorm ReLU nets), so
      // the std by its square root; anchored at the last layer's measurement (the loss sets the
      // scale).
      const auto& layers = snap.columns[column].layers;
      if (!std::isfinite(p.grad_sq_growth) || layers.size() != p.layers.size() ||
          !layers.back().has_grad)
        return kNaN;
      const int L = static_cast<int>(layers.size());
      return layers.back().grad_act.std * std::pow(p.grad_sq_growth, 0.5 * (L - layer));
    }
    default:
      return lp.act_std;
  }
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
  std::vector<ProfileMetric> metrics(std::begin(kMetrics), std::end(kMetrics));
  if (!has_gradients(snap)) metrics.pop_back();
  const float caption_h = gradient_caption(snap, opt).empty() ? 0 : caption_height(font_px);
  return panels_layout(pos, size, snap, opt, font_px, metrics, caption_h);
}

std::string gradient_caption(const Snapshot& snap, const FigureOptions& opt) {
  if (opt.quantity != Quantity::ActivationGrad || !has_gradients(snap)) return "";
  bool any_arch = false, any_line = false;
  for (size_t c = 0; c < snap.columns.size() && c < snap.theory.size(); ++c) {
    const Prediction& p = snap.theory[c];
    any_arch = any_arch || std::isfinite(p.grad_sq_growth) || !p.grad_note.empty();
    any_line = any_line || std::isfinite(predicted_std(snap, c, 1, opt));
  }
  if (!any_arch) return "";  // plain stacks: no gradient line, no caption (as before)
  std::string text;
  if (any_line)
    text =
        "Dashed on std: \xE2\x80\x96"
        "dL/dA\xE2\x80\x96\xC2\xB2 grows \xC3\x97\xCF\x80/(\xCF\x80\xE2\x88\x92"
        "1) "
        "\xE2\x89\x88 1.467 per layer towards the input in BatchNorm ReLU nets (Yang et al. 2019, "
        "large batch), drawn from layer " +
        std::to_string(layer_count(snap)) + "'s measurement.";
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    if (std::isfinite(predicted_std(snap, c, 1, opt))) continue;
    const Prediction* p = c < snap.theory.size() ? &snap.theory[c] : nullptr;
    std::string why = "no line (plain stack)";
    if (p && !p->caveat.empty())
      why = "no line \xE2\x80\x94 " + p->caveat;
    else if (p && !p->grad_note.empty())
      why = p->grad_note;
    text += (text.empty() ? "" : " ") + snap.columns[c].init + ": " + why + ".";
  }
  return text;
}

float caption_height(float font_px) {
  return std::round(2.6f * font_px);
}

void draw_figure_caption(ImDrawList* dl, ImVec2 top, float width, const std::string& text,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now(), s = 0.9f * f;
  float y = top.y + 0.2f * f;
  for (const std::string& line : wrap_text(fo.regular, s, text, width, 2)) {
    draw_text(dl, fo.regular, s, ImVec2(top.x, y), palette(opt.theme).text_dim, line);
    y += 1.15f * f;
  }
}

ProfileLayout signal_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px) {
  std::vector<ProfileMetric> metrics{ProfileMetric::ChannelSqMean, ProfileMetric::ChannelVar};
  if (has_branches(snap)) metrics.push_back(ProfileMetric::BranchVar);
  // Two lines of caption under the plots.
  return panels_layout(pos, size, snap, opt, font_px, metrics, caption_height(font_px));
}

ProfileLayout panels_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px, const std::vector<ProfileMetric>& metrics,
                            float caption_h) {
  const Metrics m(font_px, opt);
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

void draw_depth_profiles(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Palette& pal = palette(opt.theme);
  const ProfileLayout lay = profile_layout(pos, size, snap, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    std::string t = "Depth profiles of ";
    t += quantity_title(opt.quantity);
    t += " \xE2\x80\x94 ";
    t += experiment_heading(snap.experiment).title;
    draw_text(dl, fo.title, fo.title->FontSize, ImVec2(pos.x, lay.title_y + 0.25f * f), pal.text,
              fit_text(fo.title, fo.title->FontSize, t, size.x));
  }
  draw_profile_panels(dl, pos, size, lay, snap, opt);
  if (const std::string caption = gradient_caption(snap, opt); !caption.empty())
    draw_figure_caption(dl, ImVec2(pos.x, lay.caption_y), size.x, caption, opt);
}

void draw_profile_panels(ImDrawList* dl, ImVec2 pos, ImVec2 size, const ProfileLayout& lay,
                         const Snapshot& snap, const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Metrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  if (opt.legend) draw_legend(dl, fo, f, ImVec2(pos.x, lay.legend_y), size.x, snap, opt, pal, lay);
  if (snap.columns.empty()) return;
  for (const ProfilePanel& p : lay.panels) draw_panel(dl, fo, m, p, snap, opt, pal, lay.layers);
}

}  // namespace initscope::render
