#pragma once
// The measured sweep figure (`initscope export --view sweep`, issue 15): a heatmap of one column
// of a sweep, averaged over seeds per (x, y) cell (core/sweeps/sweep_cells.h), with a colour
// bar, and over it the theory — with x = σ_w²: the critical line χ₁ = 1 (critical_sigma_w2 of
// core/theory/mean_field.h; a curve over σ_b² on y, a vertical line at the sweep's σ_b² with
// depth or width on y) and, with depth on y, 6·ξ_c from the rows' own xi_c_theory column: the
// depth beyond which Schoenholz et al. (2017) found networks untrainable.
//
//  [Measured ξ_c over σ_w², depth — tanh, σ_b² 0.05, width 32, 3 seeds                 ]
//  [── critical χ₁ = 1    - - 6·ξ_c (theory)                                            ]
//  [depth                                                                     ξ_c      ]
//  [100 ┤▇▇▇▇▇▇▇▇▇│▇▇▇▇▇▇▇                                                    ▇ 30     ]
//  [ 10 ┤▇▇▇▇▇▇▇▇▇│▇▇▇▇▇▇▇                                                    ▇ 3      ]
//  [     1     2      3     4   σ_w² = Var(W) × fan_in                                  ]
//
// Cells are rectangles centred on the grid values (edges half-way between neighbours), on linear
// axes in the grid's own units, so the theory's lines land where their values are. Colour:
// viridis over [min, max] of the means — on a log scale when every mean is > 0 and max/min ≥ 20
// (ξ_c diverges at the critical line); a cell without a number keeps the plot's background.
#include <imgui.h>

#include "core/sweeps/sweep_cells.h"
#include "figure.h"

namespace initscope::render {

// Where the figure puts things — pure arithmetic, so tests find the cells in the PNG.
struct SweepFigureLayout {
  CellRect plot;                                  // the cells' area
  CellRect colorbar;                              // the colour bar
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;  // the plot's edges in grid units
  bool log_color = false;
  double color_lo = 0, color_hi = 1;  // the colour scale's ends (the means' min and max)
};
SweepFigureLayout sweep_figure_layout(ImVec2 pos, ImVec2 size, const SweepCells& cells,
                                      const FigureOptions& opt, float font_px);
// Screen position of grid point (x, y) — not clamped.
ImVec2 sweep_point_pos(const SweepFigureLayout& lay, double x, double y);
// The title: "Measured ξ_{c} over σ_{w}², depth — tanh, σ_{b}² 0.05, width 32, 3 seeds"
// (subscripts marked for draw_subscripted).
std::string sweep_figure_title(const SweepCells& cells);

// Draws the figure into [pos, pos + size).
void draw_sweep_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, const SweepCells& cells,
                       const FigureOptions& opt);

}  // namespace initscope::render
