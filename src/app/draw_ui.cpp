// One frame of the window's UI: the tiled layout, then menus, panels, dialogs and keys.
#include "views.h"

namespace initscope::app {

void draw_ui(AppState& app) {
  const MainLayout lay = app.layout();
  app.last_layout = lay;
  draw_menu_bar(app);
  if (!lay.controls.empty()) draw_controls_panel(app, lay.controls);
  draw_grid_panel(app, lay.grid);
  if (!lay.profiles.empty()) draw_profiles_panel(app, lay.profiles);
  if (!lay.narrative.empty()) draw_narrative_panel(app, lay.narrative);
  draw_status_bar(app, lay.status);
  draw_dialogs(app);
  handle_shortcuts(app);
}

}  // namespace initscope::app
