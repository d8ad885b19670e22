#include "theme.h"

#include <cstring>

namespace initscope::render {
namespace {

constexpr ImU32 rgb(unsigned hex) {
  // ImGui packs colours as ABGR.
  return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, 0xFF);
}

// Tableau 10: distinct hues that survive projectors and the common colour-vision deficiencies
// better than a rainbow. The light theme darkens the pale entries so thin bars read on white.
constexpr unsigned kDarkColumns[] = {0x4E9BE6, 0xF28E2B, 0x59C14F, 0xE15759, 0x76B7B2,
                                     0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};
constexpr unsigned kLightColumns[] = {0x2E6DB4, 0xE0761A, 0x3E8E35, 0xC9302C, 0x3C8D88,
                                      0xB8960C, 0x8E5A85, 0xD9637A, 0x7E5A44, 0x7F7873};

}  // namespace

ImU32 column_color(int column, Theme theme) {
  const int n = static_cast<int>(sizeof(kDarkColumns) / sizeof(kDarkColumns[0]));
  const int i = ((column % n) + n) % n;
  return rgb(theme == Theme::Dark ? kDarkColumns[i] : kLightColumns[i]);
}

const Palette& palette(Theme theme) {
  static const Palette dark{rgb(0x1B1D22),
                            rgb(0x262930),
                            rgb(0x3A3E47),
                            rgb(0x7A808A),
                            rgb(0xECEDEF),
                            rgb(0xA3A8B0),
                            IM_COL32(255, 255, 255, 40)};
  static const Palette light{rgb(0xFFFFFF), rgb(0xF1F2F4), rgb(0xD4D7DC),        rgb(0x8A9099),
                             rgb(0x16181C), rgb(0x555B64), IM_COL32(0, 0, 0, 30)};
  return theme == Theme::Dark ? dark : light;
}

ImVec4 clear_color(Theme theme) {
  return ImGui::ColorConvertU32ToFloat4(palette(theme).background);
}

bool parse_theme(const char* text, Theme& out) {
  if (std::strcmp(text, "dark") == 0) {
    out = Theme::Dark;
    return true;
  }
  if (std::strcmp(text, "light") == 0) {
    out = Theme::Light;
    return true;
  }
  return false;
}

void apply_theme(Theme theme) {
  ImGuiStyle& style = ImGui::GetStyle();
  const Palette& p = palette(theme);
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(p.background);
  const ImVec4 text = ImGui::ColorConvertU32ToFloat4(p.text);
  const ImVec4 dim = ImGui::ColorConvertU32ToFloat4(p.text_dim);
  if (theme == Theme::Dark) {
    ImGui::StyleColorsDark(&style);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.20f, 0.22f, 0.26f, 1.0f);
    style.Colors[ImGuiCol_FrameBgHovered] = ImVec4(0.26f, 0.29f, 0.35f, 1.0f);
    style.Colors[ImGuiCol_FrameBgActive] = ImVec4(0.30f, 0.34f, 0.42f, 1.0f);
    style.Colors[ImGuiCol_MenuBarBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
    style.Colors[ImGuiCol_ChildBg] = bg;
  } else {
    ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.92f, 0.93f, 0.95f, 1.0f);
    style.Colors[ImGuiCol_MenuBarBg] = ImVec4(0.93f, 0.94f, 0.96f, 1.0f);
    style.Colors[ImGuiCol_ChildBg] = bg;
    style.Colors[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 0.15f);
  }
  style.Colors[ImGuiCol_WindowBg] = bg;
  style.Colors[ImGuiCol_Text] = text;
  style.Colors[ImGuiCol_TextDisabled] = dim;
  style.Colors[ImGuiCol_PopupBg] =
      theme == Theme::Dark ? ImVec4(0.12f, 0.13f, 0.16f, 0.98f) : ImVec4(1.0f, 1.0f, 1.0f, 0.98f);
}

}  // namespace initscope::render
