// The histogram grid: rows = layers, columns = compared inits.
//
//  [title ........................................ activations · update 12]
//  [legend: ■NaN/Inf … ■DEAD … ■SATURATED … ■COLLAPSED … ■EXPLODING …      ]
//  [layer | ■ spec 1 (bold)         | ■ spec 2                 | …          ]
//  [      |   formula line (dim)    |   formula line           |            ]
//  [  1   | μ 0.01  σ 0.63          | …                                     ]
//  [      | ▁▂▅█▅▂▁  (plot area)     |                                       ]
//  [  …                                                                     ]
//  [      | −1        0         1   | (value axis of the column)            ]
//
// This file draws the cells (histogram, numbers, flags) and puts the grid together;
// histogram_grid_geometry.cpp places them, histogram_grid_frame.cpp draws what is around them.
#include <algorithm>
#include <cmath>
#include <string>

#include "color_maps.h"
#include "histogram_grid_parts.h"
#include "text.h"

namespace initscope::render {
namespace {

std::string range_text(const BarLayout& h) {
  // Appends piecewise: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string chains.
  std::string out;
  if (std::fabs(h.lo + h.hi) <= 1e-12 * std::fabs(h.hi)) {
    out = "\xC2\xB1";
    out += format_number(h.hi);
    return out;
  }
  out = "[";
  out += format_number(h.lo);
  out += ", ";
  out += format_number(h.hi);
  out += ']';
  return out;
}

// "μ 0.0012  σ 0.213 …"; without_mean: "σ 0.213 …" for narrow cells (σ is the story).
std::string stats_text(const ValueStats& vs, const BarLayout& h, bool per_cell_range,
                       bool without_mean = false) {
  std::string stats = without_mean ? "" : "\xCE\xBC " + format_short(vs.mean) + "  ";
  stats += "\xCF\x83 " + format_number(vs.std);
  if (vs.nonfinite > 0) stats += "  " + std::to_string(vs.nonfinite) + " NaN/Inf";
  if (h.dead > 0) stats += "  " + format_percent(double(h.dead) / double(vs.count)) + " = 0";
  if (per_cell_range) stats += "  " + range_text(h);
  return stats;
}

float badges_width(const Fonts& fo, float f, unsigned flags, bool short_labels, Theme theme) {
  float w = 0;
  for (const FlagInfo& info : flag_infos())
    if (flags & info.flag)
      w += grid_flag_badge(nullptr, fo.regular, f, ImVec2(0, 0), info.flag,
                           short_labels ? info.short_label : info.label, theme, false) +
           0.25f * f;
  return w;
}

void draw_cell(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, const CellRect& r,
               const ColumnStats& cs, size_t layer_index, int c, const BarLayout& h,
               bool per_cell_range, bool short_labels, const Experiment& e,
               const FigureOptions& opt, const Palette& pal) {
  const float f = m.f;
  const ValueStats& vs = shown(cs.layers[layer_index], opt.quantity);
  if (!is_measured(cs.layers[layer_index], opt.quantity)) {
    // No such values in this layer (the projection has no branch, a layer without a norm no
    // normalized values): an empty cell that says so.
    dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
    const char* why = opt.quantity == Quantity::Branch   ? "no branch in this layer"
                      : opt.quantity == Quantity::Normed ? "no norm in this layer"
                                                         : "not measured";
    draw_text(dl, fo.regular, 0.85f * f, ImVec2(r.x0 + 0.3f * f, r.y0 + 0.3f * f), pal.text_dim,
              fit_text(fo.regular, 0.85f * f, why, r.x1 - r.x0 - 0.6f * f));
    return;
  }
  // A flagged cell's plot is tinted with the most severe flag's colour (bars stay opaque).
  const unsigned flags = layer_flags(cs, layer_index, e.activation);
  ImU32 bg = pal.cell;
  for (const FlagInfo& info : flag_infos())
    if (flags & info.flag) {
      bg = blend(pal.cell, flag_color(info.flag, opt.theme),
                 opt.theme == Theme::Dark ? 0.22f : 0.16f);
      break;
    }
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), bg);
  if (h.lo < 0 && h.hi > 0) {
    const float xz = std::round(r.x0 + float(-h.lo / (h.hi - h.lo)) * (r.x1 - r.x0)) + 0.5f;
    dl->AddLine(ImVec2(xz, r.y0), ImVec2(xz, r.y1), pal.grid_line);
  }
  draw_bars(dl, r, vs, h, column_color(c, opt.theme), bg, pal.text_dim, opt.log_counts, f);
  dl->AddLine(ImVec2(r.x0, r.y1 - 0.5f), ImVec2(r.x1, r.y1 - 0.5f), pal.axis);

