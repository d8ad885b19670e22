// The phase diagram, see phase_diagram.h.
//
//  [Phase diagram — tanh ........................ χ₁ = σ_w²·E[φ'(z)²] at the fixed point]
//  [● normal:std=0.01 σ_w² 0.05   ● xavier_normal σ_w² 1   ● … (legend)                 ]
//  [σ_b²                                                                         χ₁    ]
//  [0.5 ┤ordered      ╱ critical χ₁ = 1         chaotic                         ▇ 2    ]
//  [    ┤   ●        ╱                ●                                         ▇ 1    ]
//  [  0 ┤___________╱______________________________________                     ▇ 0.1  ]
//  [     0         1         2         3         4   σ_w² (Var(W) × fan_in)            ]
#include "phase_diagram.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "color_maps.h"
#include "fonts.h"
#include "map_metrics.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

constexpr double kSigmaB2Max = 0.5;
constexpr double kSigmaW2Min = 4;
constexpr int kSamplesW = 121, kSamplesB = 61;

GridAxis default_w2() {
  return {0, kSigmaW2Min, kSamplesW};
}
GridAxis default_b2() {
  return {0, kSigmaB2Max, kSamplesB};
}

// Colour of the plane at one grid sample.
ImU32 sample_color(const PhaseGrid& g, int iw, int ib, Theme theme) {
  return chi1_color(chi1_position(g.chi1[size_t(ib) * g.sigma_w2.n + iw]), theme);
}

// The χ₁ field as one Gouraud-shaded mesh: a vertex per grid sample, two triangles per cell.
void draw_field(ImDrawList* dl, const PhaseLayout& lay, const PhaseGrid& g, Theme theme) {
  const int nw = g.sigma_w2.n, nb = g.sigma_b2.n;
  if (nw < 2 || nb < 2 || g.chi1.size() != size_t(nw) * nb) return;
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  dl->PrimReserve((nw - 1) * (nb - 1) * 6, nw * nb);
  const unsigned base = dl->_VtxCurrentIdx;
  for (int ib = 0; ib < nb; ++ib)
    for (int iw = 0; iw < nw; ++iw)
      dl->PrimWriteVtx(phase_point_pos(lay, g.sigma_w2.value(iw), g.sigma_b2.value(ib)), uv,
                       sample_color(g, iw, ib, theme));
  for (int ib = 0; ib + 1 < nb; ++ib)
    for (int iw = 0; iw + 1 < nw; ++iw) {
      const auto v = [&](int w, int b) { return static_cast<ImDrawIdx>(base + b * nw + w); };
      dl->PrimWriteIdx(v(iw, ib));
      dl->PrimWriteIdx(v(iw + 1, ib));
      dl->PrimWriteIdx(v(iw + 1, ib + 1));
      dl->PrimWriteIdx(v(iw, ib));
      dl->PrimWriteIdx(v(iw + 1, ib + 1));
      dl->PrimWriteIdx(v(iw, ib + 1));
    }
}

