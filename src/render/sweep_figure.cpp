// The measured sweep figure, see sweep_figure.h.
#include "sweep_figure.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "color_maps.h"
#include "core/engine/activation.h"
#include "core/theory/mean_field.h"
#include "dashed_line.h"
#include "fonts.h"
#include "map_metrics.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

// Axis names as draw_subscripted text.
std::string sweep_axis_label(const std::string& name) {
  if (name == "sigma_w2") return "\xCF\x83_{w}\xC2\xB2 = Var(W) \xC3\x97 fan_in";
  if (name == "sigma_b2") return "\xCF\x83_{b}\xC2\xB2 = Var(b)";
  if (name == "depth") return "depth (layers)";
  if (name == "width") return "width (units per layer)";
  return name;
}
std::string sweep_axis_short(const std::string& name) {
  if (name == "sigma_w2") return "\xCF\x83_{w}\xC2\xB2";
  if (name == "sigma_b2") return "\xCF\x83_{b}\xC2\xB2";
  return name;
}

// A value column's symbol (the colour bar's label) and whether it is measured or theory.
struct SweepValueName {
  std::string symbol;
  const char* kind;  // "Measured", "Theory's" or "" (accuracies say it themselves)
};
SweepValueName sweep_value_name(const std::string& v) {
  if (v == "xi_c_measured") return {"\xCE\xBE_{c}", "Measured"};
  if (v == "xi_c_theory") return {"\xCE\xBE_{c}", "Theory's"};
  if (v == "q_measured") return {"q (last layer)", "Measured"};
  if (v == "q_star") return {"q*", "Theory's"};
  if (v == "c_measured") return {"c (last layer)", "Measured"};
  if (v == "c_star") return {"c*", "Theory's"};
  if (v == "chi1") return {"\xCF\x87\xE2\x82\x81", "Theory's"};
  if (v == "grad_ratio")
    return {"\xE2\x80\x96\xE2\x88\x82L/\xE2\x88\x82W\xE2\x80\x96 first/last", "Measured"};
  if (v == "train_accuracy") return {"training accuracy", ""};
  if (v == "test_accuracy") return {"test accuracy", ""};
  return {v, ""};
}

std::optional<Activation> sweep_activation(const SweepCells& c) {
  if (c.activation.empty()) return std::nullopt;
  try {
    return Activation::parse(c.activation);
  } catch (...) {
    return std::nullopt;  // a name this build does not know: no theory line
  }
}

// Edges of cells centred on `v` (ascending, ≥ 2): half-way between neighbours.
std::pair<double, double> sweep_outer_edges(const std::vector<double>& v) {
  return {v.front() - (v[1] - v[0]) / 2, v.back() + (v.back() - v[v.size() - 2]) / 2};
}

// Ticks of an axis: at every grid value when they fit `intervals` + 1 ticks (a grid of a few
// values reads best labelled at its cells), else at nice steps — whole numbers for depth and
// width.
std::vector<double> sweep_axis_ticks(const std::vector<double>& v, const std::string& name,
                                     int intervals) {
  if (static_cast<int>(v.size()) <= intervals + 1) return v;
  if (name != "depth" && name != "width") return nice_ticks(v.front(), v.back(), intervals);
  const long long step = nice_integer_step(v.back() - v.front(), intervals);
  std::vector<double> t;
  for (long long k = static_cast<long long>(std::ceil(v.front() / double(step))) * step;
       k <= v.back(); k += step)
    t.push_back(double(k));
  return t;
}

float sweep_color_t(const SweepFigureLayout& lay, double v) {
  if (lay.color_hi <= lay.color_lo) return 0.5f;
  const double t = lay.log_color
                       ? std::log(v / lay.color_lo) / std::log(lay.color_hi / lay.color_lo)
                       : (v - lay.color_lo) / (lay.color_hi - lay.color_lo);
  return static_cast<float>(std::clamp(t, 0.0, 1.0));
}

