#pragma once
// Figures drawn with ImDrawList from a Snapshot — shared by the window and the headless
// exporter so that a PNG looks exactly like the window. Needs an ImGui frame, no GLFW.
#include <imgui.h>

#include <string>
#include <vector>

#include "core/snapshot.h"
#include "quantity.h"

namespace initscope::render {

enum class Theme { Dark, Light };

struct FigureOptions {
  Quantity quantity = Quantity::Activation;
  Theme theme = Theme::Dark;
  bool log_counts = false;
  bool log_std = true;            // depth profile of std on a log axis
  bool log_loss = true;           // training curves: the loss on a log axis
  std::vector<int> layers_shown;  // 1-based layers; empty = every layer (subject to every_k)
  int every_k = 1;                // layers 1, 1+k, 1+2k, …, and always the last layer
  bool title = true;              // a title line (preset title or experiment summary)
  bool legend = true;             // flag legend + column colours
  // true: too many rows for the height → show an evenly spaced subset (figures). false: keep a
  // readable minimum row height and let the grid extend below `size` (the window scrolls;
  // GridLayout::total_height says how far).
  bool fit_rows = true;
  // true: all rows of a column share one x axis (the union of their views), so a signal that
  // shrinks or grows with depth is seen doing so. false: each cell zooms on its own data.
  bool shared_x = true;
  // Fill the figure's rectangle with the theme's background first. The window turns it off:
  // it already cleared to that colour, and software GL pays for every covered pixel.
  bool background = true;
  // Presentation mode's grid (issue 12): rows packed tight — the numbers and flags sit inside
  // the top of each cell's plot instead of on a line above it, the column headers are one line
  // (the spec, shrunk to fit, and the phase badge; the formula is in the tooltip), smaller
  // title, legend and axis strips — so that 10 layers and a narrative fit a projector's screen
  // at text ×1.5–×2.
  bool compact = false;
};

// Column colours, flag colours and backgrounds for a theme.
ImU32 column_color(int column, Theme theme);
// Applies the theme to ImGui's style (window colours) and returns nothing; used by both.
void apply_theme(Theme theme);

// Draws the whole histogram grid (rows = layers, columns = inits) into [pos, pos+size).
void draw_histogram_grid(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt);
// Draws the depth profiles (mean, std, saturated %, zero %, and the gradient norm when the
// snapshot has gradients) into [pos, pos+size); the std panel carries the mean-field
// prediction as a dashed line.
void draw_depth_profiles(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                         const FigureOptions& opt);

}  // namespace initscope::render

namespace initscope::render {

// Where the grid puts each cell — pure arithmetic (no ImGui context needed), so tests can find
// the cells in a screenshot or an exported PNG. `font_px` is the font size in pixels.
struct CellRect {
  float x0, y0, x1, y1;  // the histogram plot area of the cell (bars are drawn inside it)
};
struct GridLayout {
  std::vector<int> layers;  // 1-based layer shown in each row
  int columns = 0;
  std::vector<CellRect> cells;  // row-major: cells[row * columns + column]
  float total_height = 0;       // height the grid needs (> size.y only when !opt.fit_rows)
  float header_top = 0, header_bottom = 0;  // y range of the column headers (spec + formula)
  float numbers_h = 0;  // the line of numbers (μ σ, flags) above each cell's plot
};
GridLayout grid_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                       float font_px);

// What is under (x, y) in a grid: a cell — its plot or the line of numbers above it — or a
// column's header; row = column = −1 for neither.
struct GridHit {
  int row = -1, column = -1;  // row indexes GridLayout::layers
  bool in_plot = false;       // a cell's plot (its bars), not the numbers above it
  bool header = false;        // the column's header (row −1)
};
GridHit grid_hit(const GridLayout& lay, float x, float y);

}  // namespace initscope::render
