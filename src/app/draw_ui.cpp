// One frame of the window's UI: the tiled layout, then menus, panels, dialogs and keys.
#include "views.h"

namespace initscope::app {

namespace {

// The view chosen in the tabs, and the depth profiles under it.
void draw_figure_panel(AppState& app, const MainLayout& lay) {
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
    case FigureView::Gan:  // not a tab: the Training tab draws the GAN figure in GAN mode
      draw_training_panel(app, lay.figure);
      break;
    case FigureView::Signal:
      draw_signal_panel(app, lay.figure);
      break;
  }
  if (!lay.profiles.empty()) draw_profiles_panel(app, lay.profiles);
}

}  // namespace

void draw_ui(AppState& app) {
  const MainLayout lay = app.layout();
  app.last_layout = lay;
  // The over-time heatmap grows with every new snapshot, whichever view is shown.
  app.history.record(app.snap, app.history_layer, app.settings.quantity);
  // Presentation mode shows the figure and the narrative only (the layout leaves the rest empty).
  if (!lay.menu.empty()) draw_menu_bar(app);
  if (!lay.controls.empty()) draw_controls_panel(app, lay.controls);
  if (!lay.tabs.empty()) draw_view_tabs(app, lay.tabs);
  // A lesson's question hides the figure and the profiles: the class predicts first.
  const bool asking = app.lesson && app.lesson->phase == LessonPhase::Question;
  if (asking) {
    const Rect& below = lay.profiles.empty() ? lay.figure : lay.profiles;
    draw_lesson_question(
        app, {lay.figure.x, lay.figure.y, lay.figure.w, below.y + below.h - lay.figure.y});
  } else {
    draw_figure_panel(app, lay);
  }
  if (!lay.narrative.empty()) {
    if (app.lesson)
      draw_lesson_panel(app, lay.narrative);
    else
      draw_narrative_panel(app, lay.narrative);
  }
  if (!lay.status.empty()) draw_status_bar(app, lay.status);
  draw_dialogs(app);
  handle_shortcuts(app);
}

}  // namespace initscope::app