void draw_axes(ImDrawList* dl, const Fonts& fo, const MapMetrics& m, const PhaseLayout& lay,
               const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  const CellRect& r = lay.frame;  // ticks on the box; their values where the plane puts them
  dl->AddRect(ImVec2(r.x0 - 0.5f, r.y0 - 0.5f), ImVec2(r.x1 + 0.5f, r.y1 + 0.5f), pal.axis);
  const int want_x = std::max(2, static_cast<int>((r.x1 - r.x0) / (5.0f * f)));
  float last_right = -1e30f;
  for (double v : nice_ticks(lay.sigma_w2.lo, lay.sigma_w2.hi, want_x)) {
    const float x = std::round(phase_point_pos(lay, v, lay.sigma_b2.lo).x) + 0.5f;
    dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.3f * f), pal.axis);
    const std::string t = format_number(v);
    const float tw = text_size(fo.regular, s, t).x;
    const float tx = std::clamp(x - tw / 2, r.x0 - tw / 2, r.x1 - tw / 2);
    if (tx < last_right + 0.5f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.35f * f), pal.text_dim, t);
    last_right = tx + tw;
  }
  const std::string xl = "\xCF\x83_{w}\xC2\xB2 = Var(W) \xC3\x97 fan_in";
  const float xw = subscripted_size(fo.regular, f, xl).x;
  draw_subscripted(dl, fo.regular, f, ImVec2((r.x0 + r.x1 - xw) / 2, r.y1 + 1.5f * f), pal.text,
                   xl);

  const int want_y = std::max(2, static_cast<int>((r.y1 - r.y0) / (2.5f * f)));
  float last_top = 1e30f;
  for (double v : nice_ticks(lay.sigma_b2.lo, lay.sigma_b2.hi, want_y)) {
    const float y = std::round(phase_point_pos(lay, lay.sigma_w2.lo, v).y) + 0.5f;
    dl->AddLine(ImVec2(r.x0 - 0.3f * f, y), ImVec2(r.x0, y), pal.axis);
    const std::string t = format_number(v);
    const ImVec2 ts = text_size(fo.regular, s, t);
    const float ty = std::clamp(y - ts.y / 2, r.y0 - 0.2f * f, r.y1 - ts.y + 0.2f * f);
    if (ty + ts.y > last_top) continue;
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.45f * f - ts.x, ty), pal.text_dim, t);
    last_top = ty;
  }
  draw_subscripted(dl, fo.regular, f, ImVec2(r.x0 - m.ylabel_w + 0.2f * f, r.y0 - m.top_label_h),
                   pal.text, "\xCF\x83_{b}\xC2\xB2 = Var(b), one bias for all columns");
}

// The critical line χ₁ = 1 with its label, and the phase names on either side.
void draw_critical_line(ImDrawList* dl, const Fonts& fo, const MapMetrics& m,
                        const PhaseLayout& lay, const PhaseGrid& g, const FigureOptions& opt,
                        const Palette& pal) {
  const float f = m.f;
  const CellRect& r = lay.plot;
  std::vector<ImVec2> pts;
  double mean_w2 = 0;
  int n = 0;
  for (int ib = 0; ib < g.sigma_b2.n && ib < static_cast<int>(g.critical_sigma_w2.size()); ++ib) {
    const double w2 = g.critical_sigma_w2[ib];
    if (!std::isfinite(w2) || w2 < lay.sigma_w2.lo || w2 > lay.sigma_w2.hi) continue;
    pts.push_back(phase_point_pos(lay, w2, g.sigma_b2.value(ib)));
    mean_w2 += w2, ++n;
  }
  const float thick = std::max(2.0f, 0.14f * f);
  dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), true);
  if (pts.size() >= 2) {
    // A halo in the background colour keeps the line readable over every colour of the map.
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), pal.background, 0, 2.2f * thick);
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), pal.text, 0, thick);
  }
  dl->PopClipRect();
  // Phase names at the top of the plane, on the side they name; text in black or white for the
  // colour under it.
  const double split = n > 0 ? mean_w2 / n : lay.sigma_w2.hi;
  // Where a name's left edge goes (centred on w2, kept inside the plane).
  auto left = [&](const std::string& t, double w2) {
    const float w = text_size(fo.bold, f, t).x;
    const float x = phase_point_pos(lay, w2, lay.sigma_b2.hi).x - w / 2;
    return std::clamp(x, r.x0 + 0.4f * f, r.x1 - w - 0.4f * f);
  };
  auto label = [&](const std::string& t, double w2) {
    const int iw = std::clamp(
        static_cast<int>(std::lround((w2 - g.sigma_w2.lo) / (g.sigma_w2.hi - g.sigma_w2.lo) *
                                     (g.sigma_w2.n - 1))),
        0, g.sigma_w2.n - 1);
    const ImU32 under = sample_color(g, iw, g.sigma_b2.n - 1, opt.theme);
    draw_text(dl, fo.bold, f, ImVec2(left(t, w2), r.y0 + 0.4f * f), contrast_text(under), t);
  };
  const double ordered_w2 = (lay.sigma_w2.lo + split) / 2,
               chaotic_w2 = (split + lay.sigma_w2.hi) / 2;
  // The names with χ₁ when both fit side by side, else the bare names; else only "ordered".
  const std::string chi_lt = "  \xCF\x87\xE2\x82\x81 < 1", chi_gt = "  \xCF\x87\xE2\x82\x81 > 1";
  auto apart = [&](const std::string& a, const std::string& b) {
    return left(a, ordered_w2) + text_size(fo.bold, f, a).x + f <= left(b, chaotic_w2);
  };
  const bool with_chi = n == 0 || apart("ordered" + chi_lt, "chaotic" + chi_gt);
  label(with_chi ? "ordered" + chi_lt : "ordered", ordered_w2);
  if (n > 0 && (with_chi || apart("ordered", "chaotic")))
    label(with_chi ? "chaotic" + chi_gt : "chaotic", chaotic_w2);
  if (pts.size() >= 2) {
    // "critical" beside the line's upper end.
    const ImVec2 top = pts.back();
    const char* t = "critical  \xCF\x87\xE2\x82\x81 = 1";
    const ImVec2 ts = text_size(fo.regular, 0.9f * f, t);
    const float x = std::clamp(top.x + 0.5f * f, r.x0, r.x1 - ts.x - 0.3f * f);
    const float y = std::clamp(top.y + 2.0f * f, r.y0, r.y1 - ts.y);
    dl->AddRectFilled(ImVec2(x - 0.2f * f, y), ImVec2(x + ts.x + 0.2f * f, y + ts.y),
                      pal.background, 0.2f * f);
    draw_text(dl, fo.regular, 0.9f * f, ImVec2(x, y), pal.text, t);
  }
}

