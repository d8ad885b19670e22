#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "render/figure.h"
#include "render/text.h"
#include "render/theme.h"
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

std::vector<std::string> wrap_lines(const std::string& text, float width, const char* break_after) {
  const ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const auto w = [&](size_t a, size_t b) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.data() + a, text.data() + b).x;
  };
  const auto breaks_after = [&](char c) {
    return c == ' ' || (c != '\0' && std::strchr(break_after, c) != nullptr);
  };
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t para_end = newline == std::string::npos ? text.size() : newline;
    size_t end = para_end;
    if (w(start, para_end) > width) {
      // The last break point whose line fits; none: the first break point (a long word).
      size_t best = std::string::npos;
      for (size_t i = start; i < para_end; ++i) {
        if (!breaks_after(text[i])) continue;
        const size_t cut = text[i] == ' ' ? i : i + 1;
        if (cut <= start) continue;
        const bool over = w(start, cut) > width;
        if (over && best != std::string::npos) break;
        best = cut;
        if (over) break;
      }
      if (best != std::string::npos) end = best;
    }
    lines.push_back(text.substr(start, end - start));
    start = end;
    while (start < para_end && text[start] == ' ') ++start;
    if (start == para_end && newline != std::string::npos) ++start;
  }
  return lines;
}

bool elided_text(const std::string& text, bool dim) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const std::string shown = render::fit_text(ImGui::GetFont(), ImGui::GetFontSize(), text, avail);
  if (shown.empty() || shown == "\xE2\x80\xA6") return false;
  if (dim) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(shown.c_str());
  if (dim) ImGui::PopStyleColor();
  if (shown != text && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
  return true;
}

void wrapped_text(const std::string& text, const char* break_after) {
  const std::vector<std::string> lines =
      wrap_lines(text, ImGui::GetContentRegionAvail().x, break_after);
  const ImGuiStyle& st = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(st.ItemSpacing.x, 0.0f));
  ImGui::BeginGroup();
  for (const std::string& line : lines) ImGui::TextUnformatted(line.c_str());
  ImGui::EndGroup();
  ImGui::PopStyleVar();
}

void wrapped_text_disabled(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrapped_text(text);
  ImGui::PopStyleColor();
}

bool whole_text_input(const char* id, std::string* text, bool bad) {
  // Idle (0), editing (1), or editing from the next frame on (2: the click was this frame).
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID key = ImGui::GetID(id);
  const int state = storage->GetInt(key, 0);
  const ImGuiStyle& st = ImGui::GetStyle();
  float width = ImGui::CalcItemWidth();
  float inner = width - 2 * st.FramePadding.x;
  const bool fits = ImGui::CalcTextSize(text->c_str()).x <= inner;
  if (!fits && state == 0) {
    // Widen: a piece that cannot be broken ("std=0.0632") wider than the field beside its
    // label moves the field to a line of its own.
    float widest = 0;
    for (const std::string& piece : wrap_lines(*text, 0.0f, ":,"))
      widest = std::max(widest, ImGui::CalcTextSize(piece.c_str()).x);
    const float line_start = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMin().x;
    if (widest > inner && ImGui::GetCursorScreenPos().x > line_start + 0.5f) {
      ImGui::NewLine();
      width = ImGui::CalcItemWidth();
      inner = width - 2 * st.FramePadding.x;
    }
  }
  if (bad) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.30f, 0.25f, 1.0f));
  bool changed = false;
  if (fits || state != 0) {
    if (state == 2) ImGui::SetKeyboardFocusHere();
    changed = ImGui::InputText(id, text);
    if (state == 2)
      storage->SetInt(key, 1);
    else if (state == 1 && !ImGui::IsItemActive())
      storage->SetInt(key, 0);
  } else {
    const std::vector<std::string> lines = wrap_lines(*text, inner, ":,");
    const float line_h = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 size(width, lines.size() * line_h + 2 * st.FramePadding.y);
    if (ImGui::InvisibleButton(id, size)) storage->SetInt(key, 2);
    const ImU32 bg =
        ImGui::GetColorU32(ImGui::IsItemHovered() ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), bg, st.FrameRounding);
    for (size_t i = 0; i < lines.size(); ++i)
      dl->AddText(ImVec2(p.x + st.FramePadding.x, p.y + st.FramePadding.y + i * line_h),
                  ImGui::GetColorU32(ImGuiCol_Text), lines[i].c_str());
  }
  if (bad) ImGui::PopStyleColor();
  return changed;
}

bool whole_text_multiline(const char* id, std::string* text) {
  // Idle (0), editing (1), or editing from the next frame on (2: the click was this frame).
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID key = ImGui::GetID(id);
  const int state = storage->GetInt(key, 0);
  const ImGuiStyle& st = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x, line_h = ImGui::GetTextLineHeight();
  const float indent = ImGui::GetFontSize();
  const float inner = width - 2 * st.FramePadding.x;
  // (line, indented) per shown line: every entry wrapped, its continuation lines indented.
  std::vector<std::pair<std::string, bool>> shown;
  size_t entries = 0;
  for (size_t start = 0; start <= text->size();) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string entry = text->substr(start, end - start);
    ++entries;
    if (!entry.empty()) {
      const std::vector<std::string> lines = wrap_lines(entry, inner - indent, ":,");
      for (size_t i = 0; i < lines.size(); ++i) shown.emplace_back(lines[i], i > 0);
    }
    start = end + 1;
  }
  bool changed = false;
  if (state != 0) {
    if (state == 2) ImGui::SetKeyboardFocusHere();
    const float h = float(entries + 1) * line_h + 2 * st.FramePadding.y;
    changed = ImGui::InputTextMultiline(id, text, ImVec2(width, h));
    if (state == 2)
      storage->SetInt(key, 1);
    else if (state == 1 && !ImGui::IsItemActive())
      storage->SetInt(key, 0);
    return changed;
  }
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 size(width,
                    float(std::max<size_t>(1, shown.size())) * line_h + 2 * st.FramePadding.y);
  if (ImGui::InvisibleButton(id, size)) storage->SetInt(key, 2);
  const ImU32 bg =
      ImGui::GetColorU32(ImGui::IsItemHovered() ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), bg, st.FrameRounding);
  for (size_t i = 0; i < shown.size(); ++i)
    dl->AddText(ImVec2(p.x + st.FramePadding.x + (shown[i].second ? indent : 0.0f),
                       p.y + st.FramePadding.y + float(i) * line_h),
                ImGui::GetColorU32(ImGuiCol_Text), shown[i].first.c_str());
  return changed;
}

int hovered_profile_layer(const render::ProfileLayout& lay, const render::FigureOptions& opt) {
  if (!ImGui::IsWindowHovered() || lay.layers <= 0) return -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const render::ProfilePanel& p : lay.panels) {
    if (mouse.x < p.plot.x0 || mouse.x > p.plot.x1 || mouse.y < p.plot.y0 || mouse.y > p.plot.y1)
      continue;
    const int layer = render::layer_at(p.plot, mouse.x, lay.layers);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (const render::ProfilePanel& q : lay.panels) {
      const float x = std::round(render::layer_x(q.plot, layer, lay.layers)) + 0.5f;
      dl->AddLine(ImVec2(x, q.plot.y0), ImVec2(x, q.plot.y1), render::palette(opt.theme).text_dim);
    }
    return layer;
  }
  return -1;
}

void column_row_label(const std::string& init, size_t column, render::Theme theme) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextColored(
      ImGui::ColorConvertU32ToFloat4(render::column_color(static_cast<int>(column), theme)),
      "\xE2\x96\xA0 %s", init.c_str());
}

}  // namespace initscope::app
