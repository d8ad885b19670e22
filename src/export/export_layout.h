#pragma once
// Where an exported figure puts the histogram grid and the depth profiles, and which figure
// options it draws them with — pure arithmetic, so tests can find the cells in the PNG with
// render::grid_layout(layout.grid_pos, layout.grid_size, snapshot, layout.figure, font_px).
#include <imgui.h>

#include <optional>

#include "core/limits.h"
#include "export_figure.h"
#include "render/figure.h"
#include "render/figures.h"
#include "render/histogram_history.h"

namespace initscope {

static_assert(limits::kHistoryUpdates.hi == render::HistogramHistory::kCapacity,
              "--history's range is what the history view keeps");

struct ExportLayout {
  render::FigureOptions figure;  // theme, quantity, log counts, layers shown
  float font_px = 0;             // render::font_pixels(opt.font_scale)
  bool grid = false, profiles = false;
  ImVec2 grid_pos, grid_size;          // valid when `grid`
  ImVec2 profiles_pos, profiles_size;  // valid when `profiles`
  // The view that fills the whole image (heatmap, history, phase, training or signal; render's
  // layout functions with these find its parts), drawn with render::draw_figure.
  std::optional<render::FigureKind> whole;
  // --view sweep: the measured sweep figure (render/sweep_figure.h) fills the image; drawn from
  // a sweep's CSV, not from a snapshot, so it is no FigureKind (the window has no such tab).
  bool sweep = false;
  ImVec2 figure_pos, figure_size;  // valid with `whole` or `sweep`
};

// Checks the options (size, --view, --theme, --font-scale, --quantity against --preact,
// --layers-shown and --layer against `layers`, --history) and lays out the figure. "both": the
// grid on top, the profiles below in ~30% of the height (as in the window); heatmap, history
// and phase: one figure with the same margins. Throws UsageError naming the option, the value
// and what is allowed. --view sweep lays out the sweep figure (export_sweep_figure).
ExportLayout export_layout(const ExportOptions& opt, int layers);

}  // namespace initscope
