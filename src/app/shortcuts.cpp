// Keyboard for the classroom (ImGui 1.86: io.KeysDown is indexed by GLFW key codes).
// Ignored while a text field has the keyboard, so typing "relu" never reseeds.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <iterator>

#include "core/presets.h"
#include "views.h"

namespace initscope::app {
namespace {

bool pressed(int key, bool repeat = false) {
  return ImGui::IsKeyPressed(key, repeat);
}

}  // namespace

void handle_shortcuts(AppState& app) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool ctrl = io.KeyCtrl;
  // Window-level keys work even while typing.
  if (pressed(GLFW_KEY_F11)) app.fullscreen_toggle = true;
  if (pressed(GLFW_KEY_F5)) app.set_presenting(!app.presenting);
  // Esc leaves presentation mode first, then full screen (an open popup takes it first).
  if (pressed(GLFW_KEY_ESCAPE) && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup)) {
    if (app.presenting)
      app.set_presenting(false);
    else if (app.fullscreen)
      app.fullscreen_toggle = true;
  }
  if (ctrl && pressed(GLFW_KEY_S)) app.save_window_png = true;
  if (ctrl && pressed(GLFW_KEY_Q)) app.request_quit();
  if (ctrl && (pressed(GLFW_KEY_EQUAL) || pressed(GLFW_KEY_KP_ADD)))
    app.set_font_scale(app.font_scale() + 0.25f);
  if (ctrl && (pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)))
    app.set_font_scale(app.font_scale() - 0.25f);
  if (ctrl && (pressed(GLFW_KEY_0) || pressed(GLFW_KEY_KP_0))) app.set_font_scale(1.0f);
  if (io.WantTextInput || ctrl || io.KeyAlt) return;

  // Explore: play/pause, one update, new weights. Training: play/pause, one burst of
  // steps, start over from the init.
  if (pressed(GLFW_KEY_SPACE)) app.toggle_playing();
  if (app.lesson) {
    // A lesson: → / PageDown (what a presenter's clicker sends) reveal and advance, ← / PageUp
    // go back; N still steps the simulation.
    if (pressed(GLFW_KEY_RIGHT) || pressed(GLFW_KEY_PAGE_DOWN)) lesson_forward(app);
    if (pressed(GLFW_KEY_LEFT) || pressed(GLFW_KEY_PAGE_UP)) lesson_back(app);
    if (pressed(GLFW_KEY_N, true)) app.step();
  } else if (pressed(GLFW_KEY_RIGHT, true) || pressed(GLFW_KEY_N, true)) {
    app.step();
  }
  if (pressed(GLFW_KEY_R)) app.reset();
  if (pressed(GLFW_KEY_TAB)) app.settings.show_controls = !app.settings.show_controls;
  if (pressed(GLFW_KEY_P)) app.settings.show_profiles = !app.settings.show_profiles;
  if (pressed(GLFW_KEY_V)) app.set_view(next_view(app.settings.view, io.KeyShift ? -1 : 1));
  if (pressed(GLFW_KEY_Q)) {
    // Activations → pre-activations → (normed → branch) → dL/dA → dL/dW → activations.
    app.set_quantity(render::next_quantity(app.settings.quantity, io.KeyShift ? -1 : 1,
                                           app.current));  // a refusal: set_gradients notifies
  }
  const auto& presets = preset_list();
  for (int i = 0; i < 9 && i < static_cast<int>(presets.size()); ++i)
    if (pressed(GLFW_KEY_1 + i) || pressed(GLFW_KEY_KP_1 + i)) app.load_preset(presets[i].name);
}

}  // namespace initscope::app