void draw_colorbar(ImDrawList* dl, const Fonts& fo, const MapMetrics& m, const CellRect& r,
                   Theme theme, const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  draw_color_strip(
      dl, r, [&](float t) { return chi1_color(2.0 * t - 1, theme); }, pal.axis);
  draw_text(dl, fo.regular, f, ImVec2(r.x0, r.y0 - 1.4f * f), pal.text, "\xCF\x87\xE2\x82\x81");
  // Labels in order of importance (1 first, then the ends, then between), each drawn only
  // where it does not touch one already drawn.
  std::vector<std::pair<float, float>> taken;  // label spans in y
  for (double chi : {1.0, kChi1Min, kChi1Max, 0.5, 1.5, 0.2}) {
    const float y = std::round(r.y1 - float((chi1_position(chi) + 1) / 2) * (r.y1 - r.y0)) + 0.5f;
    dl->AddLine(ImVec2(r.x1, y), ImVec2(r.x1 + 0.3f * f, y), pal.axis);
    const std::string t = format_number(chi);
    const ImVec2 ts = text_size(fo.regular, s, t);
    const float y0 = y - ts.y / 2, y1 = y + ts.y / 2;
    if (std::any_of(taken.begin(), taken.end(),
                    [&](const auto& span) { return y1 > span.first && y0 < span.second; }))
      continue;
    taken.emplace_back(y0, y1);
    draw_text(dl, fo.regular, s, ImVec2(r.x1 + 0.45f * f, y0), chi == 1.0 ? pal.text : pal.text_dim,
              t);
  }
}