void draw_sweep_cells(ImDrawList* dl, const SweepFigureLayout& lay, const SweepCells& c) {
  const size_t nx = c.xs.size(), ny = c.ys.size();
  auto edge = [](const std::vector<double>& v, size_t i, double lo, double hi) {
    return i == 0 ? lo : i == v.size() ? hi : (v[i - 1] + v[i]) / 2;
  };
  for (size_t iy = 0; iy < ny; ++iy)
    for (size_t ix = 0; ix < nx; ++ix) {
      const double v = c.at(ix, iy);
      if (std::isnan(v)) continue;
      const ImVec2 a = sweep_point_pos(lay, edge(c.xs, ix, lay.x_lo, lay.x_hi),
                                       edge(c.ys, iy, lay.y_lo, lay.y_hi));
      const ImVec2 b = sweep_point_pos(lay, edge(c.xs, ix + 1, lay.x_lo, lay.x_hi),
                                       edge(c.ys, iy + 1, lay.y_lo, lay.y_hi));
      dl->AddRectFilled(ImVec2(std::round(a.x), std::round(b.y)),
                        ImVec2(std::round(b.x), std::round(a.y)),
                        count_color(sweep_color_t(lay, v)));
    }
}

void draw_sweep_axes(ImDrawList* dl, const Fonts& fo, const MapMetrics& m,
                     const SweepFigureLayout& lay, const SweepCells& c, const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = lay.plot;
  dl->AddRect(ImVec2(r.x0 - 0.5f, r.y0 - 0.5f), ImVec2(r.x1 + 0.5f, r.y1 + 0.5f), pal.axis);
  const int want_x = std::max(2, static_cast<int>((r.x1 - r.x0) / (5.0f * f)));
  float last_right = -1e30f;
  for (double v : sweep_axis_ticks(c.xs, c.x_name, want_x)) {
    const float x = std::round(sweep_point_pos(lay, v, lay.y_lo).x) + 0.5f;
    dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.3f * f), pal.axis);
    const std::string t = format_number(v);
    const float tw = text_size(fo.regular, s, t).x;
    if (x - tw / 2 < last_right + 0.5f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(x - tw / 2, r.y1 + 0.35f * f), pal.text_dim, t);
    last_right = x + tw / 2;
  }
  const std::string xl = sweep_axis_label(c.x_name);
  const float xw = subscripted_size(fo.regular, f, xl).x;
  draw_subscripted(dl, fo.regular, f, ImVec2((r.x0 + r.x1 - xw) / 2, r.y1 + 1.5f * f), pal.text,
                   xl);
  const int want_y = std::max(2, static_cast<int>((r.y1 - r.y0) / (2.5f * f)));
  float last_top = 1e30f;
  for (double v : sweep_axis_ticks(c.ys, c.y_name, want_y)) {
    const float y = std::round(sweep_point_pos(lay, lay.x_lo, v).y) + 0.5f;
    dl->AddLine(ImVec2(r.x0 - 0.3f * f, y), ImVec2(r.x0, y), pal.axis);
    const std::string t = format_number(v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    if (y + ts.y / 2 > last_top) continue;
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.45f * f - ts.x, y - ts.y / 2), pal.text_dim, t);
    last_top = y - ts.y / 2;
  }
  draw_subscripted(dl, fo.regular, f, ImVec2(r.x0 - m.ylabel_w + 0.2f * f, r.y0 - m.top_label_h),
                   pal.text, sweep_axis_label(c.y_name));
}

// A theory line with a halo in the background colour, readable over every colour of the map.
void draw_sweep_line(ImDrawList* dl, const std::vector<ImVec2>& pts, bool dashed, float f,
                     const Palette& pal) {
  if (pts.size() < 2) return;
  const float thick = std::max(2.0f, 0.14f * f);
  // The halo solid under a dashed line too: dashes on a band of the background colour.
  dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), pal.background, 0, 2.4f * thick);
  if (dashed)
    add_dashed_polyline(dl, pts, pal.text, thick, 0.8f * f, 0.4f * f);
  else
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), pal.text, 0, thick);
}

