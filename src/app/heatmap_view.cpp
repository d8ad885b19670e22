// The Heatmap and Over time views: render::draw_heatmaps of every layer (x = layer) or of one
// layer's history (x = update, AppState::history) — plus a hover tooltip naming the bin under
// the mouse and a right-click menu to save the figure as PNG.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "render/heatmap.h"
#include "render/text.h"
#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

void bin_tooltip(const Snapshot& s, const render::HeatmapSeries& series,
                 const render::HeatmapPlot& p, size_t column, int slice, int bin,
                 const render::FigureOptions& opt) {
  using render::format_number;
  const ValueStats* v = series.columns[column][static_cast<size_t>(slice)];
  ImGui::BeginTooltip();
  ImGui::Text("%s %lld  \xC2\xB7  %s  \xC2\xB7  %s", series.x_label.c_str(), series.x[slice],
              s.columns[column].init.c_str(), render::quantity_title(opt.quantity));
  ImGui::Separator();
  if (!v) {
    ImGui::TextDisabled("no data");
  } else {
    const double w = (p.hi - p.lo) / p.bins, lo = p.lo + bin * w;
    const std::vector<double> counts = render::resample_counts(v->hist, p.lo, p.hi, p.bins);
    const double c = counts[static_cast<size_t>(bin)];
    ImGui::Text("[%s, %s):  \xE2\x89\x88 %.0f values (%s)", format_number(lo).c_str(),
                format_number(lo + w).c_str(), c,
                render::format_percent(v->count ? c / double(v->count) : 0).c_str());
    ImGui::Text("mean %s   std %s", format_number(v->mean).c_str(), format_number(v->std).c_str());
    const uint64_t outside = v->hist.below + v->hist.above;
    if (outside)
      ImGui::TextDisabled("%llu values beyond this slice's histogram range",
                          static_cast<unsigned long long>(outside));
  }
  ImGui::EndTooltip();
}

}  // namespace

void draw_heatmap_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##heatmap", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  if (!open || !app.snap) {
    if (open && !app.snap) waiting_message(app);
    end_panel();
    return;
  }
  const Snapshot& s = *app.snap;
  const UiMetrics m = app.metrics();
  const render::FigureOptions opt = app.figure_options();
  const bool over_time = app.settings.view == FigureView::History;
  const render::HeatmapSeries series =
      over_time ? app.history.series() : render::layer_series(s, opt.quantity);
  const Rect fr = figure_rect(app.last_layout, m);
  const ImVec2 pos(fr.x, fr.y), size(fr.w, fr.h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, pos, size, app.settings.view, app.figure_sources(app.settings.view), opt);

  const render::HeatmapLayout lay = render::heatmap_layout(pos, size, series, s, opt, m.font_px);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered()) {
    for (size_t c = 0; c < lay.plots.size(); ++c) {
      const render::HeatmapPlot& p = lay.plots[c];
      const int slice = render::heatmap_slice_at(p, lay.slices, mouse.x);
      const int bin = render::heatmap_bin_at(p, mouse.y);
      if (slice < 0 || bin < 0) continue;
      // The slice under the mouse, outlined.
      const float w = (p.plot.x1 - p.plot.x0) / lay.slices;
      dl->AddRect(ImVec2(std::floor(p.plot.x0 + slice * w), p.plot.y0),
                  ImVec2(std::ceil(p.plot.x0 + (slice + 1) * w), p.plot.y1),
                  render::palette(opt.theme).text, 0, 0, 1.5f);
      bin_tooltip(s, series, p, c, slice, bin, opt);
      break;
    }
  }
  if (over_time)
    figure_save_menu(app, "heatmap_menu", "this history", render::FigureKind::History);
  else
    figure_save_menu(app, "heatmap_menu", "this heatmap", render::FigureKind::Heatmap);
  if (over_time && app.history.size() < 2 && !lay.plots.empty()) {
    // Inside the first plot, under its top edge.
    const render::CellRect& p0 = lay.plots.front().plot;
    ImGui::SetCursorScreenPos(ImVec2(p0.x0 + 0.5f * m.font_px, p0.y0 + 0.5f * m.font_px));
    ImGui::PushTextWrapPos(p0.x1 - 0.5f * m.font_px);
    ImGui::TextDisabled(app.playing()
                            ? "Collecting updates\xE2\x80\xA6"
                            : "Paused: press Space to run, or \xE2\x86\x92 to step, and watch the "
                              "layer change over time");
    ImGui::PopTextWrapPos();
  }
  end_panel();
}

}  // namespace initscope::app
