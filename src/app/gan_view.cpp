// The Training tab in GAN mode: render::draw_gan_figure of the newest GAN snapshot, a hover line
// reading every column's losses and D outputs at the step under the mouse, and the right-click
// save menu.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "render/gan_figure.h"
#include "render/text.h"
#include "render/theme.h"
#include "render/training_curves.h"
#include "views.h"

namespace initscope::app {
namespace {

// The curve point of a column nearest to `step`, or −1.
int gan_view_nearest(const GanColumnHistory& h, uint64_t step) {
  if (h.step.empty()) return -1;
  const auto it = std::lower_bound(h.step.begin(), h.step.end(), step);
  size_t i = static_cast<size_t>(it - h.step.begin());
  if (i == h.step.size()) return static_cast<int>(i - 1);
  if (i > 0 && step - h.step[i - 1] < h.step[i] - step) --i;
  return static_cast<int>(i);
}

void gan_step_tooltip(const GanSnapshot& g, uint64_t step, render::Theme theme) {
  using render::format_number;
  ImGui::BeginTooltip();
  ImGui::Text("G step %llu", static_cast<unsigned long long>(step));
  ImGui::Separator();
  for (size_t c = 0; c < g.columns.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    ImGui::TextColored(
        ImGui::ColorConvertU32ToFloat4(render::column_color(static_cast<int>(c), theme)), "%s",
        h.init.c_str());
    const int i = gan_view_nearest(h, step);
    const size_t n = std::min(
        {h.g_loss.size(), h.d_loss.size(), h.d_real.size(), h.d_fake.size(), h.fooled.size()});
    if (i >= 0 && static_cast<size_t>(i) < n)
      ImGui::Text("  up to step %llu: G loss %s, D loss %s, D(x) %s, D(G(z)) %s, fooled %s",
                  static_cast<unsigned long long>(h.step[i]), format_number(h.g_loss[i]).c_str(),
                  format_number(h.d_loss[i]).c_str(), format_number(h.d_real[i]).c_str(),
                  format_number(h.d_fake[i]).c_str(), render::format_percent(h.fooled[i]).c_str());
    for (auto it = h.epochs.rbegin(); it != h.epochs.rend(); ++it)
      if (it->step <= step) {
        ImGui::Text("  after epoch %d: confidence %s, class entropy %s, FID %s", it->epoch,
                    format_number(it->confidence).c_str(), format_number(it->class_entropy).c_str(),
                    format_number(it->fid).c_str());
        break;
      }
    if (h.diverged_at)
      ImGui::TextDisabled("  diverged at step %llu (a loss became NaN/Inf)",
                          static_cast<unsigned long long>(*h.diverged_at));
  }
  ImGui::EndTooltip();
}

}  // namespace

void draw_gan_figure_panel(AppState& app) {
  const UiMetrics m = app.metrics();
  if (!app.gan.snap) {
    waiting_message(app);
    return;
  }
  const GanSnapshot& g = *app.gan.snap;
  const render::FigureOptions opt = app.figure_options();
  const Rect fr = figure_rect(app.last_layout, m);
  const ImVec2 pos(fr.x, fr.y), size(fr.w, fr.h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, pos, size, render::FigureKind::Gan,
                      app.figure_sources(render::FigureKind::Gan), opt);
  const render::GanFigureLayout lay = render::gan_figure_layout(pos, size, g, opt, m.font_px);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && g.total_steps > 0) {
    for (const render::CellRect* p : {&lay.losses, &lay.probabilities}) {
      if (mouse.x < p->x0 || mouse.x >= p->x1 || mouse.y < p->y0 || mouse.y >= p->y1) continue;
      const uint64_t step = render::step_at(*p, mouse.x, g.total_steps);
      for (const render::CellRect* q : {&lay.losses, &lay.probabilities}) {
        const float x = std::round(render::step_x(*q, double(step), g.total_steps)) + 0.5f;
        dl->AddLine(ImVec2(x, q->y0), ImVec2(x, q->y1), render::palette(opt.theme).text_dim);
      }
      gan_step_tooltip(g, step, opt.theme);
      break;
    }
  }
  figure_save_menu(app, "gan_menu", "the GAN figure", render::FigureKind::Gan);
}

}  // namespace initscope::app