// "ordered χ₁ < 1" and "chaotic χ₁ > 1" at the top or bottom of the plot, either side of the
// critical line's point there (`x`), each on a badge of the background colour; a name that does not
// fit on its side is left out.
void draw_sweep_phase_names(ImDrawList* dl, const CellRect& r, float x, bool at_top, float f,
                            const Palette& pal) {
  const Fonts fo = fonts();
  const float s = 0.9f * f, y = at_top ? r.y0 + 0.6f * f : r.y1 - 1.6f * f;
  auto badge = [&](const std::string& t, bool left_of_line) {
    const ImVec2 ts = text_size(fo.regular, s, t);
    const float x0 = left_of_line ? x - 0.8f * f - ts.x : x + 0.8f * f;
    if (x0 < r.x0 + 0.3f * f || x0 + ts.x > r.x1 - 0.3f * f) return;
    dl->AddRectFilled(ImVec2(x0 - 0.3f * f, y - 0.1f * f), ImVec2(x0 + ts.x + 0.3f * f, y + ts.y),
                      pal.background, 0.2f * f);
    draw_text(dl, fo.regular, s, ImVec2(x0, y), pal.text, t);
  };
  badge("ordered  \xCF\x87\xE2\x82\x81 < 1", true);
  badge("chaotic  \xCF\x87\xE2\x82\x81 > 1", false);
}

// The theory over the cells; returns which lines it drew (for the legend).
struct SweepTheoryDrawn {
  bool critical = false, depth_scale = false;
};
SweepTheoryDrawn draw_sweep_theory(ImDrawList* dl, const SweepFigureLayout& lay,
                                   const SweepCells& c, float f, const Palette& pal) {
  SweepTheoryDrawn drawn;
  const std::optional<Activation> act = sweep_activation(c);
  if (c.x_name != "sigma_w2") return drawn;
  const CellRect& r = lay.plot;
  dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), true);
  std::vector<ImVec2> pts;
  if (act && c.y_name == "sigma_b2") {
    constexpr int kSamples = 64;  // the critical line is smooth: 64 samples look straight-edged
    for (int k = 0; k <= kSamples; ++k) {
      // From σ_b² = 0 (no negative variance): repeated points would make ImGui's joins spike.
      const double lo = std::max(0.0, lay.y_lo), b2 = lo + (lay.y_hi - lo) * k / kSamples;
      const double w2 = critical_sigma_w2(*act, b2);
      if (std::isfinite(w2)) pts.push_back(sweep_point_pos(lay, w2, b2));
    }
  } else if (act && std::isfinite(c.sigma_b2)) {
    const double w2 = critical_sigma_w2(*act, c.sigma_b2);
    if (std::isfinite(w2))
      pts = {sweep_point_pos(lay, w2, lay.y_lo), sweep_point_pos(lay, w2, lay.y_hi)};
  }
  draw_sweep_line(dl, pts, false, f, pal);
  drawn.critical = pts.size() >= 2 && pts.front().x <= r.x1 && pts.back().x >= r.x0;
  // The names where the line leaves the plot's top on a σ_b² axis (its bottom hugs σ_w² = 1
  // for odd activations), else at the bottom (the 6·ξ_c curve runs off the top there).
  const bool at_top = c.y_name == "sigma_b2";
  if (drawn.critical) {
    ImVec2 anchor = pts.front();
    for (const ImVec2& q : pts)
      if (q.y >= r.y0) anchor = q;  // the last point still inside the plot
    draw_sweep_phase_names(dl, r, at_top ? anchor.x : pts.front().x, at_top, f, pal);
  }
  if (c.y_name == "depth" && !c.xi_c_theory.empty()) {
    // 6·ξ_c per σ_w² of the sweep; ξ_c = ∞ at the critical point runs off the top (clipped).
    pts.clear();
    const double top = lay.y_hi + 10 * (lay.y_hi - lay.y_lo);
    for (size_t i = 0; i < c.xs.size(); ++i) {
      const double xi = c.xi_c_theory[i];
      if (std::isnan(xi)) continue;
      pts.push_back(sweep_point_pos(lay, c.xs[i], std::min(6 * xi, top)));
    }
    draw_sweep_line(dl, pts, true, f, pal);
    drawn.depth_scale = pts.size() >= 2;
  }
  dl->PopClipRect();
  return drawn;
}

