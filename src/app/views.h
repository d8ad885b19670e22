#pragma once
// The window's views, one file each. All run inside an ImGui frame on the UI thread and only
// read snapshots; edits go through AppState::apply (→ LiveRunner).
#include "app_state.h"
#include "layout.h"

namespace initscope::app {

// The whole window's UI for one frame (menu, panels, dialogs, keys), laid out by app.layout().
void draw_ui(AppState& app);

void draw_menu_bar(AppState& app);
void draw_controls_panel(AppState& app, const Rect& r);
void draw_inits_editor(AppState& app);  // inside the controls panel
void draw_grid_panel(AppState& app, const Rect& r);
void draw_profiles_panel(AppState& app, const Rect& r);
void draw_narrative_panel(AppState& app, const Rect& r);
void draw_status_bar(AppState& app, const Rect& r);
void draw_dialogs(AppState& app);      // modal popups: export folder, save/open experiment, data
void handle_shortcuts(AppState& app);  // keyboard (ignored while typing in a text field)

// A fixed, borderless panel at `r` (the layout is tiled, not user-arranged).
bool begin_panel(const char* name, const Rect& r, int extra_flags = 0);
void end_panel();

// True when an edit of the last item is finished: typed and left (Tab, Enter, click
// elsewhere), or changed by a click (combo, checkbox, ± buttons) without being held.
bool edit_committed(bool changed);
// Red, wrapped text for an error message.
void error_text(const std::string& message);
// Dim helper text; tooltip with `tip` when hovered.
void help_marker(const char* tip);

}  // namespace initscope::app
