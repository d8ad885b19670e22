#pragma once
// The histogram grid's parts (figure.h: draw_histogram_grid, grid_layout), shared by its files:
// histogram_grid_geometry.cpp places rows and cells, histogram_grid_frame.cpp draws what is
// around the cells (title, legend, column headers, value axis), histogram_grid.cpp the cells.
#include <imgui.h>

#include <cmath>
#include <string>
#include <vector>

#include "figure.h"
#include "flags.h"
#include "fonts.h"
#include "histogram_bars.h"
#include "theme.h"

namespace initscope::render {

// Every length is a multiple of the font size so the grid scales with the text. The compact
// grid (FigureOptions::compact, presentation mode) puts the numbers inside the plot
// (stats_h = 0) and thins every strip around the rows.
struct GridMetrics {
  bool compact;
  float f, title_h, title_top, legend_h, header_h, axis_h, gutter_w, col_gap, row_gap, stats_h,
      min_plot_h, max_row_h;
  explicit GridMetrics(float font_px, const FigureOptions& opt) : compact(opt.compact), f(font_px) {
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

struct GridGeometry {
  std::vector<int> layers;  // 1-based, one per row
  int columns = 0;
  float row_h = 0;
  float grid_top = 0;  // y of the first row
  float x0 = 0;        // the figure's left edge (the layer numbers' gutter starts here)
  float col_x0 = 0, col_w = 0;
  float total_h = 0;
};

GridGeometry grid_geometry(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                           const GridMetrics& m);
CellRect grid_cell_rect(const GridGeometry& g, const GridMetrics& m, size_t row, int col);
// The x view of every cell of a column: their own (zoomed) views, or — shared_x — the union of
// the views of the rows shown.
std::vector<BarLayout> grid_column_bars(const Snapshot& snap, int col,
                                        const std::vector<int>& layers, const FigureOptions& opt,
                                        float plot_width, float f);
// Whether every row of a column shows the same value range (then one axis suffices).
bool grid_uniform_range(const std::vector<BarLayout>& bars);
// A rounded label "DEAD" on its flag colour; returns its width (dl null: measures only).
float grid_flag_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, Flag flag,
                      const char* label, Theme theme, bool draw = true);

// Around the cells: the title line, the flags' legend (of the flags `present`), the column
// headers and the value axis under the last row.
// draw_grid_title returns the width left to the legend (less when the quantity moved to the
// legend's line to give a long title the whole line).
float draw_grid_title(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, ImVec2 pos,
                      float width, const Snapshot& snap, const FigureOptions& opt,
                      const Palette& pal);
void draw_grid_legend(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, ImVec2 p, float width,
                      const Palette& pal, Theme theme, unsigned present);
void draw_grid_header(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, const GridGeometry& g,
                      float y, const Snapshot& snap, const FigureOptions& opt, const Palette& pal);
void draw_grid_axis(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, const GridGeometry& g,
                    float y, const std::vector<std::vector<BarLayout>>& bars, const Palette& pal);

}  // namespace initscope::render