void draw_sweep_legend(ImDrawList* dl, const Fonts& fo, float f, ImVec2 p,
                       const SweepTheoryDrawn& drawn, bool missing, const Palette& pal) {
  auto entry = [&](bool dashed, const std::string& text) {
    const float y = std::round(p.y + 0.6f * f);
    draw_sweep_line(dl, {ImVec2(p.x, y), ImVec2(p.x + 2.2f * f, y)}, dashed, f, pal);
    draw_subscripted(dl, fo.regular, f, ImVec2(p.x + 2.7f * f, p.y), pal.text, text);
    p.x += 2.7f * f + subscripted_size(fo.regular, f, text).x + 1.6f * f;
  };
  if (drawn.critical) entry(false, "critical line  \xCF\x87\xE2\x82\x81 = 1 (theory)");
  if (drawn.depth_scale)
    entry(true, "6\xC2\xB7\xCE\xBE_{c} (theory): deeper than this does not train");
  if (missing) {
    dl->AddRectFilled(ImVec2(p.x, p.y + 0.1f * f), ImVec2(p.x + 2.2f * f, p.y + 1.1f * f),
                      pal.cell);
    dl->AddRect(ImVec2(p.x, p.y + 0.1f * f), ImVec2(p.x + 2.2f * f, p.y + 1.1f * f), pal.axis);
    draw_text(dl, fo.regular, f, ImVec2(p.x + 2.7f * f, p.y), pal.text, "no number measured");
  }
}

// `right`: the figure's right edge, which the bar's label must not pass.
void draw_sweep_colorbar(ImDrawList* dl, const Fonts& fo, const MapMetrics& m,
                         const SweepFigureLayout& lay, const SweepCells& c, float right,
                         const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = lay.colorbar;
  draw_color_strip(dl, r, count_color, pal.axis);
  const std::string label = sweep_value_name(c.value_name).symbol;
  const float lw = subscripted_size(fo.regular, f, label).x;
  draw_subscripted(dl, fo.regular, f, ImVec2(std::min(r.x0, right - lw), r.y0 - 1.4f * f), pal.text,
                   label);
  std::vector<double> ticks;
  if (lay.log_color) {
    // 1, 2, 5 × 10^k over up to three decades, else the powers of ten alone.
    const bool decades_only = lay.color_hi / lay.color_lo > 1e3;
    for (double p = std::pow(10.0, std::floor(std::log10(lay.color_lo))); p <= lay.color_hi;
         p *= 10)
      for (double k : {1.0, 2.0, 5.0})
        if (k * p >= lay.color_lo && k * p <= lay.color_hi && (k == 1 || !decades_only))
          ticks.push_back(k * p);
  } else {
    ticks = nice_ticks(lay.color_lo, lay.color_hi, std::max(2, int((r.y1 - r.y0) / (2.5f * f))));
  }
  float last_top = 1e30f;
  for (double v : ticks) {
    const float y = std::round(r.y1 - sweep_color_t(lay, v) * (r.y1 - r.y0)) + 0.5f;
    const std::string t = format_number(v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    if (y + ts.y / 2 > last_top) continue;
    dl->AddLine(ImVec2(r.x1, y), ImVec2(r.x1 + 0.3f * f, y), pal.axis);
    draw_text(dl, fo.regular, s, ImVec2(r.x1 + 0.45f * f, y - ts.y / 2), pal.text_dim, t);
    last_top = y - ts.y / 2;
  }
}

// The line under the title that says how accuracy columns were trained (0 when there is none).
float sweep_subtitle_h(const SweepCells& c, const FigureOptions& opt, float f) {
  return opt.title && !c.training.empty() ? std::round(1.4f * f) : 0;
}

}  // namespace