// A column's marker: a disc in its colour with a ring of the background and one of the text
// colour (readable on every colour of the map); off the chart, a triangle pointing out with the
// value beside it.
void draw_marker(ImDrawList* dl, const Fonts& fo, const MapMetrics& m, const PhaseLayout& lay,
                 ImVec2 p, double w2, double b2, ImU32 col, bool selected, const Palette& pal) {
  const float f = m.f, rad = std::round(0.42f * f);
  const bool right = w2 > lay.sigma_w2.hi, up = b2 > lay.sigma_b2.hi;
  if (right || up) {
    // The tip on the edge, pointing out of the chart (right when σ_w² is beyond, else up).
    const float s = 0.75f * f;
    const ImVec2 tri[3] = {
        p, right ? ImVec2(p.x - s, p.y - s * 0.6f) : ImVec2(p.x - s * 0.6f, p.y + s),
        right ? ImVec2(p.x - s, p.y + s * 0.6f) : ImVec2(p.x + s * 0.6f, p.y + s)};
    dl->AddTriangleFilled(tri[0], tri[1], tri[2], col);
    dl->AddTriangle(tri[0], tri[1], tri[2], pal.text, 1.5f);
    const std::string t = right ? "\xCF\x83_{w}\xC2\xB2 " + format_number(w2) + " \xE2\x86\x92"
                                : "\xCF\x83_{b}\xC2\xB2 " + format_number(b2) + " \xE2\x86\x91";
    const ImVec2 ts = subscripted_size(fo.regular, 0.85f * f, t);
    const ImVec2 tp = right ? ImVec2(p.x - s - 0.3f * f - ts.x, p.y - ts.y / 2)
                            : ImVec2(p.x + 0.6f * s + 0.3f * f, p.y + 0.1f * f);
    dl->AddRectFilled(ImVec2(tp.x - 0.2f * f, tp.y), ImVec2(tp.x + ts.x + 0.2f * f, tp.y + ts.y),
                      pal.background, 0.2f * f);
    draw_subscripted(dl, fo.regular, 0.85f * f, tp, pal.text, t);
  } else {
    dl->AddCircleFilled(p, rad + 2.5f, pal.text, 24);
    dl->AddCircleFilled(p, rad + 1.0f, pal.background, 24);
    dl->AddCircleFilled(p, rad, col, 24);
  }
  if (selected) dl->AddCircle(p, rad + 0.45f * f, pal.text, 32, std::max(2.0f, 0.12f * f));
}

// "● spec  σ_w² 2" per column; without the σ_w² values when they do not all fit, and columns
// that still do not fit left out whole.
void draw_legend(ImDrawList* dl, const Fonts& fo, const MapMetrics& m, float x, float y,
                 float width, const Snapshot& snap, const FigureOptions& opt, int selected,
                 const Palette& pal) {
  const float f = m.f, rad = std::round(0.38f * f), right = x + width;
  const size_t n = std::min(snap.columns.size(), snap.theory.size());
  auto entry = [&](size_t c, bool values) {
    std::string t = snap.columns[c].init;
    if (!values) return t;
    const EffectiveInit& init = snap.theory[c].init;
    t += std::isnan(init.sigma_w2) ? "  (no \xCF\x83_{w}\xC2\xB2)"
                                   : "  \xCF\x83_{w}\xC2\xB2 " + format_number(init.sigma_w2);
    return t;
  };
  auto font = [&](size_t c) { return static_cast<int>(c) == selected ? fo.bold : fo.regular; };
  auto entry_w = [&](size_t c, bool values) {
    return 2 * rad + 0.4f * f + subscripted_size(font(c), f, entry(c, values)).x + 1.4f * f;
  };
  float all = 0;
  for (size_t c = 0; c < n; ++c) all += entry_w(c, true);
  const bool values = all <= width + 1.4f * f;
  for (size_t c = 0; c < n; ++c) {
    const std::string t = entry(c, values);
    const float tw = subscripted_size(font(c), f, t).x;
    if (x + 2 * rad + 0.4f * f + tw > right) break;
    dl->AddCircleFilled(ImVec2(x + rad, y + 0.6f * f), rad, column_color(int(c), opt.theme), 16);
    draw_subscripted(dl, font(c), f, ImVec2(x + 2 * rad + 0.4f * f, y), pal.text, t);
    x += entry_w(c, values);
  }
}

}  // namespace

