// The bottom line: transport buttons (for those who do not know the keys), then the numbers a
// user asks about — updates/s, update and frame time, memory — and the latest notice.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "render/text.h"
#include "views.h"

namespace initscope::app {
namespace {

// The worker's last failure (red, until the worker starts on new weights: a refused experiment
// while the previous one runs on, an update or training step that threw), else the latest
// notice while it lasts.
void notice_or_worker_error(const AppState& app, const std::string& worker_error) {
  const std::string& msg = !worker_error.empty() ? worker_error : app.notice;
  const bool is_error = !worker_error.empty() || app.notice_error;
  if (msg.empty() || (worker_error.empty() && ImGui::GetTime() >= app.notice_until)) return;
  ImGui::SameLine();
  if (!elided_text("|", true)) return;
  ImGui::SameLine();
  if (is_error) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.35f, 0.3f, 1));
  elided_text(msg);  // cut with "…" at the window's edge, whole in its tooltip
  if (is_error) ImGui::PopStyleColor();
}

// Training mode's line: Step, Reset, then phase, step k / total, epoch, steps/s, notices.
void training_status(AppState& app) {
  char tip[96];
  std::snprintf(tip, sizeof tip, "\xE2\x86\x92 or N: %d training steps, then pause",
                app.train_burst);
  if (ImGui::Button("Step")) app.step();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  ImGui::SameLine();
  if (ImGui::Button("Reset")) app.reset();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("R: train again from the same init (same seed)");
  const TrainingStatus& st = app.gan_mode() ? app.gan.status : app.train_status;
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (st.phase == TrainingPhase::Error) {
    ImGui::TextColored(ImVec4(0.95f, 0.35f, 0.3f, 1), "%s", st.error.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", st.error.c_str());
    return;
  }
  const int epochs = app.gan_mode()         ? app.gan.config.epochs
                     : app.current.training ? app.current.training->epochs
                                            : 0;
  const bool training_now = st.phase == TrainingPhase::Training;
  char text[160];
  std::snprintf(
      text, sizeof text,
      "%s \xC2\xB7 step %llu / %llu \xC2\xB7 epoch %d / %d \xC2\xB7 %.0f steps/s",
      training_phase_name(st.phase), static_cast<unsigned long long>(st.step),
      static_cast<unsigned long long>(st.total_steps),
      std::min(st.epoch + (st.phase == TrainingPhase::Finished ? 0 : 1), std::max(epochs, 1)),
      epochs, training_now ? st.steps_per_s : 0.0);
  if (!elided_text(text)) return;
  notice_or_worker_error(app, st.error);
  std::snprintf(text, sizeof text, "| frame %.1f ms \xC2\xB7 seed %llu", app.frame_ms,
                static_cast<unsigned long long>(app.current.seed));
  ImGui::SameLine();
  elided_text(text, true);
}

}  // namespace

void draw_status_bar(AppState& app, const Rect& r) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                      ImVec2(app.metrics().pad, 0.5f * (r.h - ImGui::GetFrameHeight())));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
  const bool open = begin_panel("##status", r, ImGuiWindowFlags_NoScrollbar);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  if (!open) {
    end_panel();
    return;
  }
  const bool playing = app.playing();
  const float bw = ImGui::GetFontSize() * 5.2f;
  if (ImGui::Button(playing ? "Pause" : "\xE2\x96\xB6 Play", ImVec2(bw, 0))) app.toggle_playing();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Space");
  ImGui::SameLine();
  if (app.training() || app.gan_mode()) {
    training_status(app);
    end_panel();
    return;
  }
  if (ImGui::Button("Step")) app.step();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("\xE2\x86\x92 or N: one update with a new batch");
  ImGui::SameLine();
  if (ImGui::Button("New weights")) app.reset();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("R: draw new weights (seed + 1)");

  // Most important first (the line is cut at the window's edge at large text sizes):
  // rate, progress of a slow update, notices and errors, hidden panels, then the numbers.
  const RunnerStatus& st = app.status;
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  char rate[48];
  std::snprintf(rate, sizeof rate, "%.1f updates/s", playing ? st.updates_per_s : 0.0);
  if (!elided_text(rate)) {
    end_panel();
    return;
  }
  if (st.busy && st.progress_total > 0 && st.last_update_ms > 150 && !app.scripted) {
    ImGui::SameLine();
    ImGui::ProgressBar(float(st.progress_done) / st.progress_total,
                       ImVec2(ImGui::GetFontSize() * 8, 0));
  }
  notice_or_worker_error(app, st.error);
  // Panels switched on but pushed out by the figure at this window size and text size.
  const MainLayout& lay = app.last_layout;
  if (lay.controls_squeezed || lay.narrative_squeezed || lay.profiles_squeezed) {
    std::string hidden;
    for (auto [flag, name] : {std::pair{lay.controls_squeezed, "controls"},
                              std::pair{lay.narrative_squeezed, "narrative"},
                              std::pair{lay.profiles_squeezed, "profiles"}}) {
      if (!flag) continue;
      if (!hidden.empty()) hidden += ", ";
      hidden += name;
    }
    ImGui::SameLine();
    if (elided_text("| no room for: " + hidden, true) && ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "The window is too small for these panels at this text size.\n"
          "Make the text smaller (Ctrl \xE2\x88\x92), the window larger (F11), or hide\n"
          "other panels (Tab: controls, P: profiles).");
  }
  char numbers[160];
  std::snprintf(numbers, sizeof numbers,
                "| update %.1f ms \xC2\xB7 frame %.1f ms \xC2\xB7 memory %s \xC2\xB7 seed %llu",
                st.last_update_ms, app.frame_ms,
                render::format_bytes(app.current.memory_bytes()).c_str(),
                static_cast<unsigned long long>(app.current.seed));
  ImGui::SameLine();
  elided_text(numbers, true);
  end_panel();
}

}  // namespace initscope::app
