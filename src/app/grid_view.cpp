// The histogram grid panel: draws the grid (render::draw_figure) into a scrolling panel, adds the
// interaction the exporter does not need — bar tooltips, header tooltips, a right-click menu to
// save the grid or one cell as PNG, and a progress overlay while the worker computes.
#include <imgui.h>

#include <cmath>
#include <optional>

#include "render/flags.h"
#include "render/histogram_bars.h"
#include "render/text.h"
#include "render/theme.h"
#include "views.h"

namespace initscope::app {
namespace {

// Bar = bins [first, last) (one bar may show several bins, see render/histogram_bars.h).
void bar_tooltip(const Snapshot& s, int column, int layer, const render::FigureOptions& opt,
                 const render::BarLayout& b, int first, int last) {
  const ColumnStats& cs = s.columns[column];
  const LayerStats& l = cs.layers[layer - 1];
  const ValueStats& v = render::shown(l, opt.quantity);
  const Histogram& h = v.hist;
  using render::format_number;
  using render::format_percent;
  ImGui::BeginTooltip();
  ImGui::Text("Layer %d  \xC2\xB7  %s  \xC2\xB7  %s", layer, cs.init.c_str(),
              render::quantity_title(opt.quantity));
  ImGui::Separator();
  const int n = static_cast<int>(h.counts.size());
  if (first >= 0 && first < last && last <= n) {
    const double w = (h.hi - h.lo) / n;
    const uint64_t total = v.count;
    uint64_t c = 0;
    for (int i = first; i < last; ++i) c += h.counts[i];
    ImGui::Text("[%s, %s%s:  %llu values (%s)", format_number(h.lo + first * w).c_str(),
                format_number(h.lo + last * w).c_str(), last == n ? "]" : ")",
                static_cast<unsigned long long>(c),
                format_percent(total ? double(c) / double(total) : 0).c_str());
  }
  ImGui::Text("mean %s   std %s", format_number(v.mean).c_str(), format_number(v.std).c_str());
  ImGui::Text("min %s   max %s", format_number(v.min).c_str(), format_number(v.max).c_str());
  ImGui::Text("near zero %s   exact zero %s   saturated %s", format_percent(v.zero).c_str(),
              format_percent(v.dead).c_str(), format_percent(v.saturated).c_str());
  if (b.hidden_below || b.hidden_above)
    ImGui::Text("beyond the view [%s, %s]: %llu below, %llu above", format_number(b.lo).c_str(),
                format_number(b.hi).c_str(), static_cast<unsigned long long>(b.hidden_below),
                static_cast<unsigned long long>(b.hidden_above));
  if (v.nonfinite) ImGui::Text("NaN/Inf: %llu", static_cast<unsigned long long>(v.nonfinite));
  ImGui::Text("fan_in %d  fan_out %d   weights: mean %s  std %s", l.fan_in, l.fan_out,
              format_number(l.weight_mean).c_str(), format_number(l.weight_std).c_str());
  if (l.has_grad)
    ImGui::Text(
        "gradient norm \xE2\x80\x96"
        "dL/dW\xE2\x80\x96 %s   relative to \xE2\x80\x96W\xE2\x80\x96 %s",
        format_number(l.grad_norm).c_str(), format_number(l.grad_ratio).c_str());
  if (static_cast<size_t>(column) < s.theory.size() && s.theory[column].caveat.empty() &&
      !render::is_gradient(opt.quantity)) {
    const LayerPrediction& p = s.theory[column].layers[layer - 1];
    const bool pre = opt.quantity == render::Quantity::PreActivation;
    ImGui::TextDisabled("mean-field prediction: std %s%s",
                        format_number(pre ? p.preact_std : p.act_std).c_str(),
                        pre ? "" : ("   mean " + format_number(p.act_mean)).c_str());
  }
  const unsigned flags =
      render::layer_flags(cs, static_cast<size_t>(layer - 1), s.experiment.activation);
  for (const render::FlagInfo& f : render::flag_infos())
    if (flags & f.flag)
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(render::flag_color(f.flag, opt.theme)),
                         "%s: %s", f.label, f.meaning);
  ImGui::EndTooltip();
}

void header_tooltip(const Snapshot& s, int column) {
  using render::format_number;
  const ColumnStats& cs = s.columns[column];
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(cs.init.c_str());
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
  ImGui::TextDisabled("%s", cs.description.c_str());
  if (static_cast<size_t>(column) < s.theory.size()) {
    // The mean-field phase with its numbers, or why there is none.
    const Prediction& p = s.theory[column];
    ImGui::Separator();
    if (!p.caveat.empty()) {
      ImGui::TextDisabled("Mean-field theory: %s", p.caveat.c_str());
    } else {
      const FixedPoint& fp = p.fixed;
      ImGui::Text("Mean-field: %s   (\xCF\x83_w\xC2\xB2 %s, \xCF\x83_b\xC2\xB2 %s)",
                  render::phase_text(fp).c_str(), format_number(p.init.sigma_w2).c_str(),
                  format_number(p.init.sigma_b2).c_str());
      ImGui::TextDisabled(
          "q* %s, depth scale %s layers: \xCF\x87\xE2\x82\x81 is the factor by which a small "
          "perturbation, and a back-propagated gradient, grows per layer",
          format_number(fp.q_star).c_str(), format_number(fp.depth_scale).c_str());
    }
  }
  if (!cs.lsuv_rounds.empty()) {
    // LSUV: how many rescaling rounds each layer took to reach unit variance.
    ImGui::Separator();
    std::string rounds;
    int total = 0;
    for (size_t l = 0; l < cs.lsuv_rounds.size(); ++l) {
      rounds += (l ? ", " : "") + std::to_string(cs.lsuv_rounds[l]);
      total += cs.lsuv_rounds[l];
    }
    ImGui::Text("LSUV rounds per layer (1\xE2\x80\x93%zu): %s  (total %d)", cs.lsuv_rounds.size(),
                rounds.c_str(), total);
  }
  if (cs.layers.front().has_grad)
    ImGui::TextDisabled("loss (%s) %s", s.experiment.loss.c_str(), format_number(cs.loss).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void progress_overlay(AppState& app, const Rect& r, const UiMetrics& m) {
  const RunnerStatus& st = app.status;
  const double now = ImGui::GetTime();
  if (!st.busy) {
    app.busy_since = -1;
    return;
  }
  if (app.busy_since < 0) app.busy_since = now;
  // Quick updates (most of them) never flash a bar; scripted screenshots never show one.
  if ((now - app.busy_since < 0.25 || app.scripted) && app.snap) return;
  const float f = m.font_px, w = 16 * f;
  ImGui::SetCursorScreenPos(ImVec2(r.x + r.w - w - m.pad - ImGui::GetStyle().ScrollbarSize,
                                   r.y + r.h - 2.6f * f - m.pad));
  ImGui::BeginGroup();
  const float frac = st.progress_total > 0 ? float(st.progress_done) / st.progress_total : 0.0f;
  char label[96];
  if (st.building)
    std::snprintf(label, sizeof label, "drawing weights\xE2\x80\xA6");
  else
    std::snprintf(label, sizeof label, "computing %d / %d layers", st.progress_done,
                  st.progress_total);
  ImGui::ProgressBar(st.building ? float(std::fmod(now, 1.0)) : frac, ImVec2(w, 0), label);
  ImGui::EndGroup();
}

}  // namespace

void draw_grid_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##grid", r);
  ImGui::PopStyleVar();
  if (!open) {
    end_panel();
    return;
  }
  const UiMetrics m = app.metrics();
  if (!app.snap) {
    waiting_message(app);
    progress_overlay(app, r, m);
    end_panel();
    return;
  }
  const Snapshot& s = *app.snap;
  const render::FigureOptions opt = app.figure_options();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const ImVec2 pos(origin.x + m.pad, origin.y + m.pad);
  const ImVec2 size(avail_w - 2 * m.pad, r.h - 2 * m.pad);
  const render::GridLayout lay = render::grid_layout(pos, size, s, opt, m.font_px);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, pos, size, render::FigureKind::Grid,
                      app.figure_sources(render::FigureKind::Grid), opt);
  ImGui::Dummy(ImVec2(avail_w, lay.total_height + 2 * m.pad));

