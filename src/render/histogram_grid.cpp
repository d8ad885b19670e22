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
#include <algorithm>
#include <cmath>
#include <string>

#include "color_maps.h"
#include "column_title.h"
#include "core/experiment_heading.h"
#include "figure.h"
#include "flags.h"
#include "fonts.h"
#include "histogram_bars.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

// Every length is a multiple of the font size so the grid scales with the text. The compact
// grid (FigureOptions::compact, presentation mode) puts the numbers inside the plot
// (stats_h = 0) and thins every strip around the rows.
struct Metrics {
  bool compact;
  float f, title_h, title_top, legend_h, header_h, axis_h, gutter_w, col_gap, row_gap, stats_h,
      min_plot_h, max_row_h;
  explicit Metrics(float font_px, const FigureOptions& opt) : compact(opt.compact), f(font_px) {
    const auto pick = [&](float normal, float tight) {
      return std::round((compact ? tight : normal) * f);
    };
    title_h = opt.title ? pick(1.9f, 1.5f) : 0;
    title_top = pick(0.25f, 0.1f);
    legend_h = opt.legend ? pick(1.7f, 1.4f) : 0;
    header_h = pick(2.6f, 1.35f);
    axis_h = pick(1.5f, 1.35f);
    gutter_w = pick(3.2f, 2.3f);
    col_gap = pick(0.7f, 0.5f);
    row_gap = pick(0.3f, 0.15f);
    stats_h = compact ? 0 : pick(1.15f, 0);
    min_plot_h = pick(1.5f, 1.75f);
    max_row_h = pick(9.0f, 9.0f);
  }
  float top() const { return title_h + legend_h + header_h; }
  float min_row_h() const { return stats_h + min_plot_h + row_gap; }
};

struct Geometry {
  std::vector<int> layers;  // 1-based, one per row
  int columns = 0;
  float row_h = 0;
  float grid_top = 0;  // y of the first row
  float x0 = 0;        // the figure's left edge (the layer numbers' gutter starts here)
  float col_x0 = 0, col_w = 0;
  float total_h = 0;
};

int layer_count(const Snapshot& snap) {
  if (!snap.columns.empty()) return static_cast<int>(snap.columns.front().layers.size());
  return 0;
}

std::vector<int> choose_layers(int L, const FigureOptions& opt) {
  std::vector<int> out;
  if (!opt.layers_shown.empty()) {
    for (int l : opt.layers_shown)
      if (l >= 1 && l <= L && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    return out;
  }
  const int k = std::max(1, opt.every_k);
  for (int l = 1; l <= L; l += k) out.push_back(l);
  if (!out.empty() && out.back() != L) out.push_back(L);
  return out;
}

// n evenly spaced entries of `v`, keeping the first and the last.
std::vector<int> thin_out(const std::vector<int>& v, size_t n) {
  if (v.size() <= n || n == 0) return n == 0 ? std::vector<int>{} : v;
  std::vector<int> out;
  for (size_t i = 0; i < n; ++i) {
    const size_t j =
        n == 1 ? 0 : static_cast<size_t>(std::llround(double(i) * (v.size() - 1) / (n - 1)));
    if (out.empty() || out.back() != v[j]) out.push_back(v[j]);
  }
  return out;
}

Geometry compute_geometry(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                          const Metrics& m) {
  Geometry g;
  g.columns = static_cast<int>(snap.columns.size());
  g.layers = choose_layers(layer_count(snap), opt);
  const float avail = std::max(0.0f, size.y - m.top() - m.axis_h);
  if (opt.fit_rows) {
    const size_t max_rows = std::max<size_t>(1, static_cast<size_t>(avail / m.min_row_h()));
    g.layers = thin_out(g.layers, max_rows);
  }
  const size_t rows = g.layers.size();
  g.row_h = rows ? std::clamp(std::floor(avail / rows), m.min_row_h(), m.max_row_h) : 0;
  g.grid_top = pos.y + m.top();
  g.x0 = pos.x;
  // The gutter holds the layer numbers: wider for 3- and 4-digit layers.
  const int last = g.layers.empty() ? 1 : *std::max_element(g.layers.begin(), g.layers.end());
  const float digits = static_cast<float>(std::to_string(last).size());
  g.col_x0 = pos.x + std::max(m.gutter_w, std::round((0.75f * digits + 0.9f) * m.f));
  const int c = std::max(1, g.columns);
  g.col_w = std::max(1.0f, std::floor((size.x - (g.col_x0 - pos.x) - (c - 1) * m.col_gap) / c));
  g.total_h = std::max(size.y, m.top() + rows * g.row_h + m.axis_h);
  return g;
}

CellRect cell_rect(const Geometry& g, const Metrics& m, size_t row, int col) {
  const float x0 = std::round(g.col_x0 + col * (g.col_w + m.col_gap));
  const float y0 = g.grid_top + row * g.row_h + m.stats_h;
  const float y1 = g.grid_top + (row + 1) * g.row_h - m.row_gap;
  return {x0, y0, x0 + g.col_w, y1};
}

// The x view of every cell of a column: their own (zoomed) views, or — shared_x — the union of
// the views of the rows shown.
std::vector<BarLayout> column_bars(const Snapshot& snap, int col, const std::vector<int>& layers,
                                   const FigureOptions& opt, float plot_width, float f) {
  const Activation& act = snap.experiment.activation;
  static const ValueStats empty;
  // Null where the layer has no such values (a residual net's projection has no branch): they
  // take no part in the shared axis.
  std::vector<const ValueStats*> stats;
  for (int l : layers) {
    const auto& ls = snap.columns[col].layers;
    const bool in = l <= static_cast<int>(ls.size()) && is_measured(ls[l - 1], opt.quantity);
    stats.push_back(in ? &shown(ls[l - 1], opt.quantity) : nullptr);
  }
  std::vector<BarLayout> out;
  for (const ValueStats* v : stats)
    out.push_back(bar_layout(v ? *v : empty, act, opt.quantity, plot_width, f));
  if (opt.shared_x) {
    const ValueRange view = shared_view(stats, act, opt.quantity);
    for (size_t i = 0; i < out.size(); ++i)
      set_view(out[i], stats[i] ? *stats[i] : empty, view.lo, view.hi, plot_width, f);
  }
  return out;
}

// Whether every row of a column shows the same value range (then one axis suffices).
bool uniform_range(const std::vector<BarLayout>& bars) {
  for (const BarLayout& b : bars) {
    const double tol = 1e-9 * std::max(std::fabs(bars.front().hi), std::fabs(bars.front().lo));
    if (std::fabs(b.lo - bars.front().lo) > tol || std::fabs(b.hi - bars.front().hi) > tol)
      return false;
  }
  return true;
}

// A rounded label "DEAD" on its flag colour; returns its width.
float badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, Flag flag, const char* label,
            Theme theme, bool draw = true) {
  return draw_badge(draw ? dl : nullptr, font, f, p, label, flag_color(flag, theme),
                    IM_COL32(255, 255, 255, 255));
}

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

