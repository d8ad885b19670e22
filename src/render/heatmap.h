#pragma once
// The whole network in one picture (the "colourful dimension" view): one heatmap per compared
// column, side by side — x = layer (or x = update, for one layer while the simulation runs),
// y = value, colour = log(1 + count) of the histogram bins (viridis, color_maps.h) — and one
// colour bar for the figure.
//
// A common y axis per column. Every layer has its own histogram range (the activation's bounded
// range, or a data-driven one), so each slice is resampled onto one value range per column: the
// union of the slices' views as the grid's shared value axis picks them (shared_view in
// histogram_bars.h — the bounded range, or the zoom holding 99.5% of the values), cut into
// n_y = min(bins, plot height / 2 px) bins. Resampling assumes the values of a source bin are
// spread evenly over it: target bin j gets Σ_i count_i · |bin_i ∩ bin_j| / |bin_i|, so counts
// inside the common range are conserved and a narrow layer lands in the few bins it covers.
// Values outside the view (the histogram's below/above counts, bins beyond the union) are not
// drawn. Colour is log(1 + count) / log(1 + the figure's largest count): one scale for all
// columns, so columns compare; an empty bin keeps the plot's background.
#include <imgui.h>

#include <string>
#include <vector>

#include "figure.h"

namespace initscope::render {

// Counts of `h` resampled onto n equal bins over [lo, hi] (see above): n values (all 0 when
// hi ≤ lo or h has no bins); none when n < 1.
std::vector<double> resample_counts(const Histogram& h, double lo, double hi, int n);

// What a heatmap figure shows: slices left to right, per column.
struct HeatmapSeries {
  std::string x_label;       // "layer" or "update"
  std::string what;          // title text: "heatmap" or "layer 5 over time"
  std::vector<long long> x;  // x value of each slice (1-based layer, or update index)
  // [column][slice]; null where nothing is known (no gradients yet, before the first update).
  std::vector<std::vector<const ValueStats*>> columns;
};
// Every layer of every column of `snap` (pointers into it): x = layer.
HeatmapSeries layer_series(const Snapshot& snap, Quantity q);

// Where the heatmap figure puts things — pure arithmetic on the series' shape and ranges, so the
// window maps the mouse to a bin and tests find the plots.
struct HeatmapPlot {
  CellRect plot;          // the coloured area
  double lo = 0, hi = 1;  // its value range (y: lo at the bottom)
  int bins = 1;           // n_y
};
struct HeatmapLayout {
  std::vector<HeatmapPlot> plots;  // one per column
  CellRect colorbar;               // the bar itself
  int slices = 0;
  float header_y = 0;  // the line of column names
};
HeatmapLayout heatmap_layout(ImVec2 pos, ImVec2 size, const HeatmapSeries& series,
                             const Snapshot& snap, const FigureOptions& opt, float font_px);
// The slice (0-based) under x in a plot, or −1.
int heatmap_slice_at(const HeatmapPlot& p, int slices, float x);
// The bin (0 at the bottom) under y, or −1.
int heatmap_bin_at(const HeatmapPlot& p, float y);

// Draws the heatmaps into [pos, pos + size): title, column names with their phase, the plots
// with value and x axes, the colour bar. `snap` gives the experiment, theory and update count.
void draw_heatmaps(ImDrawList* dl, ImVec2 pos, ImVec2 size, const HeatmapSeries& series,
                   const Snapshot& snap, const FigureOptions& opt);

}  // namespace initscope::render
