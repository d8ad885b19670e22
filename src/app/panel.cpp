#include <imgui.h>

#include <cstdio>

#include "views.h"

namespace initscope::app {

bool begin_panel(const char* name, const Rect& r, int extra_flags) {
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | extra_flags;
  return ImGui::Begin(name, nullptr, flags);
}

void end_panel() {
  ImGui::End();
}

bool edit_committed(bool changed) {
  return (changed && !ImGui::IsItemActive()) || ImGui::IsItemDeactivatedAfterEdit();
}

void waiting_message(const AppState& app) {
  const float pad = app.metrics().pad;
  ImGui::SetCursorPos(ImVec2(pad, pad));
  bool is_error = false;
  const std::string text = app.waiting_text(&is_error);
  if (is_error)
    error_text(text);
  else
    ImGui::TextDisabled("%s", text.c_str());
}

void error_text(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.30f, 0.25f, 1.0f));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(message.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void save_png_items(AppState& app, const char* figure, render::FigureKind what) {
  for (float scale : {1.0f, 2.0f, 3.0f}) {
    char item[96];
    std::snprintf(item, sizeof item, "Save %s as PNG (\xC3\x97%g)", figure, scale);
    if (ImGui::MenuItem(item)) app.panel_png = PanelPngRequest{what, std::nullopt, scale};
  }
}

void save_window_item(AppState& app) {
  ImGui::Separator();
  if (ImGui::MenuItem("Save the whole window as PNG", "Ctrl+S")) app.save_window_png = true;
}

void figure_save_menu(AppState& app, const char* popup, const char* figure,
                      render::FigureKind what) {
  if (ImGui::IsWindowHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Right))
    ImGui::OpenPopup(popup);
  if (ImGui::BeginPopup(popup)) {
    save_png_items(app, figure, what);
    save_window_item(app);
    ImGui::EndPopup();
  }
}

}  // namespace initscope::app
