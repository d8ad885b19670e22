// The main menu: files, view options, presets, simulation. Every action has its key shown.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "core/lesson.h"
#include "core/presets.h"
#include "views.h"

namespace initscope::app {
namespace {

// The Presets menu's Lessons section: every lesson (opens at its first question), and a way
// out of the one being given.
void draw_lessons_menu_section(AppState& app) {
  ImGui::Separator();
  ImGui::TextDisabled("Lessons (\xE2\x86\x92 / \xE2\x86\x90 step through)");
  for (const LessonInfo& l : lesson_list()) {
    const std::string item = l.title + " (" + std::to_string(l.steps) + " steps)";
    const bool open = app.lesson && app.lesson->lesson.name == l.name;
    if (ImGui::MenuItem(item.c_str(), nullptr, open, l.steps > 0)) {
      try {
        if (std::string err = open_lesson(app, load_lesson(l.name), 0, LessonPhase::Question);
            !err.empty())
          app.notify(err, true);
      } catch (const std::exception& e) {
        app.notify(e.what(), true);
      }
    }
  }
  if (app.lesson && ImGui::MenuItem("Leave the lesson")) close_lesson(app);
}

}  // namespace

void draw_menu_bar(AppState& app) {
  if (!ImGui::BeginMainMenuBar()) return;
  Settings& s = app.settings;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Save window as PNG", "Ctrl+S")) app.save_window_png = true;
    // Each figure rendered off screen at twice the window's scale.
    using What = render::FigureKind;
    const struct {
      const char* label;
      What what;
      bool ready;
    } figures[] = {
        {"Save grid as PNG (\u00D72)", What::Grid, true},
        {"Save depth profiles as PNG (\u00D72)", What::Profiles, true},
        {"Save heatmap as PNG (\u00D72)", What::Heatmap, true},
        {"Save phase diagram as PNG (\u00D72)", What::Phase, true},
        {"Save training curves as PNG (\u00D72)", What::Training, app.train_snap != nullptr},
    };
    for (const auto& fig : figures)
      if (ImGui::MenuItem(fig.label, nullptr, false, fig.ready))
        app.panel_png = PanelPngRequest{fig.what, std::nullopt, 2.0f};
    if (ImGui::MenuItem("Export data (CSV + JSON)", nullptr, false, app.snap != nullptr))
      app.open_export_data = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Open experiment\xE2\x80\xA6")) app.open_open_experiment = true;
    if (ImGui::MenuItem("Save experiment\xE2\x80\xA6")) app.open_save_experiment = true;
    ImGui::Separator();
    const std::string folder =
        "Export folder: " + (s.export_dir.empty() ? "(not set)" : s.export_dir);
    if (ImGui::MenuItem(folder.c_str())) app.open_export_dir_dialog = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.request_quit();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (FigureView v : kFigureViews)
      if (ImGui::MenuItem(view_title(v), "V", s.view == v)) app.set_view(v);
    ImGui::Separator();
    for (render::Quantity q : render::kQuantities)
      if (render::is_available(q, app.current) &&
          ImGui::MenuItem(render::quantity_title(q), "Q", s.quantity == q))
        app.set_quantity(q);
    if (ImGui::MenuItem("Backward pass (gradient norm profile)", nullptr,
                        app.current.gradients || app.training(), !app.training()))
      app.set_gradients(!app.current.gradients, app.current.loss);
    ImGui::Separator();
    ImGui::MenuItem("Log counts", nullptr, &s.log_counts);
    ImGui::MenuItem("Log std axis", nullptr, &s.log_std);
    ImGui::MenuItem("Log loss axis (training)", nullptr, &s.log_loss);
    ImGui::MenuItem("One x axis per column", nullptr, &s.shared_x);
    if (ImGui::BeginMenu("Show every k-th layer")) {
      for (int k : {1, 2, 3, 5, 10, 20, 50, 100}) {
        const std::string item = k == 1 ? "every layer" : "every " + std::to_string(k) + "th";
        if (ImGui::MenuItem(item.c_str(), nullptr, s.every_k == k)) s.every_k = k;
      }
      ImGui::EndMenu();
    }
    ImGui::Separator();
    ImGui::MenuItem("Controls panel", "Tab", &s.show_controls);
    ImGui::MenuItem("Depth profiles", "P", &s.show_profiles);
    ImGui::MenuItem("Narrative panel", nullptr, &s.show_narrative);
    ImGui::Separator();
    if (ImGui::MenuItem("Dark theme", nullptr, app.theme == render::Theme::Dark))
      app.set_theme(render::Theme::Dark);
    if (ImGui::MenuItem("Light theme (projectors)", nullptr, app.theme == render::Theme::Light))
      app.set_theme(render::Theme::Light);
    if (ImGui::MenuItem("Larger text", "Ctrl +")) app.set_font_scale(app.font_scale() + 0.25f);
    if (ImGui::MenuItem("Smaller text", "Ctrl \xE2\x88\x92"))
      app.set_font_scale(app.font_scale() - 0.25f);
    for (float f : {1.0f, 1.5f, 2.0f, 3.0f}) {
      char item[32];
      std::snprintf(item, sizeof item, "Text \xC3\x97%g", f);
      if (ImGui::MenuItem(item, f == 1.0f ? "Ctrl 0" : nullptr, app.font_scale() == f))
        app.set_font_scale(f);
    }
    if (ImGui::MenuItem("Full screen", "F11", app.fullscreen)) app.fullscreen_toggle = true;
    if (ImGui::MenuItem("Presentation mode", "F5", app.presenting)) app.set_presenting(true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Presets")) {
    const auto& presets = preset_list();
    for (size_t i = 0; i < presets.size(); ++i) {
      const std::string key = i < 9 ? std::to_string(i + 1) : "";
      const std::string title = presets[i].title.empty() ? presets[i].name : presets[i].title;
      if (ImGui::MenuItem(title.c_str(), key.c_str(), presets[i].name == app.current.preset))
        app.load_preset(presets[i].name);
    }
    draw_lessons_menu_section(app);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(app.gan_mode() ? "Training" : "Simulation")) {
    const bool playing = app.playing();
    if (ImGui::MenuItem(playing ? "Pause" : "Play", "Space")) app.toggle_playing();
    if (app.gan_mode()) {  // the GAN's own steps and seed, never the Explore simulation's
      const std::string step = "Step: " + std::to_string(app.train_burst) + " G steps";
      if (ImGui::MenuItem(step.c_str(), "\xE2\x86\x92 / N")) app.step();
      if (ImGui::MenuItem("Reset: train the GAN again from the init", "R")) app.reset();
      if (ImGui::MenuItem("New weights (seed + 1), train again")) app.reseed();
    } else if (app.training()) {
      const std::string step = "Step: " + std::to_string(app.train_burst) + " training steps";
      if (ImGui::MenuItem(step.c_str(), "\xE2\x86\x92 / N")) app.step();
      if (ImGui::MenuItem("Reset: train again from the init", "R")) app.reset();
      if (ImGui::MenuItem("New weights (seed + 1), train again")) app.reseed();
    } else {
      if (ImGui::MenuItem("Step: one update with a new batch", "\xE2\x86\x92 / N")) app.step();
      if (ImGui::MenuItem("New weights (seed + 1)", "R")) app.reset();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Train on Fashion-MNIST", nullptr, app.training()))
      app.set_training(!app.training());
    ImGui::EndMenu();
  }
  // The running experiment, right-aligned.
  // The running experiment, right-aligned: in GAN mode the GAN's (Explore's network is not it).
  const std::string summary = app.gan_mode() ? app.gan.summary() : app.current.summary();
  const float w = ImGui::CalcTextSize(summary.c_str()).x;
  const float x = ImGui::GetWindowWidth() - w - ImGui::GetStyle().ItemSpacing.x * 2;
  if (x > ImGui::GetCursorPosX() + ImGui::GetFontSize()) {
    ImGui::SetCursorPosX(x);
    ImGui::TextDisabled("%s", summary.c_str());
  }
  ImGui::EndMainMenuBar();
}

}  // namespace initscope::app
