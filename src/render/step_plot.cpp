#include "step_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "color_maps.h"
#include "dashed_line.h"
#include "text.h"
#include "ticks.h"

namespace initscope::render {

StepPlotMetrics::StepPlotMetrics(float font_px, const FigureOptions& opt) : f(font_px) {
  title_h = opt.title ? std::round(1.9f * f) : 0;
  info_h = std::round(1.5f * f);
  legend_h = opt.legend ? std::round(1.8f * f) : 0;
  panel_title_h = std::round(1.6f * f);
  tick_h = std::round(2.8f * f);
  ylabel_w = std::round(4.2f * f);
  gap = std::round(1.6f * f);
}

float step_x(const CellRect& plot, double step, uint64_t total) {
  const float w = plot.x1 - plot.x0, margin = std::min(6.0f, 0.02f * w);
  const double t = total > 0 ? std::clamp(step / double(total), 0.0, 1.0) : 0.0;
  return plot.x0 + margin + static_cast<float>(t) * (w - 2 * margin);
}

uint64_t step_at(const CellRect& plot, float x, uint64_t total) {
  const float w = plot.x1 - plot.x0, margin = std::min(6.0f, 0.02f * w);
  const double t = std::clamp(double(x - plot.x0 - margin) / double(w - 2 * margin), 0.0, 1.0);
  return static_cast<uint64_t>(std::llround(t * double(total)));
}

float plot_y(const CellRect& plot, double t) {
  t = std::clamp(t, 0.0, 1.0);
  const float h = plot.y1 - plot.y0, pad = std::min(4.0f, 0.05f * h);
  return plot.y1 - pad - static_cast<float>(t) * (h - 2 * pad);
}

CellRect step_plot_rect(const StepPlotMetrics& m, float x, float y, float w, float ph) {
  CellRect r{std::round(x + m.ylabel_w), std::round(y + m.panel_title_h),
             std::round(x + w - 0.8f * m.f), std::round(y + ph - m.tick_h)};
  r.y1 = std::max(r.y1, r.y0 + 4), r.x1 = std::max(r.x1, r.x0 + 4);
  return r;
}

void place_plot_pair(float x, float top, float width, float height, const StepPlotMetrics& m,
                     CellRect& first, CellRect& second) {
  if (width >= 2.2f * height) {
    const float w = (width - m.gap) / 2;
    first = step_plot_rect(m, x, top, w, height);
    second = step_plot_rect(m, x + w + m.gap, top, w, height);
  } else {
    const float ph = (height - 0.5f * m.gap) / 2;
    first = step_plot_rect(m, x, top, width, ph);
    second = step_plot_rect(m, x, top + ph + 0.5f * m.gap, width, ph);
  }
}

void loss_axis_range(double mn, double mx, bool log, double max_decades, double& lo, double& hi) {
  if (!std::isfinite(mn)) {
    lo = log ? -1 : 0, hi = log ? 1 : 3;
  } else if (!log) {
    lo = 0, hi = nice_ceil(std::max(mx * 1.05, 1e-6));
  } else {
    hi = std::log10(mx), lo = std::max(std::log10(mn), hi - max_decades);
    const double span = hi - lo, mid = 0.5 * (lo + hi);
    if (span < 0.4)
      lo = mid - 0.2, hi = mid + 0.2;
    else
      lo -= 0.04 * span, hi += 0.04 * span;
  }
}

AxisTicks loss_axis_ticks(double lo, double hi, bool log) {
  AxisTicks out;
  const double span = hi - lo;
  if (log) {
    for (double v : log_ticks(lo, hi))
      out.emplace_back((std::log10(v) - lo) / span, format_number(v));
  } else {
    for (double v : nice_ticks(lo, hi, 4)) out.emplace_back((v - lo) / span, format_number(v));
  }
  return out;
}

double loss_axis_t(double v, double lo, double hi, bool log) {
  if (!std::isfinite(v) || (log && v <= 0)) return std::numeric_limits<double>::quiet_NaN();
  return ((log ? std::log10(v) : v) - lo) / (hi - lo);
}

void draw_step_axes(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r,
                    const AxisTicks& yticks, const StepAxis& x, const Palette& pal) {
  const float s = 0.85f * f;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  for (const auto& [tv, label] : yticks) {
    const float y = std::round(plot_y(r, tv)) + 0.5f;
    dl->AddLine(ImVec2(r.x0, y), ImVec2(r.x1, y), pal.grid_line);
    const ImVec2 ts = text_size(fo.regular, s, label);
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.3f * f - ts.x, y - ts.y / 2), pal.text_dim, label);
  }
  const uint64_t total = std::max<uint64_t>(1, x.total);
  const uint64_t spe = x.steps_per_epoch;
  // Every k-th epoch's line when they would be closer than 2 font sizes (30 epochs in a
  // narrow plot).
  const double epoch_px = spe > 0 ? double(r.x1 - r.x0) * double(spe) / double(total) : 0.0;
  const int every = epoch_px > 0 ? std::max(1, static_cast<int>(std::ceil(2.0 * f / epoch_px))) : 1;
  for (int e = every; e <= x.epochs && spe > 0; e += every) {
    const double a = double(e - 1) * double(spe),
                 b = std::min(double(e) * double(spe), double(total));
    const float xa = step_x(r, a, total), xb = step_x(r, b, total);
    if (e < x.epochs) {
      const float lx = std::round(xb) + 0.5f;
      dl->AddLine(ImVec2(lx, r.y0), ImVec2(lx, r.y1), pal.axis);
    }
    const std::string label = "epoch " + std::to_string(e);
    const float tw = text_size(fo.regular, s, label).x;
    if (tw + 0.6f * f <= xb - xa)
      draw_text(dl, fo.regular, s, ImVec2(0.5f * (xa + xb) - tw / 2, r.y1 + 1.45f * f),
                pal.text_dim, label);
  }
  // Step ticks at nice whole numbers, about one per 6.5 font sizes.
  const int intervals = std::max(2, static_cast<int>((r.x1 - r.x0) / (6.5f * f)));
  const long long step = nice_integer_step(double(total), intervals);
  float last_right = -1e30f;
  for (long long v = 0; v <= static_cast<long long>(total); v += step) {
    const float tx_mid = std::round(step_x(r, double(v), total)) + 0.5f;
    dl->AddLine(ImVec2(tx_mid, r.y1), ImVec2(tx_mid, r.y1 + 0.25f * f), pal.axis);
    const std::string label = std::to_string(v);
    const float tw = text_size(fo.regular, s, label).x;
    const float tx = std::clamp(tx_mid - tw / 2, r.x0 - tw / 2, r.x1 - tw);
    if (tx < last_right + 0.5f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.3f * f), pal.text_dim, label);
    last_right = tx + tw;
  }
  dl->AddLine(ImVec2(r.x0, r.y1 - 0.5f), ImVec2(r.x1, r.y1 - 0.5f), pal.axis);
  dl->AddLine(ImVec2(r.x0 + 0.5f, r.y0), ImVec2(r.x0 + 0.5f, r.y1), pal.axis);
}

