#include "frame.h"

#include <imgui.h>

#include <cfloat>

#include "render/fonts.h"
#include "ui_style.h"
#include "views.h"

namespace initscope::app {

void rebuild_fonts(AppState& app, FramePlatform& platform) {
  app.font_px = render::font_pixels(app.settings.font_scale * app.content_scale);
  render::load_fonts(app.font_px);
  platform.upload_fonts();
  apply_style(app.theme, app.font_px);
  app.font_rebuild = false;
}

void prepare_frame(AppState& app, FramePlatform& platform) {
  if (app.font_rebuild) rebuild_fonts(app, platform);
  if (app.fullscreen_toggle) {
    app.fullscreen_toggle = false;
    platform.toggle_fullscreen(app);
  }
}

bool frame_needed(const AppState& app, const AppState::WorkerView& latest, const RedrawClock& c) {
  const RunnerStatus& status = latest.status;
  const TrainingStatus& train = latest.train_status;
  return app.scripted || c.last_frame == 0 || c.now - c.last_input < 0.5 ||
         latest.snap != app.snap || train.phase != app.train_status.phase ||
         train.error != app.train_status.error || latest.gan_snap != app.gan.snap ||
         latest.gan_status.phase != app.gan.status.phase ||
         latest.gan_status.error != app.gan.status.error || status.busy != app.status.busy ||
         status.error != app.status.error || status.building != app.status.building ||
         (status.busy && c.now - c.last_frame > 0.1) || ImGui::GetIO().WantTextInput ||
         (app.notice_until > 0 && ImGui::GetTime() < app.notice_until + 0.1) ||
         app.panel_png.has_value() || app.save_window_png || c.now - c.last_frame > 1.0;
}

void build_frame(AppState& app, const AppState::WorkerView& latest, FramePlatform& platform) {
  platform.new_frame();
  if (app.scripted) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ImGui::NewFrame();
  app.show(latest);
  app.gan_images = platform.gan_sample_images(app.gan.snap.get());
  draw_ui(app);
  ImGui::Render();
}

}  // namespace initscope::app
