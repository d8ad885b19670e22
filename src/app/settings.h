#pragma once
// What the window remembers between runs: theme, font scale, window size, panel toggles, view
// options and the export folder. Stored as JSON in $XDG_CONFIG_HOME/initscope/settings.json
// (or ~/.config/initscope/settings.json). Scripted runs (--frames/--screenshot) ignore it so
// that screenshots are reproducible.
#include <string>

#include "core/limits.h"
#include "figure_view.h"
#include "render/quantity.h"

namespace initscope::app {

struct Settings {
  std::string theme = "dark";  // "dark" | "light"
  float font_scale = 1.0f;     // presentation scale (limits::kFontScale), × the content scale
  int window_width = 1600, window_height = 1000;
  bool show_controls = true, show_profiles = true, show_narrative = true;
  FigureView view = FigureView::Grid;                        // the figure in the centre
  render::Quantity quantity = render::Quantity::Activation;  // what the figures show
  bool log_counts = false;                                   // histogram bar heights log(1 + count)
  bool log_std = true;                                       // depth profile of std on a log axis
  bool log_loss = true;                                      // training curves: log loss axis
  bool shared_x = true;    // one x axis per grid column (else each cell zooms on its data)
  int every_k = 1;         // show every k-th layer
  std::string export_dir;  // "" = not chosen yet
};

// The window's font scale and size follow the one table (core/limits.h).
inline constexpr float kMinFontScale = float(limits::kFontScale.lo);
inline constexpr float kMaxFontScale = float(limits::kFontScale.hi);
// Presentation mode's smallest text size (a smaller one is raised to it while presenting).
inline constexpr float kPresentFontScale = 1.5f;

// "" when neither XDG_CONFIG_HOME nor HOME is set.
std::string config_dir();
// Defaults when the file is missing; a corrupt file is reported on stderr and ignored.
Settings load_settings();
// Best effort (creates the folder); returns false and sets `error` on failure.
bool save_settings(const Settings& s, std::string* error = nullptr);

}  // namespace initscope::app
