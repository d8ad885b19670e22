// Headless figure: simulate, draw with the window's render code into an EGL framebuffer, read
// the pixels back and write a PNG that carries the experiment.
#define GL_GLEXT_PROTOTYPES 1
#include "export_figure.h"

#include <GL/gl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <exception>
#include <latch>
#include <memory>
#include <optional>
#include <thread>

#include "core/engine/threading.h"
#include "core/error.h"
#include "core/experiment_heading.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/png_text.h"
#include "core/simulation.h"
#include "core/sweeps/sweep_cells.h"
#include "core/training/trainer.h"
#include "egl_context.h"
#include "export_layout.h"
#include "png_io.h"
#include "render/figure.h"
#include "render/figures.h"
#include "render/fonts.h"
#include "render/histogram_history.h"
#include "render/phase_diagram.h"
#include "render/sweep_figure.h"
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

// What a figure is drawn from: the snapshot of the last update, and for the "history" view the
// shown layer of every update run, for "phase" the χ₁ field, for "training" the curves.
struct FigureData {
  Snapshot snap;
  render::HistogramHistory history;
  std::optional<PhaseGrid> phase;
  std::optional<TrainingSnapshot> training;
  const GanSnapshot* gan = nullptr;  // --view gan
};

// Trains every column as `initscope train` does, for `steps` steps (0: to the end).
TrainingSnapshot train_for(const Experiment& e, uint64_t steps) {
  Trainer t(e, std::make_shared<const ImageDataset>(load_image_dataset(e.training_data())));
  const uint64_t target = steps == 0 ? t.total_steps() : std::min(steps, t.total_steps());
  while (t.steps_done() < target && t.step()) {
  }
  return t.snapshot(false);
}

// Simulates (and computes the phase field) — the expensive part, run on a worker thread.
FigureData compute(const Experiment& e, const ExportOptions& opt, const ExportLayout& lay) {
  FigureData d;
  // Only what the figure draws: the signal plot's predictions, the profiles' pair line.
  SimulationOutputs outputs;
  outputs.signal_theory = lay.whole == render::FigureKind::Signal;
  outputs.pair_correlation = lay.profiles;
  if (lay.whole == render::FigureKind::Training) {
    d.training = train_for(e, opt.steps);
    return d;
  }
  if (lay.whole == render::FigureKind::History) {
    // One snapshot per update (each of e.updates batches), as the window's history records
    // the snapshots its worker publishes.
    Simulation sim(e, nullptr, outputs);
    std::shared_ptr<const Snapshot> s;
    for (int k = 0; k < opt.history_updates; ++k) {
      sim.reset_stats();
      for (int u = 0; u < e.updates; ++u) sim.update();
      s = std::make_shared<const Snapshot>(sim.snapshot());
      d.history.record(s, opt.history_layer, lay.figure.quantity);
    }
    d.snap = *s;
  } else {
    d.snap = Simulation::run(e, outputs);
  }
  if (lay.whole == render::FigureKind::Phase) d.phase = render::phase_diagram_grid(e.activation);
  return d;
}

// Draws the figure into the framebuffer with ImGui's OpenGL3 backend and reads it back.
Image draw_figure(EglContext& gl, const FigureData& d, const ExportLayout& lay) {
  // The figure is pure ImDrawList drawing (no widgets, no layout to settle), so one frame is
  // enough; the background draw list has no window padding or border.
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const render::FigureSources src{
      &d.snap, &d.history, d.phase ? &*d.phase : nullptr, -1, d.training ? &*d.training : nullptr,
      d.gan};
  using render::FigureKind;
  if (lay.grid)
    render::draw_figure(dl, lay.grid_pos, lay.grid_size, FigureKind::Grid, src, lay.figure);
  if (lay.profiles)
    render::draw_figure(dl, lay.profiles_pos, lay.profiles_size, FigureKind::Profiles, src,
                        lay.figure);
  if (lay.whole)
    render::draw_figure(dl, lay.figure_pos, lay.figure_size, *lay.whole, src, lay.figure);
  ImGui::Render();

  const ImVec4 bg = render::clear_color(lay.figure.theme);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  return gl.read_pixels();
}

// The views one snapshot cannot draw (a GAN's probe or a snapshot made elsewhere).
void refuse_multi_snapshot_view(const ExportLayout& lay, const ExportOptions& opt) {
  using render::FigureKind;
  if (lay.sweep || lay.whole == FigureKind::History || lay.whole == FigureKind::Phase ||
      lay.whole == FigureKind::Training || lay.whole == FigureKind::Gan)
    throw UsageError("--view " + opt.view +
                     ": needs more than one snapshot; use grid, profiles, both, heatmap or signal");
}