float line_key_width(const Fonts& fo, float f, const LineKey& key) {
  const float s = 0.9f * f;
  return 2.0f * f + text_size(fo.regular, s, key.solid).x + key.spacing_f * f + 2.0f * f +
         text_size(fo.regular, s, key.dashed).x;
}

void draw_line_key(ImDrawList* dl, const Fonts& fo, float f, float x, float y, const LineKey& key,
                   const Palette& pal) {
  const float s = 0.9f * f;
  const float ym = std::round(y + 0.62f * f) + 0.5f, thick = std::max(1.5f, 0.12f * f);
  dl->AddLine(ImVec2(x, ym), ImVec2(x + 1.5f * f, ym), pal.text_dim, thick);
  draw_text(dl, fo.regular, s, ImVec2(x + 2.0f * f, y + 0.08f * f), pal.text_dim, key.solid);
  x += 2.0f * f + text_size(fo.regular, s, key.solid).x + key.spacing_f * f;
  add_dashed_polyline(dl, {ImVec2(x, ym), ImVec2(x + 1.5f * f, ym)}, pal.text_dim, thick, 0.35f * f,
                      0.25f * f);
  if (key.marker)
    dl->AddCircleFilled(ImVec2(x + 0.75f * f, ym), std::max(2.5f, 0.28f * f), pal.text_dim, 16);
  draw_text(dl, fo.regular, s, ImVec2(x + 2.0f * f, y + 0.08f * f), pal.text_dim, key.dashed);
}

ImVec2 panel_title_pos(const CellRect& r, const StepPlotMetrics& m) {
  return ImVec2(r.x0 - m.ylabel_w + 0.2f * m.f, r.y0 - m.panel_title_h + 0.2f * m.f);
}

void draw_reference_line(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r, double t,
                         const char* label, const Palette& pal) {
  const float y = std::round(plot_y(r, t)) + 0.5f;
  add_dashed_polyline(dl, {ImVec2(r.x0, y), ImVec2(r.x1, y)}, pal.text_dim, 1.0f, 0.3f * f,
                      0.3f * f);
  draw_text(dl, fo.regular, 0.8f * f,
            ImVec2(r.x1 - 0.3f * f - text_size(fo.regular, 0.8f * f, label).x, y - 1.05f * f),
            pal.text_dim, label);
}

void draw_diverged_cross(ImDrawList* dl, float f, const CellRect& r, uint64_t total, uint64_t at,
                         ImU32 col) {
  const float x = step_x(r, double(at), total), y = r.y0 + 0.6f * f, a = 0.35f * f,
              thick = 2 * std::max(1.5f, 0.12f * f);
  dl->AddLine(ImVec2(x - a, y - a), ImVec2(x + a, y + a), col, thick);
  dl->AddLine(ImVec2(x - a, y + a), ImVec2(x + a, y - a), col, thick);
}

ImU32 diverged_color(Theme theme) {
  return theme == Theme::Dark ? IM_COL32(200, 60, 50, 255) : IM_COL32(190, 40, 30, 255);
}

void draw_legend_name(ImDrawList* dl, const Fonts& fo, float f, float x, float y, int column,
                      const std::string& name, Theme theme, const Palette& pal) {
  const float sw = std::round(0.75f * f), gap = 0.4f * f;
  dl->AddRectFilled(ImVec2(x, y + 0.15f * f), ImVec2(x + sw, y + 0.15f * f + sw),
                    column_color(column, theme), 0.15f * f);
  draw_text(dl, fo.regular, f, ImVec2(x + sw + gap, y), pal.text, name);
}

void draw_centred_note(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r,
                       const char* text, ImU32 col) {
  const std::string t = fit_text(fo.regular, f, text, r.x1 - r.x0 - f);
  const ImVec2 ts = text_size(fo.regular, f, t);
  draw_text(dl, fo.regular, f, ImVec2(0.5f * (r.x0 + r.x1 - ts.x), 0.5f * (r.y0 + r.y1 - ts.y)),
            col, t);
}

std::string thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace initscope::render
