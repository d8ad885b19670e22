#pragma once
#include "app_state.h"

namespace initscope::app {

// Renders the requested panel off screen at its scale (not a crop of the screen) and writes it
// into the export folder with the experiment embedded; reports the file in a notice.
void save_panel_png(AppState& app, const PanelPngRequest& req);
// The whole window's back buffer (call after Render, before swap).
void save_window_png(AppState& app, int fb_width, int fb_height);

// The export-folder flow: a PNG asked for (Ctrl+S, a right-click menu) is saved once the export
// folder is known; before that the folder dialog opens, and the request waits for it
// (AppState::after_export_dir). The window's PNG: after Render, before swap.
void save_requested_window_png(AppState& app, int fb_width, int fb_height);
// A figure's PNG: between frames (it renders off screen in the window's GL context).
void save_requested_panel_png(AppState& app);

}  // namespace initscope::app
