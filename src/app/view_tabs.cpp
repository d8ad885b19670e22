// The strip above the figure: one tab per figure view (V / Shift+V cycle them, also in the View
// menu), and on the right what the figures show — activations, pre-activations, normalized
// values and the residual branch (when the experiment has them), dL/dA, dL/dW (Q cycles) — and, for
// "over time", the layer followed.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

void quantity_combo(AppState& app, float width) {
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("##quantity", render::quantity_title(app.settings.quantity))) {
    for (render::Quantity q : render::kQuantities) {
      if (!render::is_available(q, app.current)) continue;
      if (ImGui::Selectable(render::quantity_title(q), q == app.settings.quantity))
        app.set_quantity(q);
      if (render::is_gradient(q) && ImGui::IsItemHovered())
        ImGui::SetTooltip("Turns the backward pass on (about twice the work per update)");
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered() && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup))
    ImGui::SetTooltip("What the figures show (Q cycles)");
}

void history_layer_input(AppState& app, float width) {
  const int L = app.current.layers;
  int layer = app.history_layer <= 0 ? L : std::min(app.history_layer, L);
  ImGui::SetNextItemWidth(width);
  if (ImGui::InputInt("##history_layer", &layer, 1, 5))
    app.history_layer = std::clamp(layer, 1, L) == L ? 0 : std::clamp(layer, 1, L);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The layer followed over time (the history starts over when it changes)");
}

}  // namespace

void draw_view_tabs(AppState& app, const Rect& r) {
  const UiMetrics m = app.metrics();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(m.pad, 0.25f * m.font_px));
  const bool open = begin_panel("##tabs", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  if (!open) {
    end_panel();
    return;
  }
  const float f = m.font_px;
  const ImGuiStyle& style = ImGui::GetStyle();
  // The tabs get exactly their width (a tab bar fills its region), the choices the rest.
  float tabs_w = 0;
  for (FigureView v : kFigureViews)
    tabs_w +=
        ImGui::CalcTextSize(view_title(v)).x + 2 * style.FramePadding.x + style.ItemInnerSpacing.x;
  const float start_x = ImGui::GetCursorPosX(), start_y = ImGui::GetCursorPosY();
  // At large text the tabs narrow to the panel (ImGui cuts their labels with "…" and shows
  // the whole label as a tooltip).
  tabs_w = std::min(tabs_w, r.w - start_x - m.pad - f);
  // Six tabs shrink at text ×3 in 1280 pixels: padding inside the child keeps the last tab's
  // "…" clear of its clip edge (ImGui clips half a padding in, the tabs end a whole one in);
  // the tabs keep 0.2 f of slack when they fit.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(std::round(0.4f * f), 0));
  const bool tab_child =
      ImGui::BeginChild("##tab_bar", ImVec2(tabs_w + f, r.h - start_y), false,
                        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();
  if (tab_child) {
    if (ImGui::BeginTabBar("##views")) {
      for (FigureView v : kFigureViews) {
        const bool select = app.view_tab_pending && v == app.settings.view;
        if (ImGui::BeginTabItem(view_title(v), nullptr,
                                select ? ImGuiTabItemFlags_SetSelected : 0)) {
          // A tab chosen by keys becomes current on the next frame; until then the old one
          // reports open and must not undo the choice.
          if (!app.view_tab_pending) app.settings.view = v;
          ImGui::EndTabItem();
        }
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("%s \xE2\x80\x94 V / Shift+V: next / previous view", view_title(v));
      }
      ImGui::EndTabBar();
    }
  }
  ImGui::EndChild();
  app.view_tab_pending = false;

  if (app.settings.view == FigureView::Training) {
    // The curves have no quantity: their own choice instead.
    const char* text = "Log loss axis";
    const float w =
        ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(text).x;
    if (app.training() && r.w - m.pad - w > start_x + tabs_w + 2 * f) {
      ImGui::SetCursorPos(ImVec2(r.w - m.pad - w, start_y));
      ImGui::Checkbox(text, &app.settings.log_loss);
    }
    end_panel();
    return;
  }
  // Right-aligned: [view's choice] Show [quantity], in the room the tabs leave: at large text
  // the combo narrows, then loses its label, then goes (Q and the View menu remain).
  const float label_w = ImGui::CalcTextSize("Show").x + style.ItemSpacing.x;
  const float free_w = r.w - m.pad - (start_x + tabs_w + f);
  const bool labelled = free_w - label_w >= 8.0f * f;
  const float combo_w = std::round(std::min(13.0f * f, labelled ? free_w - label_w : free_w));
  if (combo_w < 5.0f * f) {
    end_panel();
    return;
  }
  float x = r.w - m.pad - combo_w;
  ImGui::SetCursorPos(ImVec2(x, start_y));
  quantity_combo(app, combo_w);
  if (labelled) {
    x -= label_w;
    ImGui::SetCursorPos(ImVec2(x, start_y));
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Show");
  }
  const float room = x - (start_x + tabs_w + 2 * f);
  if (app.settings.view == FigureView::History && room > 9 * f) {
    const float w = std::round(6.5f * f), lw = ImGui::CalcTextSize("Layer").x;
    x -= w + 1.5f * f;
    ImGui::SetCursorPos(ImVec2(x, start_y));
    history_layer_input(app, w);
    x -= lw + style.ItemSpacing.x;
    ImGui::SetCursorPos(ImVec2(x, start_y));
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Layer");
  }
  end_panel();
}

}  // namespace initscope::app
