#include "app_state.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

#include "core/error.h"
#include "core/presets.h"
#include "phase_point.h"
#include "render/fonts.h"

namespace initscope::app {

namespace {

// The experiment as the window starts it: a gradient view (remembered or asked for) needs the
// backward pass from the first update on.
Experiment starting_experiment(const Experiment& e, const Settings& s) {
  Experiment out = e;
  if (render::is_gradient(s.quantity)) out.gradients = true;
  return out;
}

}  // namespace

AppState::AppState(GLFWwindow* w, const Experiment& e, Settings s, bool is_scripted,
                   int compute_threads)
    : window(w),
      scripted(is_scripted),
      runner(starting_experiment(e, s), /*playing=*/true, compute_threads),
      current(starting_experiment(e, s)),
      settings(std::move(s)) {
  controls.sync(current);
  theme = settings.theme == "light" ? render::Theme::Light : render::Theme::Dark;
}

void AppState::notify(const std::string& text, bool error) {
  notice = text;
  notice_error = error;
  notice_until = ImGui::GetTime() + (error ? 8.0 : 5.0);
}

void AppState::set_font_scale(float s) {
  s = std::clamp(s, kMinFontScale, kMaxFontScale);
  if (s == settings.font_scale) return;
  settings.font_scale = s;
  font_rebuild = true;
}

void AppState::set_theme(render::Theme t) {
  theme = t;
  settings.theme = render::Theme::Dark == t ? "dark" : "light";
  font_rebuild = true;  // the style (colours and sizes) is rebuilt with the fonts
}

render::FigureOptions AppState::figure_options() const {
  render::FigureOptions o = window_figure_options(theme);
  o.quantity = settings.quantity;
  o.log_counts = settings.log_counts;
  o.log_std = settings.log_std;
  o.shared_x = settings.shared_x;
  o.every_k = std::max(1, settings.every_k);
  return o;
}

MainLayout AppState::layout() const {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const UiMetrics m = metrics();
  // The grid scrolls past what it needs; the other views fit the height they get, and ask for
  // enough to stay readable (at large text the profiles give way to them).
  const float needed = settings.view != FigureView::Grid ? figure_needed_height(m.font_px)
                       : snap ? grid_needed_height(*snap, figure_options(), m)
                              : 0.0f;
  return main_layout(size.x, size.y, m, toggles(), !current.narrative.empty(), needed);
}

PanelToggles AppState::toggles() const {
  return {settings.show_controls, settings.show_profiles, settings.show_narrative};
}

std::string AppState::apply(const Experiment& e) {
  try {
    e.validate();
    e.check_memory();
  } catch (const std::exception& ex) {
    return ex.what();
  }
  current = e;
  runner.set_experiment(e);
  return "";
}

void AppState::set_view(FigureView v) {
  settings.view = v;
  view_tab_pending = true;
}

std::string AppState::set_quantity(render::Quantity q) {
  if (render::is_gradient(q) && !current.gradients) {
    if (const std::string err = set_gradients(true, current.loss); !err.empty()) return err;
  }
  settings.quantity = q;
  return "";
}

std::string AppState::set_gradients(bool on, const std::string& loss) {
  Experiment e = current;
  e.gradients = on;
  e.loss = loss;
  const std::string err = apply(e);
  controls.gradients = current.gradients;  // the widgets show what runs, refused or not
  controls.loss = current.loss;
  if (!err.empty()) {
    notify(err, true);
    return err;
  }
  if (!on && render::is_gradient(settings.quantity))
    settings.quantity = render::Quantity::Activation;
  return "";
}

std::string AppState::move_phase_point(int column, double sigma_w2, double sigma_b2) {
  if (column < 0 || column >= static_cast<int>(current.inits.size())) return "no such column";
  const Experiment e = with_phase_point(current, static_cast<size_t>(column), sigma_w2, sigma_b2);
  const bool bias_changed = (e.bias.has_value() != current.bias.has_value()) ||
                            (e.bias && current.bias && e.bias->text != current.bias->text);
  if (const std::string err = apply(e); !err.empty()) {
    notify(err, true);
    return err;
  }
  controls.sync(current);
  std::string msg = "Column " + std::to_string(column + 1) + ": " + e.inits[column].text;
  if (bias_changed)
    msg += e.bias ? "; bias " + e.bias->text + " for every column" : "; no bias (every column)";
  notify(msg);
  return "";
}

void AppState::load_preset(const std::string& name) {
  try {
    Experiment e = initscope::load_preset(name);
    // The backward pass is a way of looking, not part of the story: it stays as it was.
    e.gradients = current.gradients || render::is_gradient(settings.quantity);
    e.loss = current.loss;
    const std::string err = apply(e);
    if (!err.empty()) {
      notify(err, true);
      return;
    }
    controls.sync(current);
    controls.clear_error();
    notify("Preset: " + (e.title.empty() ? name : e.title));
  } catch (const std::exception& ex) {
    notify(ex.what(), true);
  }
}

void AppState::request_quit() {
  if (window) glfwSetWindowShouldClose(window, GLFW_TRUE);
}

void AppState::reseed() {
  current.seed += 1;
  controls.seed = current.seed;
  runner.reseed(current.seed);
}

}  // namespace initscope::app
