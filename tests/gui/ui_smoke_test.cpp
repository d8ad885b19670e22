// The window's views driven without a window: a headless ImGui context (no GL — frames are
// built and Render()ed but never drawn), synthetic mouse and keys, a real LiveRunner. Checks
// that hovering anywhere and the classroom keys work and never crash, and that refused edits
// leave the running experiment alone.
#include <GLFW/glfw3.h>  // key codes (ImGui 1.86 indexes io.KeysDown by them)
#include <gtest/gtest.h>
#include <imgui.h>

#include "app/app_state.h"
#include "app/ui_style.h"
#include "app/views.h"
#include "core/presets.h"
#include "render/fonts.h"

namespace initscope::app {
namespace {

class HeadlessUi : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60;
    render::load_fonts(render::font_pixels(1.0f));
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // marks the atlas built (no texture here)
    apply_style(render::Theme::Dark, render::font_pixels(1.0f));
    Experiment e = load_preset("compare");
    app_ = std::make_unique<AppState>(nullptr, e, Settings{}, /*scripted=*/false,
                                      /*compute_threads=*/1);
    app_->font_px = render::font_pixels(1.0f);
    ASSERT_NE(app_->runner.wait_for_snapshot(1, 120), nullptr);
  }
  void TearDown() override {
    app_.reset();
    ImGui::DestroyContext(ctx_);
  }
  void frame() {
    ImGui::NewFrame();
    app_->snap = app_->runner.latest();
    app_->status = app_->runner.status();
    draw_ui(*app_);
    ImGui::Render();
    // What run_gui does between frames for fonts (no texture to upload here).
    if (app_->font_rebuild) {
      app_->font_px = render::font_pixels(app_->settings.font_scale);
      render::load_fonts(app_->font_px);
      unsigned char* pixels;
      int w, h;
      ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
      apply_style(app_->theme, app_->font_px);
      app_->font_rebuild = false;
    }
  }
  void press(int key, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    frame();
  }
  ImGuiContext* ctx_ = nullptr;
  std::unique_ptr<AppState> app_;
};

TEST_F(HeadlessUi, HoveringEverywhereNeverCrashes) {
  ImGuiIO& io = ImGui::GetIO();
  frame();
  for (float y = 2; y < io.DisplaySize.y; y += 23)
    for (float x = 3; x < io.DisplaySize.x; x += 37) {
      io.MousePos = ImVec2(x, y);
      frame();
    }
  // Right-click in the middle of the grid opens its menu; Escape closes it.
  const MainLayout lay = app_->layout();
  io.MousePos = ImVec2(lay.grid.x + lay.grid.w / 2, lay.grid.y + lay.grid.h / 2);
  frame();
  io.MouseDown[1] = true;
  frame();
  io.MouseDown[1] = false;
  frame();
  EXPECT_TRUE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
  io.MousePos = ImVec2(5, io.DisplaySize.y / 2);  // click outside closes it
  io.MouseDown[0] = true;
  frame();
  io.MouseDown[0] = false;
  frame();
  EXPECT_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
}

TEST_F(HeadlessUi, ClassroomKeys) {
  frame();
  ASSERT_TRUE(app_->runner.playing());
  press(GLFW_KEY_SPACE);
  EXPECT_FALSE(app_->runner.playing()) << "Space should pause";
  press(GLFW_KEY_SPACE);
  EXPECT_TRUE(app_->runner.playing()) << "Space should play";

  const uint64_t seed = app_->current.seed;
  press(GLFW_KEY_R);
  EXPECT_EQ(app_->current.seed, seed + 1) << "R draws new weights from seed + 1";

  const auto& presets = preset_list();
  ASSERT_GE(presets.size(), 2u);
  press(GLFW_KEY_2);
  EXPECT_EQ(app_->current.preset, presets[1].name) << "key 2 loads the second preset";
  EXPECT_EQ(app_->controls.inits.size(), app_->current.inits.size());

  press(GLFW_KEY_TAB);
  EXPECT_FALSE(app_->settings.show_controls);
  EXPECT_TRUE(app_->layout().controls.empty());
  press(GLFW_KEY_TAB);
  EXPECT_TRUE(app_->settings.show_controls);

  const float scale = app_->settings.font_scale;
  press(GLFW_KEY_EQUAL, /*ctrl=*/true);
  EXPECT_GT(app_->settings.font_scale, scale) << "Ctrl + makes the text larger";
  EXPECT_GT(app_->font_px, render::font_pixels(1.0f)) << "the atlas was rebuilt larger";
  press(GLFW_KEY_MINUS, true);
  EXPECT_EQ(app_->settings.font_scale, scale);
  for (int i = 0; i < 20; ++i) press(GLFW_KEY_MINUS, true);
  EXPECT_EQ(app_->settings.font_scale, kMinFontScale) << "clamped at ×1";

  // Hover across the window at ×3 too: the layout must hold at every scale.
  app_->set_font_scale(kMaxFontScale);
  frame();
  ImGuiIO& io = ImGui::GetIO();
  for (float y = 5; y < io.DisplaySize.y; y += 61)
    for (float x = 5; x < io.DisplaySize.x; x += 83) {
      io.MousePos = ImVec2(x, y);
      frame();
    }
}

TEST_F(HeadlessUi, RefusedEditsKeepTheRunningExperiment) {
  frame();
  const Experiment before = app_->current;
  Experiment bad = before;
  bad.layers = 0;
  EXPECT_NE(app_->apply(bad), "") << "0 layers must be refused with a message";
  EXPECT_EQ(app_->current.layers, before.layers);

  Experiment huge = before;
  huge.layers = 1000;
  huge.widths = {4096};
  huge.memory_limit_gb = 0.01;
  const std::string msg = app_->apply(huge);
  EXPECT_NE(msg, "") << "an experiment over the memory limit must be refused";
  EXPECT_EQ(app_->current.layers, before.layers);

  Experiment ok = before;
  ok.layers = 3;
  EXPECT_EQ(app_->apply(ok), "");
  auto s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 120);
  for (int i = 0; i < 200 && (!s || s->experiment.layers != 3); ++i)
    s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 1);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->experiment.layers, 3);
  frame();  // the views draw the new shape
}

}  // namespace
}  // namespace initscope::app
