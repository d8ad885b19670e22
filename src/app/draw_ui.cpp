// One frame of the window's UI: the tiled layout, then menus, panels, dialogs and keys.
#include "views.h"

namespace initscope::app {

void draw_ui(AppState& app) {
  const MainLayout lay = app.layout();
  app.last_layout = lay;
  // The over-time heatmap grows with every new snapshot, whichever view is shown.
  app.history.record(app.snap, app.history_layer, app.settings.quantity);
  // Presentation mode shows the figure and the narrative only (the layout leaves the rest empty).
  if (!lay.menu.empty()) draw_menu_bar(app);
  if (!lay.controls.empty()) draw_controls_panel(app, lay.controls);
  if (!lay.tabs.empty()) draw_view_tabs(app, lay.tabs);
  switch (app.settings.view) {
    case FigureView::Grid:
    case FigureView::Profiles:  // not a tab: the profiles sit under the grid
      draw_grid_panel(app, lay.figure);
      break;
    case FigureView::Heatmap:
    case FigureView::History:
      draw_heatmap_panel(app, lay.figure);
      break;
    case FigureView::Phase:
      draw_phase_panel(app, lay.figure);
      break;
    case FigureView::Training:
      draw_training_panel(app, lay.figure);
      break;
  }
  if (!lay.profiles.empty()) draw_profiles_panel(app, lay.profiles);
  if (!lay.narrative.empty()) draw_narrative_panel(app, lay.narrative);
  if (!lay.status.empty()) draw_status_bar(app, lay.status);
  draw_dialogs(app);
  handle_shortcuts(app);
}

}  // namespace initscope::app