// A figure of data computed already: GL set up, drawn, read back.
Image draw_headless(const FigureData& data, const ExportLayout& lay, const ExportOptions& opt) {
  EglContext gl(opt.width, opt.height);
  HeadlessImGui imgui(opt.width, opt.height, lay.font_px, lay.figure.theme);
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  return draw_figure(gl, data, lay);
}

}  // namespace

void export_figure(const Experiment& experiment, const ExportOptions& opt) {
  // Everything that can be refused is refused before the (possibly long) simulation.
  if (!has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) +
                     "': export writes PNG files only; give a name ending in .png");
  const ExportLayout lay = export_layout(opt, experiment.layers);
  if (lay.sweep) throw UsageError("--view sweep: draws a sweep's file; give --from FILE.csv");
  if (lay.whole == render::FigureKind::Gan)
    throw UsageError("--view gan: draws a GAN run, not this experiment; give the GAN's options");
  check_writable(opt.out, opt.force);
  // A gradient figure needs the backward pass; the PNG carries the experiment as run.
  Experiment e = experiment;
  if (render::is_gradient(lay.figure.quantity)) e.gradients = true;
  e.validate();

  // The simulation runs on a worker thread while this thread sets up GL: loading Mesa, the
  // fonts and the shaders takes ~0.1 s, a large share of the whole export's budget. GL waits
  // until the worker's OpenMP threads exist (threading.h: start_thread_team).
  std::optional<FigureData> data;
  std::exception_ptr failure;
  Image img;
  {
    std::latch team_started(1);
    std::jthread worker([&] {
      start_thread_team();
      team_started.count_down();
      try {
        data = compute(e, opt, lay);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    team_started.wait();
    // GL must stay on this thread (the context is current here); if its setup throws, the
    // jthread joins the worker before the error propagates.
    EglContext gl(opt.width, opt.height);
    HeadlessImGui imgui(opt.width, opt.height, lay.font_px, lay.figure.theme);
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // compile shaders, upload the font atlas now
    worker.join();
    if (failure) std::rethrow_exception(failure);
    img = draw_figure(gl, *data, lay);
  }
  // A training figure carries the experiment as trained: its training settings filled in.
  const Experiment& shown = data->training ? data->training->experiment : e;
  write_png(opt.out, img, json_text(shown_config_json(shown)), opt.force);
}

void export_snapshot_figure(const Snapshot& snap, const ExportOptions& opt) {
  if (!has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) +
                     "': export writes PNG files only; give a name ending in .png");
  const ExportLayout lay = export_layout(opt, snap.experiment.layers);
  refuse_multi_snapshot_view(lay, opt);
  check_writable(opt.out, opt.force);
  FigureData data;
  data.snap = snap;
  write_png(opt.out, draw_headless(data, lay, opt), json_text(shown_config_json(snap.experiment)),
            opt.force);
}

void export_gan_figure(const GanSnapshot& gan, const ExportOptions& opt,
                       const std::string& settings) {
  if (!has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) +
                     "': export writes PNG files only; give a name ending in .png");
  const Snapshot& probe = gan.probe(opt.network);
  const ExportLayout lay = export_layout(opt, std::max(1, probe.experiment.layers));
  if (lay.whole != render::FigureKind::Gan) refuse_multi_snapshot_view(lay, opt);
  check_writable(opt.out, opt.force);
  FigureData data;
  if (lay.whole == render::FigureKind::Gan) {
    data.gan = &gan;
  } else {
    if (probe.columns.empty())
      throw UsageError("--view " + opt.view + ": the GAN run has no probe statistics of its " +
                       (opt.network == GanNetwork::Generator ? "generator" : "discriminator"));
    data.snap = probe;
  }
  write_png(opt.out, draw_headless(data, lay, opt), settings, opt.force);
}

void export_sweep_figure(const SweepCells& cells, const ExportOptions& opt) {
  if (!has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) +
                     "': --format png writes PNG files only; give a name ending in .png");
  const ExportLayout lay = export_layout(opt, 1);
  if (!lay.sweep) throw UsageError("--from: only with --view sweep");
  check_writable(opt.out, opt.force);
  Image img;
  {
    EglContext gl(opt.width, opt.height);
    HeadlessImGui imgui(opt.width, opt.height, lay.font_px, lay.figure.theme);
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    render::draw_sweep_figure(ImGui::GetBackgroundDrawList(), lay.figure_pos, lay.figure_size,
                              cells, lay.figure);
    ImGui::Render();
    const ImVec4 bg = render::clear_color(lay.figure.theme);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    img = gl.read_pixels();
  }
  write_png(opt.out, img, "", opt.force);
}

}  // namespace initscope
