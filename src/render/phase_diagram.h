#pragma once
// The phase diagram of mean-field theory (Poole et al. 2016; Schoenholz et al. 2017; see
// core/mean_field.h): the (σ_w², σ_b²) plane of the network's activation coloured by
// χ₁ = σ_w²·E[φ'(z)²] at the fixed point q* (diverging map centred on χ₁ = 1, log scale:
// blue ordered, red chaotic — color_maps.h), the critical line χ₁ = 1, and each compared
// column's point — σ_w² = Var(W)·fan_in of its last layer, σ_b² = Var(b) of the experiment's
// bias (one bias for every column) — as a marker in the column's colour.
//
// The χ₁ field costs 50–200 ms (phase_diagram_grid): the window computes it on a task of its own
// once per activation, the exporter on its worker thread; drawing only reads it.
#include <imgui.h>

#include <optional>

#include "core/theory/mean_field.h"
#include "figure.h"

namespace initscope::render {

// The grid the diagram shows for an activation: σ_b² ∈ [0, 0.5]; σ_w² ∈ [0, max(4, 1.25 × the
// largest critical σ_w² at σ_b² = 0 and 0.5)] rounded up to 1, 2, 2.5 or 5 × 10^k — so the
// critical line is on the chart (sigmoid's lies near σ_w² ≈ 100); 121 × 61 samples.
PhaseGrid phase_diagram_grid(const Activation& act);

// Where the diagram puts things — pure arithmetic, so the window maps a click to (σ_w², σ_b²)
// and tests find the plot.
struct PhaseLayout {
  // The axes' box, and inside it, a marker's width in from every side, the plane the values
  // map to: a column at σ_b² = 0 (no bias) or σ_w² = 0 sits inside the box, not on its line.
  CellRect frame;
  CellRect plot;                 // the coloured plane
  CellRect colorbar;             // the χ₁ bar
  GridAxis sigma_w2, sigma_b2;   // x and y axes (lo at the left / bottom)
  float legend_y = 0;            // the line of column markers' names
  float marker_pick_radius = 0;  // a point this close to a column's marker picks it
};
// Axes from `grid` (nullptr: the default [0, 4] × [0, 0.5] while it is being computed).
PhaseLayout phase_layout(ImVec2 pos, ImVec2 size, const PhaseGrid* grid, const FigureOptions& opt,
                         float font_px);
// Screen position of (σ_w², σ_b²) — not clamped to the plot.
ImVec2 phase_point_pos(const PhaseLayout& lay, double sigma_w2, double sigma_b2);
struct PhasePoint {
  double sigma_w2 = 0, sigma_b2 = 0;
};
// The (σ_w², σ_b²) under a screen position, clamped to the axes' ranges between the plane and the
// box; nothing outside the box.
std::optional<PhasePoint> phase_point_at(const PhaseLayout& lay, float x, float y);
// Column c's marker position, clamped into the plot (a point beyond the σ_w² axis sits on the
// right edge); nothing when the theory has no σ_w² for it (eye).
std::optional<ImVec2> column_marker_pos(const PhaseLayout& lay, const Snapshot& snap, size_t c);
// The column whose marker is nearest to p within lay.marker_pick_radius, or −1.
int column_marker_at(const PhaseLayout& lay, const Snapshot& snap, ImVec2 p);

// Draws the diagram into [pos, pos + size). grid nullptr: "computing…" in the plot. The
// selected column's marker (−1: none) gets a ring.
void draw_phase_diagram(ImDrawList* dl, ImVec2 pos, ImVec2 size, const PhaseGrid* grid,
                        const Snapshot& snap, const FigureOptions& opt, int selected_column = -1);

}  // namespace initscope::render