  // Hover: which cell, which bin.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hovered = ImGui::IsWindowHovered();
  const render::GridHit hit = hovered ? render::grid_hit(lay, mouse.x, mouse.y) : render::GridHit{};
  std::optional<PanelPngRequest::Cell> hit_cell;
  if (hit.row >= 0) {
    const render::CellRect& c = lay.cells[size_t(hit.row) * lay.columns + hit.column];
    hit_cell = PanelPngRequest::Cell{hit.column, lay.layers[size_t(hit.row)]};
    const render::BarLayout b =
        render::grid_cell_bars(s, lay, size_t(hit.row), hit.column, opt, m.font_px);
    int first = -1, last = -1;
    if (hit.in_plot && b.bar_at(mouse.x, c.x0, c.x1, first, last)) {
      const float x0 = std::floor(b.x_of(b.bin_lo + first * b.bin_w, c.x0, c.x1));
      const float x1 = std::floor(b.x_of(b.bin_lo + last * b.bin_w, c.x0, c.x1));
      dl->AddRectFilled(ImVec2(std::max(c.x0, x0), c.y0),
                        ImVec2(std::min(c.x1, std::max(x1, x0 + 1)), c.y1),
                        render::palette(opt.theme).hover);
    }
    bar_tooltip(s, hit.column, hit_cell->layer, opt, b, first, last);
  } else if (hit.header) {
    header_tooltip(s, hit.column);  // the full spec and formula
  }

  if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
    app.grid_menu_cell = hit_cell;
    ImGui::OpenPopup("grid_menu");
  }
  if (ImGui::BeginPopup("grid_menu")) {
    save_png_items(app, "the grid", render::FigureKind::Grid);
    if (const auto cell = app.grid_menu_cell;
        cell && cell->column < static_cast<int>(s.columns.size())) {
      ImGui::Separator();
      char item[160];
      std::snprintf(item, sizeof item, "Save this cell as PNG (layer %d, %s)", cell->layer,
                    s.columns[size_t(cell->column)].init.c_str());
      if (ImGui::MenuItem(item))
        app.panel_png = PanelPngRequest{render::FigureKind::Grid, cell, 2.0f};
    }
    save_window_item(app);
    ImGui::EndPopup();
  }

  progress_overlay(app, r, m);
  end_panel();
}

}  // namespace initscope::app
