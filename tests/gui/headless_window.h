#pragma once
// The window's frames without a window (no GLFW, no GL): a headless ImGui context of a given
// size, the app's own per-frame function (app/frame.h), synthetic keys. Frames are built and
// Render()ed — the draw lists are complete — but never drawn. Used by the presentation-mode
// and clipped-text tests.
#include <GLFW/glfw3.h>  // key codes (ImGui 1.86 indexes io.KeysDown by them)
#include <gtest/gtest.h>
#include <imgui.h>

#include <memory>
#include <string>

#include "app/app_state.h"
#include "app/frame.h"
#include "app/ui_style.h"
#include "core/presets.h"
#include "render/fonts.h"

namespace initscope::app::test {

// No GL: the font atlas's pixels are built (ImGui::NewFrame needs that), never uploaded.
struct NoGlPlatform : FramePlatform {
  void upload_fonts() override {
    unsigned char* pixels;
    int w, h;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
};

class HeadlessWindow {
 public:
  // scripted: the pointer is kept out of the window (as in --screenshot runs); false: the test
  // moves it (io.MousePos).
  explicit HeadlessWindow(const std::string& preset = "compare", bool scripted = true) {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    io.KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE;  // what the GLFW backend maps
    io.KeyMap[ImGuiKey_Enter] = GLFW_KEY_ENTER;
    io.KeyMap[ImGuiKey_A] = GLFW_KEY_A;
    app_ = std::make_unique<AppState>(nullptr, load_preset(preset), Settings{}, scripted,
                                      /*compute_threads=*/1);
    rebuild_fonts(*app_, platform_);
    snapshot_ = app_->runner.wait_for_snapshot(1, 120) != nullptr;
  }
  ~HeadlessWindow() {
    app_.reset();
    ImGui::DestroyContext(ctx_);
  }
  HeadlessWindow(const HeadlessWindow&) = delete;
  HeadlessWindow& operator=(const HeadlessWindow&) = delete;

  bool has_snapshot() const { return snapshot_; }
  AppState& app() { return *app_; }

  // The window's size and text scale; the font atlas is rebuilt by the next frame.
  void set_size(float width, float height) { ImGui::GetIO().DisplaySize = ImVec2(width, height); }
  void set_font_scale(float s) { app_->set_font_scale(s); }

  void frame() {
    prepare_frame(*app_, platform_);
    build_frame(*app_, app_->poll_workers(), platform_);
  }
  // A few frames: ImGui settles sizes (auto-fit, scroll limits) over two or three.
  void settle(int frames = 4) {
    for (int i = 0; i < frames; ++i) frame();
  }
  void press(int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    frame();
  }

 private:
  NoGlPlatform platform_;
  ImGuiContext* ctx_ = nullptr;
  std::unique_ptr<AppState> app_;
  bool snapshot_ = false;
};

}  // namespace initscope::app::test
