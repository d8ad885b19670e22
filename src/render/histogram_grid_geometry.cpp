// The histogram grid's geometry (histogram_grid_parts.h, figure.h: grid_layout, grid_hit): which
// layers get a row, the rows' height and the columns' width (multiples of the font size), each
// cell's rectangle and each cell's value axis.
#include <algorithm>
#include <cmath>
#include <string>

#include "histogram_grid_parts.h"

namespace initscope::render {
namespace {

int grid_layer_count(const Snapshot& snap) {
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

}  // namespace

GridGeometry grid_geometry(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                           const GridMetrics& m) {
  GridGeometry g;
  g.columns = static_cast<int>(snap.columns.size());
  g.layers = choose_layers(grid_layer_count(snap), opt);
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

CellRect grid_cell_rect(const GridGeometry& g, const GridMetrics& m, size_t row, int col) {
  const float x0 = std::round(g.col_x0 + col * (g.col_w + m.col_gap));
  const float y0 = g.grid_top + row * g.row_h + m.stats_h;
  const float y1 = g.grid_top + (row + 1) * g.row_h - m.row_gap;
  return {x0, y0, x0 + g.col_w, y1};
}

std::vector<BarLayout> grid_column_bars(const Snapshot& snap, int col,
                                        const std::vector<int>& layers, const FigureOptions& opt,
                                        float plot_width, float f) {
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

bool grid_uniform_range(const std::vector<BarLayout>& bars) {
  for (const BarLayout& b : bars) {
    const double tol = 1e-9 * std::max(std::fabs(bars.front().hi), std::fabs(bars.front().lo));
    if (std::fabs(b.lo - bars.front().lo) > tol || std::fabs(b.hi - bars.front().hi) > tol)
      return false;
  }
  return true;
}

GridLayout grid_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                       float font_px) {
  const GridMetrics m(font_px, opt);
  const GridGeometry g = grid_geometry(pos, size, snap, opt, m);
  GridLayout out;
  out.layers = g.layers;
  out.columns = g.columns;
  out.total_height = g.total_h;
  out.header_top = pos.y + m.title_h + m.legend_h;
  out.header_bottom = g.grid_top;
  out.numbers_h = m.stats_h;
  for (size_t r = 0; r < g.layers.size(); ++r)
    for (int c = 0; c < g.columns; ++c) out.cells.push_back(grid_cell_rect(g, m, r, c));
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
  return grid_column_bars(snap, column, layout.layers, opt, r.x1 - r.x0, font_px)[row];
}

}  // namespace initscope::render
