#pragma once
#include "app_state.h"

namespace initscope::app {

// Renders the requested panel off screen at its scale (not a crop of the screen) and writes it
// into the export folder with the experiment embedded; reports the file in a notice.
void save_panel_png(AppState& app, const PanelPngRequest& req);
// The whole window's back buffer (call after Render, before swap).
void save_window_png(AppState& app, int fb_width, int fb_height);

}  // namespace initscope::app
