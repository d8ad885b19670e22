#include "app_state.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

#include "core/error.h"
#include "core/presets.h"
#include "render/fonts.h"

namespace initscope::app {

AppState::AppState(GLFWwindow* w, const Experiment& e, Settings s, bool is_scripted,
                   int compute_threads)
    : window(w),
      scripted(is_scripted),
      runner(e, /*playing=*/true, compute_threads),
      current(e),
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
  o.quantity = settings.preact ? render::Quantity::PreActivation : render::Quantity::Activation;
  o.log_counts = settings.log_counts;
  o.log_std = settings.log_std;
  o.shared_x = settings.shared_x;
  o.every_k = std::max(1, settings.every_k);
  return o;
}

MainLayout AppState::layout() const {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const UiMetrics m = metrics();
  const float needed = snap ? grid_needed_height(*snap, figure_options(), m) : 0.0f;
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

void AppState::load_preset(const std::string& name) {
  try {
    Experiment e = initscope::load_preset(name);
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
