#pragma once
// The window's views, one file each. All run inside an ImGui frame on the UI thread and only
// read snapshots; edits go through AppState::apply (→ LiveRunner).
#include <string>
#include <vector>

#include "app_state.h"
#include "layout.h"
#include "render/profiles.h"

namespace initscope::app {

// The whole window's UI for one frame (menu, panels, dialogs, keys), laid out by app.layout().
void draw_ui(AppState& app);

void draw_menu_bar(AppState& app);
void draw_controls_panel(AppState& app, const Rect& r);
void draw_inits_editor(AppState& app);  // inside the controls panel
// The controls panel's "Architecture" section: norm, γ, residual form, α.
void draw_architecture_controls(AppState& app, float label_w);
void draw_view_tabs(AppState& app, const Rect& r);  // view tabs + what the figures show
void draw_grid_panel(AppState& app, const Rect& r);
void draw_heatmap_panel(AppState& app, const Rect& r);  // the Heatmap and Over time views
void draw_phase_panel(AppState& app, const Rect& r);
// Training mode's loss and accuracy curves; outside training mode, how to start it.
void draw_training_panel(AppState& app, const Rect& r);
// The controls panel's "Training" section: explore/train/GAN, optimizer, learning rate, batch, …
void draw_training_controls(AppState& app);
// Inside the Training panel in GAN mode: the GAN figure with its hover tooltip (gan_view.cpp).
void draw_gan_figure_panel(AppState& app);
// The "Training" section's GAN part: inits, epochs, lr, batch, layers, the Network switch.
void draw_gan_controls(AppState& app);
// Height of the line under the phase diagram (the column a click moves); the diagram is drawn
// in figure_rect() less this at the bottom.
float phase_help_height(float font_px);
void draw_profiles_panel(AppState& app, const Rect& r);
// The signal propagation plot (render/signal_propagation.h) with a hover guide and tooltip.
void draw_signal_panel(AppState& app, const Rect& r);
void draw_narrative_panel(AppState& app, const Rect& r);
// A lesson (app.lesson set): its panel in the narrative's place, and while a step's question is
// asked, the question card in the figure's place (lesson_view.cpp).
void draw_lesson_panel(AppState& app, const Rect& r);
void draw_lesson_question(AppState& app, const Rect& r);
// Presentation mode: the narrative panel's width — the narrowest (from a fifth of the window to
// two fifths) in which what draw_narrative_panel shows fits the height without scrolling.
float presentation_narrative_width(const AppState& app, float width, float height);
void draw_status_bar(AppState& app, const Rect& r);
void draw_dialogs(AppState& app);      // modal popups: export folder, save/open experiment, data
void handle_shortcuts(AppState& app);  // keyboard (ignored while typing in a text field)

// A fixed, borderless panel at `r` (the layout is tiled, not user-arranged).
bool begin_panel(const char* name, const Rect& r, int extra_flags = 0);
void end_panel();

// True when an edit of the last item is finished: typed and left (Tab, Enter, click
// elsewhere), or changed by a click (combo, checkbox, ± buttons) without being held.
bool edit_committed(bool changed);
// The right-click menu of a figure panel: "Save <figure> as PNG (×1/×2/×3)" — rendered off
// screen at that scale, not a crop — and "Save the whole window". Call inside the panel.
void figure_save_menu(AppState& app, const char* popup, const char* figure,
                      render::FigureKind what);
// Its parts, for menus with items of their own (the grid's "this cell").
void save_png_items(AppState& app, const char* figure, render::FigureKind what);
void save_window_item(AppState& app);  // separator + "Save the whole window as PNG"
// The layer under the mouse in a depth-profile-like figure (the profiles, the signal view): its
// guide line drawn across every panel; -1 when the mouse is over no panel's plot.
int hovered_profile_layer(const render::ProfileLayout& lay, const render::FigureOptions& opt);
// A per-column table row's first cell: a new row, the column's colour square and its init spec.
void column_row_label(const std::string& init, size_t column, render::Theme theme);
// ImGui::SameLine() when a radio button labelled `next_label` still fits on the line, else
// nothing (it goes on the next line): mode and network switches at text ×2.
void same_line_if_radio_fits(const char* next_label);
// Red, wrapped text for an error message.
void error_text(const std::string& message);
// `text` cut into lines of at most `width` pixels in the current font, broken only after a
// space or one of `break_after` — never inside a number ("gain 1.41" stays whole, which ImGui's
// own wrapping breaks after the '.'). A word wider than `width` keeps a line of its own.
std::vector<std::string> wrap_lines(const std::string& text, float width,
                                    const char* break_after = "");
// One line of text in the width left on the line: whole when it fits, else cut with "…" and
// the whole text in a tooltip. dim: ImGuiCol_TextDisabled. False (and nothing drawn) when not
// even a letter and "…" fit: the line is full.
bool elided_text(const std::string& text, bool dim = false);
// Wrapped text (wrap_lines at the space left on the line), lines as close as ImGui's.
void wrapped_text(const std::string& text, const char* break_after = "");
// The same in the greyed (disabled) text colour.
void wrapped_text_disabled(const std::string& text);
// A text field that shows its whole text: while idle, the text wrapped in the field's frame
// (after ':' and ','); a click edits it in an ordinary one-line field, which scrolls while
// typing. Red while `bad`. Returns true when the text changed (as ImGui::InputText); the last
// item is the field while it is edited, so edit_committed() works on it.
bool whole_text_input(const char* id, std::string* text, bool bad);
// The same for a list, one entry per line, in the full width left: while idle every entry
// wrapped (after ':' and ','; its continuation lines indented), the frame as tall as its
// lines; a click edits it in a multi-line field one line taller than the text.
bool whole_text_multiline(const char* id, std::string* text);
// What a figure panel says before its first snapshot (AppState::waiting_text): dim, or red when
// the worker refused the experiment. At the panel's top-left, inside its padding.
void waiting_message(const AppState& app);

}  // namespace initscope::app