void draw_title(ImDrawList* dl, const Fonts& fo, const Metrics& m, ImVec2 pos, float width,
                const Snapshot& snap, const FigureOptions& opt, const Palette& pal) {
  const float f = m.f, tf = fo.title->FontSize;
  const Experiment& e = snap.experiment;
  std::string right = quantity_title(opt.quantity);
  if (opt.log_counts) right += ", log counts";
  // A training probe counts mini-batch steps, the explore simulation updates.
  right += (snap.experiment.training ? " \xC2\xB7 step " : " \xC2\xB7 update ") +
           std::to_string(snap.update_index);
  const float rw = text_size(fo.regular, f, right).x;
  const float y = pos.y + m.title_top;
  draw_text(dl, fo.regular, f, ImVec2(pos.x + width - rw, y + (tf - f)), pal.text_dim, right);
  // A preset's title only while the experiment is the preset's (core/experiment_heading.h).
  const ExperimentHeading heading = experiment_heading(e);
  const std::string& title = heading.title;
  const float avail = width - rw - 2 * f;
  const std::string t = fit_text(fo.title, tf, title, avail);
  draw_text(dl, fo.title, tf, ImVec2(pos.x, y), pal.text, t);
  if ((!heading.as_given || !e.title.empty()) && t == title) {
    const float tw = text_size(fo.title, tf, t).x + f;
    // The summary only when it fits whole: a cut summary reads as a glitch. A description
    // names the network already: beside it, the rest and where it came from.
    const std::string sum = heading.as_given ? e.summary()
                                             : "batch " + std::to_string(e.batch) + ", seed " +
                                                   std::to_string(e.seed) + " \xC2\xB7 " +
                                                   heading.narrative_label();
    if (text_size(fo.regular, f, sum).x <= avail - tw)
      draw_text(dl, fo.regular, f, ImVec2(pos.x + tw, y + (tf - f)), pal.text_dim, sum);
  }
}