SweepFigureLayout sweep_figure_layout(ImVec2 pos, ImVec2 size, const SweepCells& c,
                                      const FigureOptions& opt, float font_px) {
  const MapMetrics m(font_px, opt, 3.4f);
  SweepFigureLayout l;
  const float x0 = std::round(pos.x + m.ylabel_w);
  const float y0 = std::round(pos.y + m.title_h + sweep_subtitle_h(c, opt, font_px) + m.legend_h +
                              m.top_label_h);
  const float x1 = std::round(pos.x + size.x - m.bar_gap - m.bar_w - 0.45f * m.f - m.bar_label_w);
  const float y1 = std::round(pos.y + size.y - m.axis_h);
  l.plot = {x0, y0, std::max(x0 + 4, x1), std::max(y0 + 4, y1)};
  const float bx = l.plot.x1 + m.bar_gap;
  l.colorbar = {bx, l.plot.y0, bx + m.bar_w, l.plot.y1};
  if (c.xs.size() >= 2 && c.ys.size() >= 2) {
    std::tie(l.x_lo, l.x_hi) = sweep_outer_edges(c.xs);
    std::tie(l.y_lo, l.y_hi) = sweep_outer_edges(c.ys);
  }
  double lo = INFINITY, hi = -INFINITY;
  for (double v : c.mean)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo <= hi) l.color_lo = lo, l.color_hi = hi;
  l.log_color = lo > 0 && hi / lo >= 20;
  return l;
}

ImVec2 sweep_point_pos(const SweepFigureLayout& lay, double x, double y) {
  const CellRect& r = lay.plot;
  const double tx = (x - lay.x_lo) / (lay.x_hi - lay.x_lo);
  const double ty = (y - lay.y_lo) / (lay.y_hi - lay.y_lo);
  return ImVec2(r.x0 + float(tx) * (r.x1 - r.x0), r.y1 - float(ty) * (r.y1 - r.y0));
}

std::string sweep_figure_title(const SweepCells& c) {
  const SweepValueName v = sweep_value_name(c.value_name);
  std::string t = std::string(v.kind) + (*v.kind ? " " : "") + v.symbol;
  if (!*v.kind) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
  t += " over " + sweep_axis_short(c.x_name) + ", " + sweep_axis_short(c.y_name);
  std::vector<std::string> fixed;
  if (!c.activation.empty()) fixed.push_back(c.activation);
  auto add = [&](const std::string& name, const std::string& label, double v) {
    if (c.x_name != name && c.y_name != name && std::isfinite(v))
      fixed.push_back(label + " " + format_number(v));
  };
  add("sigma_b2", "\xCF\x83_{b}\xC2\xB2", c.sigma_b2);
  add("depth", "depth", c.depth);
  add("width", "width", c.width);
  if (c.seeds > 0) fixed.push_back(std::to_string(c.seeds) + (c.seeds == 1 ? " seed" : " seeds"));
  for (size_t i = 0; i < fixed.size(); ++i) t += (i == 0 ? " \xE2\x80\x94 " : ", ") + fixed[i];
  return t;
}

void draw_sweep_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, const SweepCells& c,
                       const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const MapMetrics m(f, opt, 3.4f);
  const Palette& pal = palette(opt.theme);
  const SweepFigureLayout lay = sweep_figure_layout(pos, size, c, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    // Shrunk (down to the body text's size) rather than cut when it is wider than the figure.
    const std::string title = sweep_figure_title(c);
    const float tf = fo.title->FontSize, tw = subscripted_size(fo.title, tf, title).x;
    const float ts = tw > size.x ? std::max(0.8f * tf, tf * size.x / tw) : tf;
    draw_subscripted(dl, fo.title, ts, ImVec2(pos.x, pos.y + std::round(0.25f * f + tf - ts)),
                     pal.text, title);
    if (!c.training.empty())
      draw_text(dl, fo.regular, f, ImVec2(pos.x, pos.y + m.title_h + std::round(0.1f * f)),
                pal.text_dim, "each point trained " + c.training);
  }
  const CellRect& r = lay.plot;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  if (c.xs.size() < 2 || c.ys.size() < 2) return;
  draw_sweep_cells(dl, lay, c);
  const SweepTheoryDrawn drawn = draw_sweep_theory(dl, lay, c, f, pal);
  if (opt.legend)
    draw_sweep_legend(
        dl, fo, f,
        ImVec2(pos.x, pos.y + m.title_h + sweep_subtitle_h(c, opt, f) + std::round(0.2f * f)),
        drawn, std::any_of(c.mean.begin(), c.mean.end(), [](double v) { return std::isnan(v); }),
        pal);
  draw_sweep_axes(dl, fo, m, lay, c, pal);
  draw_sweep_colorbar(dl, fo, m, lay, c, pos.x + size.x, pal);
}

}  // namespace initscope::render
