#pragma once
// The pieces of a plot over training steps, shared by training's learning curves
// (training_curves.cpp) and the GAN figure (gan_figure.cpp): the sizes, where two plots go, the
// loss axis (log or linear), the frame with its step ticks and epochs, the key of solid and
// dashed lines, a dashed reference level, a column's curve broken at values with no place, the
// cross where a column diverged.
//
//  [ Title                                          ── solid - -●- - dashed ]  ← panel title row
//  [ y tick ┼────────────────────────────────────────── grid line            ]
//  [        │   curves          ┆ (epoch end)         reference - - - - - -  ]
//  [        ┼──┬──────┬─────────┼────┬─────────┬──── ]
//  [        0  200    400       600  800       1000   ← steps                ]
//  [             epoch 1                  epoch 2     ← centred under each   ]
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "figure.h"
#include "fonts.h"
#include "theme.h"

namespace initscope::render {

// The rows and margins of a figure of step plots, from the font size f (pixels): title 1.9 f
// (0 without opt.title), settings line 1.5 f, legend line 1.8 f (0 without opt.legend), a
// panel's title 1.6 f, the ticks under a plot 2.8 f (step numbers, then the epochs' names), the
// y labels 4.2 f, the gap between plots 1.6 f; all rounded to whole pixels.
struct StepPlotMetrics {
  float f, title_h, info_h, legend_h, panel_title_h, tick_h, ylabel_w, gap;
  StepPlotMetrics(float font_px, const FigureOptions& opt);
};

// The x of `step` in a plot of a run of `total` steps.
float step_x(const CellRect& plot, double step, uint64_t total);
// The step under x (clamped to 0 … total).
uint64_t step_at(const CellRect& plot, float x, uint64_t total);
// The y of t (0 bottom … 1 top, clamped), inside a padding of min(4 px, 5% of the height).
float plot_y(const CellRect& plot, double t);

// A plot's area in the rectangle (x, y, w, ph): its title above, the y labels on the left, the
// step numbers and epochs below.
CellRect step_plot_rect(const StepPlotMetrics& m, float x, float y, float w, float ph);
// Two plots in the area from (x, top), width × height, each with its title row above and its
// ticks below: side by side when each still gets a width of at least 1.1 × its height, else one
// above the other.
void place_plot_pair(float x, float top, float width, float height, const StepPlotMetrics& m,
                     CellRect& first, CellRect& second);

// The loss axis [lo, hi] (log10 of the loss when `log`) from the smallest and largest finite
// loss (positive, on a log axis) drawn, mn > mx when there is none. Linear: 0 … a nice bound
// over 1.05 × mx. Log: at most max_decades below the largest (lower values run along the
// bottom), padded by 4% of the span, or ±0.2 around the middle when the span is under 0.4.
void loss_axis_range(double mn, double mx, bool log, double max_decades, double& lo, double& hi);
// (t 0 … 1, label) of each y tick.
using AxisTicks = std::vector<std::pair<double, std::string>>;
AxisTicks loss_axis_ticks(double lo, double hi, bool log);
// Where loss v lies on that axis as 0 … 1; NaN when it has no place there (not finite, ≤ 0 on
// a log axis).
double loss_axis_t(double v, double lo, double hi, bool log);

// The x axis of a run: `total` steps (at least 1), epochs of steps_per_epoch steps (0: none).
struct StepAxis {
  uint64_t total = 1, steps_per_epoch = 0;
  int epochs = 1;
};
// The plot frame: background, y grid lines with labels, step ticks at nice whole numbers (about
// one per 6.5 f), epoch boundaries as faint lines (every k-th when they would be closer than
// 2 f) with each epoch's name centred under its stretch where it fits.
void draw_step_axes(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r,
                    const AxisTicks& yticks, const StepAxis& x, const Palette& pal);

// What a plot's solid and dashed lines are: "── solid   - -●- - dashed", `spacing` between the
// two, a marker on the dashed line when `marker` (test points at the epochs' ends).
struct LineKey {
  const char* solid;
  const char* dashed;
  float spacing_f = 1.5f;  // × f
  bool marker = false;
};
float line_key_width(const Fonts& fo, float f, const LineKey& key);
// With its top-left at (x, y), on a panel's title row.
void draw_line_key(ImDrawList* dl, const Fonts& fo, float f, float x, float y, const LineKey& key,
                   const Palette& pal);
// The top-left of a panel's title: y labels' width left of the plot, one title row above it.
ImVec2 panel_title_pos(const CellRect& r, const StepPlotMetrics& m);

// A dashed level across the plot at t (0 … 1) with `label` small at its right end ("chance",
// "cannot tell").
void draw_reference_line(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r, double t,
                         const char* label, const Palette& pal);
// A cross at the step where a column stopped being finite, at the plot's top.
void draw_diverged_cross(ImDrawList* dl, float f, const CellRect& r, uint64_t total, uint64_t at,
                         ImU32 col);
// The background of a "diverged at step N" badge.
ImU32 diverged_color(Theme theme);
// A column's swatch and name in a legend line at (x, y).
void draw_legend_name(ImDrawList* dl, const Fonts& fo, float f, float x, float y, int column,
                      const std::string& name, Theme theme, const Palette& pal);
// A note in the middle of an empty plot ("no steps yet: …").
void draw_centred_note(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r,
                       const char* text, ImU32 col);
// 60000 → "60,000".
std::string thousands(uint64_t n);

// The points of a curve (values[i] at steps[i]) in plot r, split where t_of(value) is not
// finite: calls run(points, last) for each unbroken run of at least one point, in order; `last`
// when the run ends at the curve's last value.
template <typename TOf, typename Run>
void for_each_curve_run(const CellRect& r, uint64_t total, const std::vector<uint64_t>& steps,
                        const std::vector<double>& values, TOf&& t_of, Run&& run) {
  std::vector<ImVec2> pts;
  const size_t n = std::min(values.size(), steps.size());
  for (size_t i = 0; i < n; ++i) {
    const double tv = t_of(values[i]);
    if (!std::isfinite(tv)) {
      if (!pts.empty()) run(pts, false);
      pts.clear();
      continue;
    }
    pts.emplace_back(step_x(r, double(steps[i]), total), plot_y(r, tv));
  }
  if (!pts.empty()) run(pts, true);
}

}  // namespace initscope::render