// The legend names the flags present in the shown rows (a legend of what is on screen); with
// none, it says that every layer looks healthy.
void draw_legend(ImDrawList* dl, const Fonts& fo, const Metrics& m, ImVec2 p, float width,
                 const Palette& pal, Theme theme, unsigned present) {
  const float f = m.f, s = 0.85f * f;
  float x = p.x;
  const float y = p.y + std::round(0.2f * f);
  if (!present) {
    draw_text(
        dl, fo.regular, s, ImVec2(x, y + 1), pal.text_dim,
        fit_text(fo.regular, s,
                 "No flags: no layer collapsed, saturated, dead, exploding or non-finite", width));
    return;
  }
  for (const FlagInfo& info : flag_infos()) {
    if (!(present & info.flag)) continue;
    const float bw = badge(dl, fo.regular, f, ImVec2(x, y), info.flag, info.label, theme, false);
    const float mw = text_size(fo.regular, s, info.meaning).x;
    if (x + bw > p.x + width) break;
    badge(dl, fo.regular, f, ImVec2(x, y), info.flag, info.label, theme);
    draw_text(dl, fo.regular, s, ImVec2(x + bw + 0.4f * f, y + 1), pal.text_dim,
              fit_text(fo.regular, s, info.meaning, p.x + width - (x + bw + 0.4f * f)));
    x += bw + 0.4f * f + mw + 1.2f * f;
  }
}

// The compact header's font size: the size at which every column's spec fits on its line
// (at most f, at least 0.7 f — below that the spec is cut with "…", the tooltip has it whole).
float compact_header_size(const Fonts& fo, const Metrics& m, const Geometry& g,
                          const Snapshot& snap) {
  const float f = m.f, room = g.col_w - std::round(0.75f * f) - 0.4f * f;
  float scale = 1.0f;
  for (int c = 0; c < g.columns; ++c) {
    const float w = text_size(fo.bold, f, snap.columns[c].init).x;
    if (w > room) scale = std::min(scale, room / w);
  }
  return std::floor(std::max(0.7f, scale) * f);
}

void draw_header(ImDrawList* dl, const Fonts& fo, const Metrics& m, const Geometry& g, float y,
                 const Snapshot& snap, const FigureOptions& opt, const Palette& pal) {
  const float f = m.f;
  if (m.compact) {
    const float hf = compact_header_size(fo, m, g, snap), s = 0.7f * f;
    draw_text(dl, fo.regular, s, ImVec2(g.x0, y + (hf - s)), pal.text_dim,
              fit_text(fo.regular, s, "layer", g.col_x0 - g.x0 - 0.2f * f));
    for (int c = 0; c < g.columns; ++c) {
      const float x = std::round(g.col_x0 + c * (g.col_w + m.col_gap));
      draw_column_title(dl, fo, hf, ImVec2(x, y + (f - hf)), g.col_w, snap, static_cast<size_t>(c),
                        opt.theme, nullptr);
    }
    return;
  }
  draw_text(dl, fo.regular, f, ImVec2(g.x0, y + 1.25f * f), pal.text_dim,
            fit_text(fo.regular, f, "layer", g.col_x0 - g.x0));
  for (int c = 0; c < g.columns; ++c) {
    const float x = std::round(g.col_x0 + c * (g.col_w + m.col_gap));
    draw_column_title(dl, fo, f, ImVec2(x, y), g.col_w, snap, static_cast<size_t>(c), opt.theme,
                      &snap.columns[c].description);
  }
}

void draw_axis(ImDrawList* dl, const Fonts& fo, const Metrics& m, const Geometry& g, float y,
               const std::vector<std::vector<BarLayout>>& bars, const Palette& pal) {
  const float f = m.f, s = 0.9f * f;
  for (int c = 0; c < g.columns; ++c) {
    const CellRect r = cell_rect(g, m, g.layers.size() - 1, c);
    const float x0 = r.x0, x1 = r.x1;
    if (!uniform_range(bars[c])) {
      const std::string t = fit_text(fo.regular, s, "x range per cell", x1 - x0);
      draw_text(dl, fo.regular, s, ImVec2(x0, y + 0.3f * f), pal.text_dim, t);
      continue;
    }
    // Ticks at nice steps (about one per 5 font sizes); labels where they do not collide.
    const BarLayout& h = bars[c].back();
    const float ty = y + 0.35f * f;
    const int want = std::max(2, static_cast<int>((x1 - x0) / (5.0f * f)));
    float last_right = x0 - 1e9f;
    for (double tick : nice_ticks(h.lo, h.hi, want)) {
      const float x = std::round(h.x_of(tick, x0, x1)) + 0.5f;
      dl->AddLine(ImVec2(x, y), ImVec2(x, y + 0.3f * f), pal.axis);
      const std::string label = format_number(tick);
      const float w = text_size(fo.regular, s, label).x;
      const float tx = std::clamp(x - w / 2, x0, x1 - w);
      if (tx < last_right + 0.6f * f) continue;
      draw_text(dl, fo.regular, s, ImVec2(tx, ty), pal.text_dim, label);
      last_right = tx + w;
    }
  }
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
      w += badge(nullptr, fo.regular, f, ImVec2(0, 0), info.flag,
                 short_labels ? info.short_label : info.label, theme, false) +
           0.25f * f;
  return w;
}

