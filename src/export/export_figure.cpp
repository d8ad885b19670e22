// Headless figure: simulate, draw with the window's render code into an EGL framebuffer, read
// the pixels back and write a PNG that carries the experiment.
#define GL_GLEXT_PROTOTYPES 1
#include "export_figure.h"

#include <GL/gl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <exception>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "core/simulation.h"
#include "egl_context.h"
#include "export_layout.h"
#include "png_io.h"
#include "render/figure.h"
#include "render/fonts.h"
#include "render/theme.h"

namespace initscope {
namespace {

// An ImGui context with the OpenGL3 backend and no platform backend, for one figure; restores
// whatever context was current before (the window may be running in this process).
class HeadlessImGui {
 public:
  HeadlessImGui(int width, int height, float font_px, render::Theme theme)
      : previous_(ImGui::GetCurrentContext()), context_(ImGui::CreateContext()) {
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini next to the figure
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(float(width), float(height));
    io.DeltaTime = 1.0f / 60.0f;
    render::load_fonts(font_px);
    render::apply_theme(theme);
    backend_ = ImGui_ImplOpenGL3_Init("#version 330 core");
    if (!backend_) {
      release();
      throw RuntimeError(
          "headless export: the ImGui OpenGL3 backend could not load OpenGL (libGL.so.1); "
          "install libgl1 libgl1-mesa-dri");
    }
  }
  ~HeadlessImGui() { release(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

 private:
  void release() {
    if (backend_) ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(context_);
    ImGui::SetCurrentContext(previous_);
  }
  ImGuiContext* previous_;
  ImGuiContext* context_;
  bool backend_ = false;
};

// Draws a snapshot into the framebuffer with ImGui's OpenGL3 backend and reads it back.
Image draw_figure(EglContext& gl, const Snapshot& snap, const ExportLayout& lay) {
  // The figure is pure ImDrawList drawing (no widgets, no layout to settle), so one frame is
  // enough; the background draw list has no window padding or border.
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  if (lay.grid) render::draw_histogram_grid(dl, lay.grid_pos, lay.grid_size, snap, lay.figure);
  if (lay.profiles)
    render::draw_depth_profiles(dl, lay.profiles_pos, lay.profiles_size, snap, lay.figure);
  ImGui::Render();

  const ImVec4 bg = render::clear_color(lay.figure.theme);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  Image img = gl.read_pixels();
  for (size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;  // a figure is opaque
  return img;
}

}  // namespace

void export_figure(const Experiment& e, const ExportOptions& opt) {
  // Everything that can be refused is refused before the (possibly long) simulation.
  const ExportLayout lay = export_layout(opt, e.layers);
  check_writable(opt.out, opt.force);
  e.validate();

  // The simulation runs on a worker thread while this thread sets up GL: loading Mesa, the
  // fonts and the shaders takes ~0.1 s, a large share of the whole export's budget.
  std::optional<Snapshot> snap;
  std::exception_ptr failure;
  Image img;
  {
    std::jthread worker([&] {
      try {
        snap = Simulation::run(e);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    // GL must stay on this thread (the context is current here); if its setup throws, the
    // jthread joins the worker before the error propagates.
    EglContext gl(opt.width, opt.height);
    HeadlessImGui imgui(opt.width, opt.height, lay.font_px, lay.figure.theme);
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // compile shaders, upload the font atlas now
    worker.join();
    if (failure) std::rethrow_exception(failure);
    img = draw_figure(gl, *snap, lay);
  }
  write_png(opt.out, img, e.to_json().dump(), opt.force);
}

}  // namespace initscope
