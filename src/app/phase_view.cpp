// The Phase diagram view: render::draw_phase_diagram over the χ₁ field that PhaseGridTask
// computes off the UI thread, plus the interaction — hover tells χ₁ and the phase at the
// pointer; a click on a column's marker selects that column; a click elsewhere moves the
// selected column there (AppState::move_phase_point: its init becomes a variance_scaling spec
// with that σ_w², and the bias — shared by every column — gets that σ_b²).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/phase_diagram.h"
#include "render/text.h"
#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

// χ₁ at the grid sample nearest to (σ_w², σ_b²).
double chi1_near(const PhaseGrid& g, double w2, double b2) {
  const auto index = [](const GridAxis& a, double v) {
    return std::clamp(static_cast<int>(std::lround((v - a.lo) / (a.hi - a.lo) * (a.n - 1))), 0,
                      a.n - 1);
  };
  return g.chi1[size_t(index(g.sigma_b2, b2)) * g.sigma_w2.n + index(g.sigma_w2, w2)];
}

// The column a click moves: a combo of the columns, each with its colour.
void column_combo(AppState& app, float width) {
  const auto& inits = app.current.inits;
  if (inits.empty()) return;
  ImGui::SetNextItemWidth(width);
  const std::string shown = std::to_string(app.phase_column + 1) + "  " +
                            inits[static_cast<size_t>(app.phase_column)].text;
  if (ImGui::BeginCombo("##phase_column", shown.c_str())) {
    for (size_t c = 0; c < inits.size(); ++c) {
      ImGui::TextColored(
          ImGui::ColorConvertU32ToFloat4(render::column_color(static_cast<int>(c), app.theme)),
          "\xE2\x96\xA0");
      ImGui::SameLine();
      const std::string item = std::to_string(c + 1) + "  " + inits[c].text;
      if (ImGui::Selectable(item.c_str(), static_cast<int>(c) == app.phase_column))
        app.phase_column = static_cast<int>(c);
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered() && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup))
    ImGui::SetTooltip("The column a click in the diagram moves (or click its marker)");
}

}  // namespace

float phase_help_height(float font_px) {
  return std::round(2.0f * font_px);
}

void draw_phase_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##phase", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  if (!open || !app.snap) {
    end_panel();
    return;
  }
  const Snapshot& s = *app.snap;
  const UiMetrics m = app.metrics();
  const float f = m.font_px;
  const render::FigureOptions opt = app.figure_options();
  app.phase_column =
      std::clamp(app.phase_column, 0, std::max(0, static_cast<int>(s.columns.size()) - 1));
  const render::FigureSources src = app.figure_sources(render::FigureKind::Phase);
  const PhaseGrid* grid = src.phase;
  // The figure, and one line of help below it.
  const Rect fr = figure_rect(app.last_layout, m);
  const ImVec2 pos(fr.x, fr.y), size(fr.w, std::max(1.0f, fr.h - phase_help_height(f)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, pos, size, render::FigureKind::Phase, src, opt);
  const render::PhaseLayout lay = render::phase_layout(pos, size, grid, opt, f);

  // The line under the diagram: which column a click moves, and what moving does.
  ImGui::SetCursorScreenPos(ImVec2(fr.x, fr.y + fr.h - ImGui::GetFrameHeight()));
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("Click moves");
  ImGui::SameLine();
  column_combo(app, std::round(13.0f * f));
  ImGui::SameLine();
  const float left = fr.x + fr.w - ImGui::GetCursorScreenPos().x;
  const std::string help =
      "to the point: its init becomes variance_scaling with that \xCF\x83_w\xC2\xB2.  "
      "\xCF\x83_b\xC2\xB2 is one bias for all columns: it moves every point.";
  ImGui::TextDisabled("%s",
                      render::fit_text(ImGui::GetFont(), ImGui::GetFontSize(), help, left).c_str());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "%s\n\xCF\x87\xE2\x82\x81 field: %d \xC3\x97 %d samples in %.0f ms, "
        "computed off the UI thread once per activation",
        help.c_str(), grid ? grid->sigma_w2.n : 0, grid ? grid->sigma_b2.n : 0,
        app.phase_grid.last_compute_ms());

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered()) {
    const int over = render::column_marker_at(lay, s, mouse);
    const std::optional<render::PhasePoint> at = render::phase_point_at(lay, mouse.x, mouse.y);
    if (over >= 0) {
      const Prediction& p = s.theory[static_cast<size_t>(over)];
      ImGui::SetTooltip("%s\n\xCF\x83_w\xC2\xB2 %s  \xCF\x83_b\xC2\xB2 %s   %s\nClick to select it",
                        s.columns[static_cast<size_t>(over)].init.c_str(),
                        render::format_number(p.init.sigma_w2).c_str(),
                        render::format_number(p.init.sigma_b2).c_str(),
                        render::phase_text(p.fixed).c_str());
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) app.phase_column = over;
    } else if (at) {
      const double chi1 = grid ? chi1_near(*grid, at->sigma_w2, at->sigma_b2) : NAN;
      ImGui::SetTooltip(
          "\xCF\x83_w\xC2\xB2 %s  \xCF\x83_b\xC2\xB2 %s   \xCF\x87\xE2\x82\x81 "
          "\xE2\x89\x88 %s\nClick: move column %d here",
          render::format_number(at->sigma_w2).c_str(), render::format_number(at->sigma_b2).c_str(),
          render::format_number(chi1).c_str(), app.phase_column + 1);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left))
        app.move_phase_point(app.phase_column, at->sigma_w2, at->sigma_b2);
    }
  }
  figure_save_menu(app, "phase_menu", "the phase diagram", render::FigureKind::Phase);
  end_panel();
}

}  // namespace initscope::app