  // The line above the plot (compact: inside its top, on a veil of the cell's colour): mean and
  // std (and the range when it differs between rows of this column) on the left; flags on the
  // right, most severe first (short labels when the grid decided so), as many as fit.
  const float s = 0.85f * f, inset = m.compact ? std::round(0.2f * f) : 0.0f;
  const float ty =
      m.compact ? r.y0 + std::round(0.08f * f) : r.y0 - m.stats_h + std::round(0.12f * f);
  const float gap = 0.25f * f, width = r.x1 - r.x0;
  const std::string stats = stats_text(vs, h, per_cell_range);
  // Compact: when the numbers and the flags do not share the top line and the cell is two
  // badges high, the flags go to its bottom-right corner and the numbers keep the whole line.
  const float badge_h = s + 2, stats_w = text_size(fo.regular, s, stats).x;
  const bool two_lines = r.y1 - r.y0 >= 2 * badge_h + 0.3f * f;
  // Compact, data piled against the left edge (ReLU's zeros): the numbers go to the right so
  // that they do not veil the tallest bars; the flags then go below.
  const bool numbers_right = m.compact && (two_lines || !flags) && h.hi > h.lo &&
                             h.x_of(vs.mean, r.x0, r.x1) < r.x0 + 0.3f * width;
  const bool flags_below =
      m.compact && flags && two_lines &&
      (numbers_right || stats_w + badges_width(fo, f, flags, short_labels, opt.theme) >
                            width - 2 * inset - 0.2f * f);
  const float badge_y = flags_below ? r.y1 - badge_h - std::round(0.12f * f) : ty;
  float right = r.x1 - inset;
  for (const FlagInfo& info : flag_infos()) {
    if (!(flags & info.flag)) continue;
    const char* label = short_labels ? info.short_label : info.label;
    const float w =
        grid_flag_badge(dl, fo.regular, f, ImVec2(0, 0), info.flag, label, opt.theme, false);
    if (right - w < r.x0 + 0.35f * width) break;
    grid_flag_badge(dl, fo.regular, f, ImVec2(right - w, badge_y), info.flag, label, opt.theme);
    right -= w + gap;
  }
  if (flags_below) right = r.x1 - inset;
  const float avail = right - r.x0 - inset - 0.2f * f;
  const std::string shown_text =
      stats_w <= avail ? stats : stats_text(vs, h, per_cell_range, /*without_mean=*/true);
  const std::string t = fit_text(fo.regular, s, shown_text, avail);
  const float tw = text_size(fo.regular, s, t).x;
  const float tx = numbers_right ? r.x1 - inset - tw : r.x0 + inset;
  if (m.compact && !t.empty()) {
    const ImU32 veil = (bg & ~IM_COL32_A_MASK) | (IM_COL32(0, 0, 0, 200) & IM_COL32_A_MASK);
    dl->AddRectFilled(ImVec2(tx - inset + 1, ty - 1),
                      ImVec2(std::min(r.x1 - 1, tx + tw + 0.25f * f), ty + s + 1), veil, 0.15f * f);
  }
  draw_text(dl, fo.regular, s, ImVec2(tx, ty), pal.text, t);
}

}  // namespace

