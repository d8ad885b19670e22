#include "export_layout.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "render/fonts.h"
#include "render/theme.h"

namespace initscope {
namespace {

render::FigureOptions figure_options(const ExportOptions& opt, int layers) {
  render::FigureOptions f;
  if (!render::parse_theme(opt.theme.c_str(), f.theme))
    throw UsageError("--theme: '" + opt.theme + "' is not a theme; use light or dark");
  if (!opt.quantity.empty() && !render::parse_quantity(opt.quantity, f.quantity))
    throw UsageError("--quantity: '" + opt.quantity + "' is not a quantity; use " +
                     render::quantity_keys_text());
  if (opt.preact) {
    if (!opt.quantity.empty() && f.quantity != render::Quantity::PreActivation)
      throw UsageError("--preact and --quantity " + opt.quantity + " disagree; give one of them");
    f.quantity = render::Quantity::PreActivation;
  }
  if (opt.history_layer < 0 || opt.history_layer > layers)
    throw UsageError("--layer: layer " + std::to_string(opt.history_layer) +
                     " does not exist; use 1-" + std::to_string(layers));
  limits::kHistoryUpdates.check(opt.history_updates);
  f.log_counts = opt.log_counts;
  if (opt.every_k < 1)
    throw UsageError("--layers-shown: every:" + std::to_string(opt.every_k) +
                     " must step by at least 1");
  for (int l : opt.layers_shown)
    if (l < 1 || l > layers)
      throw UsageError("--layers-shown: layer " + std::to_string(l) + " does not exist; use 1-" +
                       std::to_string(layers));
  f.layers_shown = opt.layers_shown;
  f.every_k = opt.every_k;
  f.fit_rows = true;  // a figure has a fixed size: thin out rows rather than overflow
  f.title = true;
  f.legend = true;
  return f;
}

}  // namespace

ExportLayout export_layout(const ExportOptions& opt, int layers) {
  limits::kFigureSide.check(opt.width);
  limits::kFigureSide.check(opt.height);
  limits::kFontScale.check(opt.font_scale);

  ExportLayout l;
  render::FigureKind kind = render::FigureKind::Grid;
  if (opt.view == "both") {
    l.grid = l.profiles = true;
  } else if (opt.view == "sweep") {
    l.sweep = true;
  } else if (render::parse_figure_kind(opt.view, kind)) {
    l.grid = kind == render::FigureKind::Grid;
    l.profiles = kind == render::FigureKind::Profiles;
    if (!l.grid && !l.profiles) l.whole = kind;
  } else {
    throw UsageError("--view: '" + opt.view +
                     "' is not a view; use grid, profiles, both, heatmap, history, phase, "
                     "training, signal, sweep or gan");
  }
  l.figure = figure_options(opt, layers);
  l.font_px = render::font_pixels(opt.font_scale);

  // Margins and the grid/profiles split follow the window (src/app/layout.cpp), so the figure
  // looks like the window's central area.
  const float f = l.font_px, w = float(opt.width), h = float(opt.height);
  const float pad = std::round(0.6f * f);
  if (l.whole || l.sweep) {
    l.figure_pos = ImVec2(pad, pad);
    l.figure_size = ImVec2(w - 2 * pad, h - 2 * pad);
    return l;
  }
  float grid_h = h;
  if (l.profiles) {
    // 30% of the height, at least 11 lines of text for the four plots, at most 45% (lo ≤ hi).
    const float ph =
        l.grid ? std::round(std::clamp(0.3f * h, std::min(11.0f * f, 0.45f * h), 0.45f * h)) : h;
    grid_h = h - ph;
    l.profiles_pos = ImVec2(pad, grid_h + (l.grid ? 0.5f : 1.0f) * pad);
    l.profiles_size = ImVec2(w - 2 * pad, ph - (l.grid ? 1.5f : 2.0f) * pad);
  }
  if (l.grid) {
    l.grid_pos = ImVec2(pad, pad);
    l.grid_size = ImVec2(w - 2 * pad, grid_h - 2 * pad);
  }
  return l;
}

}  // namespace initscope
