#pragma once
// How one histogram cell turns the snapshot's bins into bars — shared by the drawing and the
// window's hover tooltips so that both agree on which bins a bar holds.
//
// Display choices, each honest about what it hides:
//  * zoom: a data-driven range (not an activation's fixed [-1, 1] or [0, 1]) whose tails hold
//    almost nothing is narrowed to the bins holding 99.5% of the values (to a 1/2/2.5/5 × 10^k
//    bound); what falls outside the view is marked by triangles at the plot's edges.
//  * shared axis (FigureOptions::shared_x): every row of a column uses the union of the rows'
//    views, so a signal that shrinks with depth is seen shrinking (the classic figure).
//  * grouping: adjacent bins are merged so bars are ≥ 0.15 × font size (≥ 2 px) wide — the
//    ±1 spikes of a saturated tanh stay visible.
//  * dead spike: for ReLU-like activations the exact zeros (dead units) are taken out of the
//    bar scaling and drawn as a clipped spike (its share goes into the cell's text line) —
//    otherwise 50% zeros flatten every other bar to nothing.
#include <cstdint>
#include <vector>

#include "core/engine/activation.h"
#include "core/engine/layer_stats.h"
#include "core/snapshot.h"
#include "figure.h"

namespace initscope::render {

struct BarLayout {
  double lo = 0, hi = 1;            // the view: value range of the x axis
  double bin_lo = 0, bin_w = 1;     // snapshot bin i covers [bin_lo + i·bin_w, … + bin_w)
  int first_bin = 0, last_bin = 0;  // bins inside the view: [first_bin, last_bin)
  int group = 1;                    // bins per bar; bar k covers [first + k·group, …+group)
  uint64_t dead = 0;                // exact zeros drawn as the spike (0 = no spike)
  int dead_bin = -1;                // the bin that holds 0 when there is a spike
  uint64_t hidden_below = 0, hidden_above = 0;  // finite values left / right of the view

  int bars() const { return (last_bin - first_bin + group - 1) / group; }
  float x_of(double v, float x0, float x1) const {
    return x0 + float((v - lo) / (hi - lo)) * (x1 - x0);
  }
  // The bins of the bar under x (plot [x0, x1)); returns false when no bar is there.
  bool bar_at(float x, float x0, float x1, int& first, int& last) const;
};

// The cell's own view (zoomed when worth it).
BarLayout bar_layout(const ValueStats& v, const Activation& act, Quantity q, float plot_width,
                     float font_px);
// The union of the own views (bar_layout) of several histograms: the shared value axis of a grid
// column (FigureOptions::shared_x) and the common value range of a heatmap column. Null entries
// are skipped; {0, 1} when there is none.
struct ValueRange {
  double lo = 0, hi = 1;
};
ValueRange shared_view(const std::vector<const ValueStats*>& stats, const Activation& act,
                       Quantity q);

// Re-targets `b` to the view [lo, hi] (a column's shared axis).
void set_view(BarLayout& b, const ValueStats& v, double lo, double hi, float plot_width,
              float font_px);

// The bars of cell (row, column) of a grid laid out by grid_layout — what draw_histogram_grid
// draws there (own or shared view per opt.shared_x).
BarLayout grid_cell_bars(const Snapshot& snap, const GridLayout& layout, size_t row, int column,
                         const FigureOptions& opt, float font_px);

// Draws the bars (and dead spike, and edge triangles) into the plot rectangle.
void draw_bars(ImDrawList* dl, const CellRect& r, const ValueStats& v, const BarLayout& b,
               ImU32 color, ImU32 background, ImU32 marker, bool log_counts, float font_px);

}  // namespace initscope::render
