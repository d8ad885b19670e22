// The Training view: render::draw_training_curves of the newest training snapshot, a hover line
// reading every column's values at the step under the mouse, and the right-click save menu.
// Outside training mode it says how to start training.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/presets.h"
#include "render/text.h"
#include "render/theme.h"
#include "render/training_curves.h"
#include "views.h"

namespace initscope::app {
namespace {

void how_to_start(AppState& app, const UiMetrics& m) {
  ImGui::SetCursorPos(ImVec2(2 * m.pad, 2 * m.pad));
  ImGui::BeginGroup();  // keeps every line at the margin (the panel has no padding)
  ImGui::PushTextWrapPos(std::min(ImGui::GetWindowWidth() - 2 * m.pad, 46.0f * m.font_px));
  ImGui::TextUnformatted("Training mode");
  ImGui::Spacing();
  ImGui::TextDisabled(
      "Every column trains its own network from its init on Fashion-MNIST, on the same "
      "mini-batches; loss and accuracy curves appear here, and the histogram grid, heatmap and "
      "over-time views follow the networks as they learn.");
  ImGui::Spacing();
  if (ImGui::Button("Train this network on Fashion-MNIST")) app.set_training(true);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "784 pixels in, the last layer resized to the 10 classes; Adam, lr 0.001, 2 epochs\n"
        "(all editable in the controls' Training section)");
  ImGui::Spacing();
  ImGui::TextDisabled("or a training preset:");
  for (const std::string& name : app.training_presets()) {
    if (ImGui::Button(name.c_str())) app.load_preset(name);
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

// The point of a column's mini-batch curve nearest to `step` (index into loss_step), or −1.
int nearest_point(const ColumnHistory& h, uint64_t step) {
  if (h.loss_step.empty()) return -1;
  const auto it = std::lower_bound(h.loss_step.begin(), h.loss_step.end(), step);
  size_t i = static_cast<size_t>(it - h.loss_step.begin());
  if (i == h.loss_step.size()) return static_cast<int>(i - 1);
  if (i > 0 && step - h.loss_step[i - 1] < h.loss_step[i] - step) --i;
  return static_cast<int>(i);
}

void step_tooltip(const TrainingSnapshot& t, uint64_t step, render::Theme theme) {
  using render::format_number;
  ImGui::BeginTooltip();
  ImGui::Text("step %llu", static_cast<unsigned long long>(step));
  ImGui::Separator();
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const ColumnHistory& h = t.columns[c];
    ImGui::TextColored(
        ImGui::ColorConvertU32ToFloat4(render::column_color(static_cast<int>(c), theme)), "%s",
        h.init.c_str());
    const int i = nearest_point(h, step);
    if (i >= 0 && static_cast<size_t>(i) < h.accuracy.size())
      ImGui::Text("  mini-batches up to step %llu: loss %s, accuracy %s",
                  static_cast<unsigned long long>(h.loss_step[i]), format_number(h.loss[i]).c_str(),
                  render::format_percent(h.accuracy[i]).c_str());
    // The test set at the last epoch end before the step.
    for (auto it = h.epochs.rbegin(); it != h.epochs.rend(); ++it)
      if (it->step <= step) {
        ImGui::Text("  test after epoch %d: loss %s, accuracy %s", it->epoch,
                    format_number(it->test_loss).c_str(),
                    render::format_percent(it->test_accuracy).c_str());
        break;
      }
    if (h.diverged)
      ImGui::TextDisabled("  diverged at step %llu (the loss became NaN/Inf)",
                          static_cast<unsigned long long>(h.diverged_at));
  }
  ImGui::EndTooltip();
}

}  // namespace

void draw_training_panel(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  const bool open = begin_panel("##training", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleVar();
  const UiMetrics m = app.metrics();
  if (!open) {
    end_panel();
    return;
  }
  if (app.gan_mode()) {
    draw_gan_figure_panel(app);
    end_panel();
    return;
  }
  if (!app.training()) {
    how_to_start(app, m);
    end_panel();
    return;
  }
  if (!app.train_snap) {
    waiting_message(app);
    end_panel();
    return;
  }
  const TrainingSnapshot& t = *app.train_snap;
  const render::FigureOptions opt = app.figure_options();
  const Rect fr = figure_rect(app.last_layout, m);
  const ImVec2 pos(fr.x, fr.y), size(fr.w, fr.h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  render::draw_figure(dl, pos, size, render::FigureKind::Training,
                      app.figure_sources(render::FigureKind::Training), opt);

  // Hover: a line at the step under the mouse, in both plots, and every column's values there.
  const render::TrainingCurvesLayout lay =
      render::training_curves_layout(pos, size, t, opt, m.font_px);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && t.total_steps > 0) {
    for (const render::CellRect* p : {&lay.loss, &lay.accuracy}) {
      if (mouse.x < p->x0 || mouse.x >= p->x1 || mouse.y < p->y0 || mouse.y >= p->y1) continue;
      const uint64_t step = render::step_at(*p, mouse.x, t.total_steps);
      for (const render::CellRect* q : {&lay.loss, &lay.accuracy}) {
        const float x = std::round(render::step_x(*q, double(step), t.total_steps)) + 0.5f;
        dl->AddLine(ImVec2(x, q->y0), ImVec2(x, q->y1), render::palette(opt.theme).text_dim);
      }
      step_tooltip(t, step, opt.theme);
      break;
    }
  }
  figure_save_menu(app, "training_menu", "the training curves", render::FigureKind::Training);
  end_panel();
}

}  // namespace initscope::app