PhaseGrid phase_diagram_grid(const Activation& act) {
  double critical = 0;
  for (double b2 : {0.0, kSigmaB2Max}) {
    const double w2 = critical_sigma_w2(act, b2);
    if (std::isfinite(w2)) critical = std::max(critical, w2);
  }
  const double hi = std::max(kSigmaW2Min, nice_ceil(1.25 * critical));
  return phase_grid(act, GridAxis{0, hi, kSamplesW}, default_b2());
}

PhaseLayout phase_layout(ImVec2 pos, ImVec2 size, const PhaseGrid* grid, const FigureOptions& opt,
                         float font_px) {
  const MapMetrics m(font_px, opt, 3.0f);
  PhaseLayout l;
  l.sigma_w2 = grid ? grid->sigma_w2 : default_w2();
  l.sigma_b2 = grid ? grid->sigma_b2 : default_b2();
  l.legend_y = pos.y + m.title_h + std::round(0.2f * m.f);
  const float x0 = std::round(pos.x + m.ylabel_w);
  const float y0 = std::round(pos.y + m.title_h + m.legend_h + m.top_label_h);
  const float x1 = std::round(pos.x + size.x - m.bar_gap - m.bar_w - 0.45f * m.f - m.bar_label_w);
  const float y1 = std::round(pos.y + size.y - m.axis_h);
  l.frame = {x0, y0, std::max(x0 + 4, x1), std::max(y0 + 4, y1)};
  // The marker's disc (draw_marker: 0.42 font sizes), the selected column's ring around it
  // (0.45 font sizes further, its line max(2, 0.12 f) thick) and two pixels more.
  const float ring = std::round(0.42f * m.f) + 0.45f * m.f + 0.5f * std::max(2.0f, 0.12f * m.f);
  const float inset =
      std::min(std::ceil(ring) + 2.0f,
               std::floor(std::min(l.frame.x1 - l.frame.x0, l.frame.y1 - l.frame.y0) / 4));
  l.plot = {l.frame.x0 + inset, l.frame.y0 + inset, l.frame.x1 - inset, l.frame.y1 - inset};
  const float bx = l.frame.x1 + m.bar_gap;
  l.colorbar = {bx, l.frame.y0, bx + m.bar_w, l.frame.y1};
  // The marker's disc has a radius of 0.42 font sizes (draw_marker); a pointer within about
  // twice that picks it.
  l.marker_pick_radius = 0.8f * m.f;
  return l;
}

ImVec2 phase_point_pos(const PhaseLayout& lay, double sigma_w2, double sigma_b2) {
  const CellRect& r = lay.plot;
  const double tx = (sigma_w2 - lay.sigma_w2.lo) / (lay.sigma_w2.hi - lay.sigma_w2.lo);
  const double ty = (sigma_b2 - lay.sigma_b2.lo) / (lay.sigma_b2.hi - lay.sigma_b2.lo);
  return ImVec2(r.x0 + float(tx) * (r.x1 - r.x0), r.y1 - float(ty) * (r.y1 - r.y0));
}

std::optional<PhasePoint> phase_point_at(const PhaseLayout& lay, float x, float y) {
  const CellRect& box = lay.frame;
  if (x < box.x0 || x > box.x1 || y < box.y0 || y > box.y1) return std::nullopt;
  const CellRect& r = lay.plot;
  x = std::clamp(x, r.x0, r.x1), y = std::clamp(y, r.y0, r.y1);
  PhasePoint p;
  p.sigma_w2 = lay.sigma_w2.lo + (x - r.x0) / (r.x1 - r.x0) * (lay.sigma_w2.hi - lay.sigma_w2.lo);
  p.sigma_b2 = lay.sigma_b2.lo + (r.y1 - y) / (r.y1 - r.y0) * (lay.sigma_b2.hi - lay.sigma_b2.lo);
  return p;
}

