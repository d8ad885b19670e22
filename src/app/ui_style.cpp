#include "ui_style.h"

#include <imgui.h>

#include <cmath>

#include "layout.h"

namespace initscope::app {

void apply_style(render::Theme theme, float font_px) {
  const UiMetrics m = ui_metrics(font_px);
  const float f = font_px;
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  s.WindowPadding = ImVec2(m.pad, m.pad);
  s.FramePadding = ImVec2(m.frame_pad_x, m.frame_pad_y);
  s.ItemSpacing = ImVec2(std::round(0.5f * f), std::round(0.32f * f));
  s.ItemInnerSpacing = ImVec2(std::round(0.35f * f), std::round(0.25f * f));
  s.IndentSpacing = std::round(1.1f * f);
  s.ScrollbarSize = std::round(0.85f * f);
  s.GrabMinSize = std::round(0.6f * f);
  s.FrameRounding = std::round(0.18f * f);
  s.GrabRounding = s.FrameRounding;
  s.PopupRounding = s.FrameRounding;
  s.WindowRounding = 0;
  s.ChildRounding = 0;
  s.WindowBorderSize = 0;
  s.PopupBorderSize = 1;
  s.TouchExtraPadding = ImVec2(0, 0);
  s.DisplaySafeAreaPadding = ImVec2(0, 0);
  render::apply_theme(theme);
  // Panels tile the window and the frame is cleared to the background colour: transparent
  // panel backgrounds save a full-window blend per frame (software GL is fill-bound).
  s.Colors[ImGuiCol_WindowBg].w = 0.0f;
}

}  // namespace initscope::app
