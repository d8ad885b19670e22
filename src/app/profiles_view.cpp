// The depth-profile panel: render::draw_depth_profiles plus a hover guide — a vertical line at
// the layer under the mouse in all four plots and a tooltip table of every column's values.
#include <imgui.h>

#include <cmath>

#include "render/profiles.h"
#include "render/text.h"
#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

std::string value_text(double v, render::ProfileMetric m) {
  if (!std::isfinite(v)) return "NaN";
  if (m == render::ProfileMetric::Saturated || m == render::ProfileMetric::Zero)
    return render::format_percent(v);
  return render::format_number(v);
}

void layer_tooltip(const Snapshot& s, int layer, const render::FigureOptions& opt,
                   const render::ProfileLayout& lay) {
  // One column per plot, plus the mean-field prediction of the std when there is one.
  bool predicted = false;
  for (size_t c = 0; c < s.columns.size(); ++c)
    predicted = predicted || std::isfinite(render::predicted_std(s, c, layer, opt));
  const int n = static_cast<int>(lay.panels.size()) + 1 + (predicted ? 1 : 0);
  ImGui::BeginTooltip();
  ImGui::Text("Layer %d  \xC2\xB7  %s", layer, render::quantity_title(opt.quantity));
  if (ImGui::BeginTable("##values", n, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("init");
    for (const render::ProfilePanel& p : lay.panels) {
      switch (p.metric) {
        case render::ProfileMetric::Mean:
          ImGui::TableSetupColumn("mean");
          break;
        case render::ProfileMetric::Std:
          ImGui::TableSetupColumn("std");
          if (predicted)
            ImGui::TableSetupColumn(opt.quantity == render::Quantity::ActivationGrad
                                        ? "predicted (BN \xCF\x80/(\xCF\x80\xE2\x88\x92"
                                          "1))"
                                        : "predicted std");
          break;
        case render::ProfileMetric::Saturated:
          ImGui::TableSetupColumn("saturated");
          break;
        case render::ProfileMetric::Zero:
          ImGui::TableSetupColumn("near zero");
          break;
        case render::ProfileMetric::GradNorm:
          ImGui::TableSetupColumn(
              "\xE2\x80\x96"
              "dL/dW\xE2\x80\x96");
          break;
        case render::ProfileMetric::PairCorrelation:
          ImGui::TableSetupColumn("pair corr.");
          break;
        default:  // the signal plot's panels (signal_view.cpp) are not depth profiles
          ImGui::TableSetupColumn(render::metric_title(p.metric, opt));
          break;
      }
    }
    ImGui::TableHeadersRow();
    for (size_t c = 0; c < s.columns.size(); ++c) {
      const auto& layers = s.columns[c].layers;
      if (layer < 1 || layer > static_cast<int>(layers.size())) continue;
      column_row_label(s.columns[c].init, c, opt.theme);
      for (const render::ProfilePanel& p : lay.panels) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(
            value_text(render::measured_value(s, c, layer, p.metric, opt), p.metric).c_str());
        if (p.metric == render::ProfileMetric::Std && predicted) {
          ImGui::TableNextColumn();
          const double v = render::predicted_std(s, c, layer, opt);
          ImGui::TextDisabled("%s",
                              std::isfinite(v) ? render::format_number(v).c_str() : "\xE2\x80\x94");
        }
      }
    }
    ImGui::EndTable();
  }
  // dL/dA: why a column has no predicted line (architecture_theory.h: only BatchNorm ReLU nets
  // have a closed-form gradient growth).
  if (opt.quantity == render::Quantity::ActivationGrad)
    for (size_t c = 0; c < s.columns.size() && c < s.theory.size(); ++c)
      if (!s.theory[c].grad_note.empty())
        ImGui::TextDisabled("%s: %s", s.columns[c].init.c_str(), s.theory[c].grad_note.c_str());
  ImGui::EndTooltip();
}

}  // namespace

void draw_profiles_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##profiles", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  if (!open || !app.snap) {
    end_panel();
    return;
  }
  const Snapshot& s = *app.snap;
  const UiMetrics m = app.metrics();
  render::FigureOptions opt = app.figure_options();
  // The grid above carries the title; under the GAN figure the strip says whose layers it shows
  // (the probe's title: the generator or the discriminator, Network switch).
  opt.title = app.gan_mode();
  const Rect fr = profiles_figure_rect(app.last_layout, m);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // A thin rule separates the profiles from the grid above.
  dl->AddLine(ImVec2(r.x + m.pad, r.y + 0.5f), ImVec2(r.x + r.w - m.pad, r.y + 0.5f),
              render::palette(opt.theme).grid_line);
  render::draw_figure(dl, ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h), render::FigureKind::Profiles,
                      app.figure_sources(render::FigureKind::Profiles), opt);

  const render::ProfileLayout lay =
      render::profile_layout(ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h), s, opt, m.font_px);
  if (const int layer = hovered_profile_layer(lay, opt); layer >= 0)
    layer_tooltip(s, layer, opt, lay);
  figure_save_menu(app, "profiles_menu", "the depth profiles", render::FigureKind::Profiles);
  end_panel();
}

}  // namespace initscope::app
