#pragma once
// One frame of the window, written once for the window (gui.cpp, GLFW + OpenGL 3.3) and the
// headless UI test (no GLFW, no GL): the platform's part is a FramePlatform.
//
// A frame, in the order of Dear ImGui's example_glfw_opengl3/main.cpp:
//   prepare_frame     between frames: font atlas rebuilt, full screen toggled
//   poll_workers      the workers' newest snapshots (AppState)
//   frame_needed      the redraw rule: an idle window draws nothing
//   build_frame       platform new frame → ImGui::NewFrame → show → draw_ui → ImGui::Render
//   (the window then clears, draws ImGui's lists, saves PNGs and swaps)
#include "app_state.h"

namespace initscope::app {

// What a frame needs from the platform. The defaults do nothing: the headless test has no
// backend (it only builds the font atlas's pixels, which ImGui::NewFrame requires).
class FramePlatform {
 public:
  virtual ~FramePlatform() = default;
  virtual void new_frame() {}     // the backends' NewFrame (before ImGui::NewFrame)
  virtual void upload_fonts() {}  // the atlas was rebuilt: replace its texture
  virtual void toggle_fullscreen(AppState&) {}
  // The GAN figure's sample grids as textures for this snapshot (gan_textures.h); null: the
  // figure draws them as rectangles.
  virtual const render::GanSampleImages* gan_sample_images(const GanSnapshot*) { return nullptr; }
};

// Rebuilds the font atlas at settings.font_scale × content_scale and restyles.
void rebuild_fonts(AppState& app, FramePlatform& platform);
// Between frames: what the last frame asked for (fonts, full screen).
void prepare_frame(AppState& app, FramePlatform& platform);

// Times the redraw rule looks at (glfwGetTime() in the window, seconds).
struct RedrawClock {
  double now = 0;
  double last_frame = 0;  // 0 before the first frame
  double last_input = 0;  // the last mouse/key/resize event
};
// Draw only when something is to be seen: recent input (ImGui settles in a few frames), a new
// snapshot, a change of a worker's state (≤ 10/s while it computes), a notice appearing or
// expiring, typing (the cursor blinks), pending work, scripted mode, or once a second. Software
// GL (llvmpipe) spends ~10–30 ms of CPU on a full-window frame that the simulation needs more.
bool frame_needed(const AppState& app, const AppState::WorkerView& latest, const RedrawClock& c);

// The UI of one frame: everything from the platform's new frame to ImGui::Render() (draw data
// ready, nothing drawn). Scripted runs put the pointer nowhere, so screenshots do not depend on
// where it happens to be.
void build_frame(AppState& app, const AppState::WorkerView& latest, FramePlatform& platform);

}  // namespace initscope::app
