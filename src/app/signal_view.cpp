// The signal propagation view: render::draw_signal_propagation plus a hover guide — a vertical
// line at the layer under the mouse in every panel and a tooltip table of each column's
// measured and predicted values there.
#include <imgui.h>

#include <cmath>

#include "render/profiles.h"
#include "render/signal_propagation.h"
#include "render/text.h"
#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

const char* signal_column_title(render::ProfileMetric m) {
  switch (m) {
    case render::ProfileMetric::ChannelSqMean:
      return "channel mean\xC2\xB2";
    case render::ProfileMetric::ChannelVar:
      return "channel variance";
    default:
      return "branch variance";
  }
}

std::string signal_number(double v) {
  return std::isfinite(v) ? render::format_number(v) : "\xE2\x80\x94";
}

void signal_tooltip(const Snapshot& s, int layer, const render::FigureOptions& opt,
                    const render::ProfileLayout& lay) {
  ImGui::BeginTooltip();
  // Layer 1 is a projection when any column is residual (columns may override the experiment).
  bool residual = false;
  for (size_t c = 0; c < s.experiment.inits.size(); ++c)
    residual = residual || s.experiment.column_arch(c).residual_net();
  ImGui::Text("Layer %d%s", layer, residual && layer == 1 ? " (the projection)" : "");
  const int n = 1 + 2 * static_cast<int>(lay.panels.size());
  if (ImGui::BeginTable("##signal", n, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("init");
    for (const render::ProfilePanel& p : lay.panels) {
      ImGui::TableSetupColumn(signal_column_title(p.metric));
      ImGui::TableSetupColumn("predicted");
    }
    ImGui::TableHeadersRow();
    for (size_t c = 0; c < s.columns.size(); ++c) {
      const auto& layers = s.columns[c].layers;
      if (layer < 1 || layer > static_cast<int>(layers.size())) continue;
      column_row_label(s.columns[c].init, c, opt.theme);
      for (const render::ProfilePanel& p : lay.panels) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(
            signal_number(render::profile_value(layers[layer - 1], p.metric, opt)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextDisabled(
            "%s", signal_number(render::predicted_value(s, c, layer, p.metric, opt)).c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndTooltip();
}

}  // namespace

void draw_signal_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##signal", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  if (!open || !app.snap) {
    if (open && !app.snap) waiting_message(app);
    end_panel();
    return;
  }
  const Snapshot& s = *app.snap;
  const UiMetrics m = app.metrics();
  const render::FigureOptions opt = app.figure_options();
  const Rect fr = figure_rect(app.last_layout, m);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h), render::FigureKind::Signal,
                      app.figure_sources(render::FigureKind::Signal), opt);
  const render::ProfileLayout lay =
      render::signal_layout(ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h), s, opt, m.font_px);
  if (const int layer = hovered_profile_layer(lay, opt); layer >= 0)
    signal_tooltip(s, layer, opt, lay);
  figure_save_menu(app, "signal_menu", "the signal propagation plot", render::FigureKind::Signal);
  end_panel();
}

}  // namespace initscope::app