void draw_cell(ImDrawList* dl, const Fonts& fo, const Metrics& m, const CellRect& r,
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
    const float w = badge(dl, fo.regular, f, ImVec2(0, 0), info.flag, label, opt.theme, false);
    if (right - w < r.x0 + 0.35f * width) break;
    badge(dl, fo.regular, f, ImVec2(right - w, badge_y), info.flag, label, opt.theme);
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

GridLayout grid_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                       float font_px) {
  const Metrics m(font_px, opt);
  const Geometry g = compute_geometry(pos, size, snap, opt, m);
  GridLayout out;
  out.layers = g.layers;
  out.columns = g.columns;
  out.total_height = g.total_h;
  out.header_top = pos.y + m.title_h + m.legend_h;
  out.header_bottom = g.grid_top;
  out.numbers_h = m.stats_h;
  for (size_t r = 0; r < g.layers.size(); ++r)
    for (int c = 0; c < g.columns; ++c) out.cells.push_back(cell_rect(g, m, r, c));
  return out;
}

GridHit grid_hit(const GridLayout& lay, float x, float y) {
  GridHit hit;
  for (size_t i = 0; i < lay.cells.size(); ++i) {
    const CellRect& c = lay.cells[i];
    if (x < c.x0 || x >= c.x1 || y < c.y0 - lay.numbers_h || y >= c.y1) continue;
    hit.row = static_cast<int>(i) / lay.columns;
    hit.column = static_cast<int>(i) % lay.columns;
    hit.in_plot = y >= c.y0;
    return hit;
  }
  if (y < lay.header_top || y >= lay.header_bottom) return hit;
  for (int c = 0; c < lay.columns && c < static_cast<int>(lay.cells.size()); ++c)
    if (x >= lay.cells[c].x0 && x < lay.cells[c].x1) {
      hit.column = c;
      hit.header = true;
    }
  return hit;
}

BarLayout grid_cell_bars(const Snapshot& snap, const GridLayout& layout, size_t row, int column,
                         const FigureOptions& opt, float font_px) {
  const CellRect& r = layout.cells[row * layout.columns + column];
  return column_bars(snap, column, layout.layers, opt, r.x1 - r.x0, font_px)[row];
}

void draw_histogram_grid(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const Metrics m(font_pixels_now(), opt);
  const Geometry g = compute_geometry(pos, size, snap, opt, m);
  const Palette& pal = palette(opt.theme);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + g.total_h), pal.background);
  if (opt.title) draw_title(dl, fo, m, pos, size.x, snap, opt, pal);
  unsigned present = 0;
  for (int c = 0; c < g.columns; ++c)
    for (int l : g.layers)
      present |=
          layer_flags(snap.columns[c], static_cast<size_t>(l - 1), snap.experiment.activation);
  if (opt.legend)
    draw_legend(dl, fo, m, ImVec2(pos.x, pos.y + m.title_h), size.x, pal, opt.theme, present);
  if (g.columns == 0 || g.layers.empty()) {
    draw_text(dl, fo.regular, m.f, ImVec2(pos.x, pos.y + m.top()), pal.text_dim, "no data yet");
    return;
  }
  draw_header(dl, fo, m, g, pos.y + m.title_h + m.legend_h + std::round(0.2f * m.f), snap, opt,
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
    bars[c] = column_bars(snap, c, g.layers, opt, g.col_w, m.f);
    per_cell_range[c] = !uniform_range(bars[c]);
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
    const CellRect first = cell_rect(g, m, row, 0);
    const std::string label = std::to_string(g.layers[row]);
    const float lw = text_size(fo.bold, m.f, label).x;
    draw_text(dl, fo.bold, m.f,
              ImVec2(g.col_x0 - 0.6f * m.f - lw, (first.y0 + first.y1) / 2 - m.f / 2), pal.text_dim,
              label);
    for (int c = 0; c < g.columns; ++c) {
      const ColumnStats& cs = snap.columns[c];
      if (li >= cs.layers.size()) continue;
      draw_cell(dl, fo, m, cell_rect(g, m, row, c), cs, li, c, bars[c][row], per_cell_range[c],
                short_labels, snap.experiment, opt, pal);
    }
  }
  const float axis_y = g.grid_top + g.layers.size() * g.row_h - m.row_gap + 1;
  draw_axis(dl, fo, m, g, axis_y, bars, pal);
}

}  // namespace initscope::render