std::optional<ImVec2> column_marker_pos(const PhaseLayout& lay, const Snapshot& snap, size_t c) {
  if (c >= snap.theory.size()) return std::nullopt;
  const EffectiveInit& init = snap.theory[c].init;
  if (!std::isfinite(init.sigma_w2) || !std::isfinite(init.sigma_b2)) return std::nullopt;
  const ImVec2 p = phase_point_pos(lay, init.sigma_w2, init.sigma_b2);
  const CellRect& r = lay.plot;
  return ImVec2(std::clamp(p.x, r.x0, r.x1), std::clamp(p.y, r.y0, r.y1));
}

int column_marker_at(const PhaseLayout& lay, const Snapshot& snap, ImVec2 p) {
  int best = -1;
  float best_d = lay.marker_pick_radius;
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    const std::optional<ImVec2> m = column_marker_pos(lay, snap, c);
    if (!m) continue;
    const float d = std::hypot(m->x - p.x, m->y - p.y);
    if (d <= best_d) best = static_cast<int>(c), best_d = d;
  }
  return best;
}

void draw_phase_diagram(ImDrawList* dl, ImVec2 pos, ImVec2 size, const PhaseGrid* grid,
                        const Snapshot& snap, const FigureOptions& opt, int selected_column) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const MapMetrics m(f, opt, 3.0f);
  const Palette& pal = palette(opt.theme);
  const PhaseLayout lay = phase_layout(pos, size, grid, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    const float tf = fo.title->FontSize, y = pos.y + std::round(0.25f * f);
    const std::string title = "Phase diagram \xE2\x80\x94 " + snap.experiment.activation.name();
    const float tw = text_size(fo.title, tf, title).x;
    draw_text(dl, fo.title, tf, ImVec2(pos.x, y), pal.text, title);
    // The definition of the colour, right-aligned: the longest that fits beside the title.
    const std::string chi =
        "\xCF\x87\xE2\x82\x81 = \xCF\x83_{w}\xC2\xB2\xC2\xB7"
        "E[\xCF\x86\xE2\x80\xB2(z)\xC2\xB2] at the fixed point";
    for (const std::string& right :
         {chi + ": growth per layer of a small change, and of a gradient", chi}) {
      const float rw = subscripted_size(fo.regular, f, right).x;
      if (tw + 2 * f + rw > size.x) continue;
      draw_subscripted(dl, fo.regular, f, ImVec2(pos.x + size.x - rw, y + (tf - f)), pal.text_dim,
                       right);
      break;
    }
  }
  if (opt.legend)
    draw_legend(dl, fo, m, pos.x, lay.legend_y, size.x, snap, opt, selected_column, pal);
  const CellRect& r = lay.plot;
  // The box around the plane: its margin keeps the markers of σ = 0 off the axis lines.
  dl->AddRectFilled(ImVec2(lay.frame.x0, lay.frame.y0), ImVec2(lay.frame.x1, lay.frame.y1),
                    pal.cell);
  if (grid) {
    draw_field(dl, lay, *grid, opt.theme);
    draw_critical_line(dl, fo, m, lay, *grid, opt, pal);
  } else {
    dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
    draw_text(dl, fo.regular, f, ImVec2(r.x0 + f, r.y0 + f), pal.text_dim,
              "computing the phase diagram\xE2\x80\xA6");
  }
  draw_axes(dl, fo, m, lay, pal);
  draw_colorbar(dl, fo, m, lay.colorbar, opt.theme, pal);
  // The selected marker last, on top.
  std::vector<size_t> order;
  for (size_t c = 0; c < snap.columns.size(); ++c)
    if (static_cast<int>(c) != selected_column) order.push_back(c);
  if (selected_column >= 0 && static_cast<size_t>(selected_column) < snap.columns.size())
    order.push_back(static_cast<size_t>(selected_column));
  for (size_t c : order) {
    const std::optional<ImVec2> p = column_marker_pos(lay, snap, c);
    if (!p) continue;
    const EffectiveInit& init = snap.theory[c].init;
    draw_marker(dl, fo, m, lay, *p, init.sigma_w2, init.sigma_b2,
                column_color(static_cast<int>(c), opt.theme),
                static_cast<int>(c) == selected_column, pal);
  }
}

}  // namespace initscope::render