void draw_histogram_grid(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const GridMetrics m(font_pixels_now(), opt);
  const GridGeometry g = grid_geometry(pos, size, snap, opt, m);
  const Palette& pal = palette(opt.theme);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + g.total_h), pal.background);
  float legend_w = size.x;
  if (opt.title) legend_w = draw_grid_title(dl, fo, m, pos, size.x, snap, opt, pal);
  unsigned present = 0;
  for (int c = 0; c < g.columns; ++c)
    for (int l : g.layers)
      present |=
          layer_flags(snap.columns[c], static_cast<size_t>(l - 1), snap.experiment.activation);
  if (opt.legend)
    draw_grid_legend(dl, fo, m, ImVec2(pos.x, pos.y + m.title_h), legend_w, pal, opt.theme,
                     present);
  if (g.columns == 0 || g.layers.empty()) {
    draw_text(dl, fo.regular, m.f, ImVec2(pos.x, pos.y + m.top()), pal.text_dim, "no data yet");
    return;
  }
  draw_grid_header(dl, fo, m, g, pos.y + m.title_h + m.legend_h + std::round(0.2f * m.f), snap, opt,
                   pal);
  if (is_gradient(opt.quantity) && !snap.columns.front().layers.front().has_grad) {
    // The window turns the backward pass on with the quantity; its first snapshot may lag.
    draw_text(dl, fo.regular, m.f, ImVec2(g.col_x0, g.grid_top + 0.5f * m.f), pal.text_dim,
              "No gradients in this snapshot yet: the backward pass is being switched on "
              "(command line: --grad)");
    return;
  }

  std::vector<std::vector<BarLayout>> bars(g.columns);  // [column][row]
  std::vector<bool> per_cell_range(g.columns);
  for (int c = 0; c < g.columns; ++c) {
    bars[c] = grid_column_bars(snap, c, g.layers, opt, g.col_w, m.f);
    per_cell_range[c] = !grid_uniform_range(bars[c]);
  }
  // Only rows inside the clip rectangle are drawn: a 1000-layer grid costs what is visible.
  const float clip_y0 = dl->GetClipRectMin().y, clip_y1 = dl->GetClipRectMax().y;
  auto visible = [&](size_t row) {
    const float y0 = g.grid_top + row * g.row_h;
    return y0 + g.row_h >= clip_y0 && y0 <= clip_y1;
  };
  // Flag labels: full words unless some visible cell has no room for them next to its numbers;
  // then short ones everywhere (one vocabulary per picture).
  bool short_labels = false;
  const float s = 0.85f * m.f;
  for (size_t row = 0; row < g.layers.size() && !short_labels; ++row) {
    if (!visible(row)) continue;
    const size_t li = static_cast<size_t>(g.layers[row] - 1);
    for (int c = 0; c < g.columns && !short_labels; ++c) {
      const ColumnStats& cs = snap.columns[c];
      if (li >= cs.layers.size()) continue;
      const unsigned flags = layer_flags(cs, li, snap.experiment.activation);
      if (!flags) continue;
      const float need =
          text_size(fo.regular, s,
                    stats_text(shown(cs.layers[li], opt.quantity), bars[c][row], per_cell_range[c]))
              .x +
          badges_width(fo, m.f, flags, false, opt.theme) + 0.3f * m.f;
      short_labels = need > g.col_w;
    }
  }
  for (size_t row = 0; row < g.layers.size(); ++row) {
    if (!visible(row)) continue;
    const size_t li = static_cast<size_t>(g.layers[row] - 1);
    const CellRect first = grid_cell_rect(g, m, row, 0);
    const std::string label = std::to_string(g.layers[row]);
    const float lw = text_size(fo.bold, m.f, label).x;
    draw_text(dl, fo.bold, m.f,
              ImVec2(g.col_x0 - 0.6f * m.f - lw, (first.y0 + first.y1) / 2 - m.f / 2), pal.text_dim,
              label);
    for (int c = 0; c < g.columns; ++c) {
      const ColumnStats& cs = snap.columns[c];
      if (li >= cs.layers.size()) continue;
      draw_cell(dl, fo, m, grid_cell_rect(g, m, row, c), cs, li, c, bars[c][row], per_cell_range[c],
                short_labels, snap.experiment, opt, pal);
    }
  }
  const float axis_y = g.grid_top + g.layers.size() * g.row_h - m.row_gap + 1;
  draw_grid_axis(dl, fo, m, g, axis_y, bars, pal);
}

}  // namespace initscope::render
