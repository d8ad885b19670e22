#pragma once
// The desktop window (GLFW + OpenGL 3.3 + Dear ImGui).
#include <optional>
#include <string>

#include "core/experiment.h"
#include "core/gan/gan_snapshot.h"

namespace initscope {

struct GuiOptions {
  int frames = 0;  // scripted mode: render this many frames after the first snapshot, then exit
  std::string screenshot;  // scripted mode: write the window's pixels here (PNG) before exit
  bool force = false;      // overwrite an existing screenshot file
  int width = 1600, height = 1000;
  float font_scale = 0;  // 0 = from the monitor's content scale / saved layout
  std::string theme;     // "", "dark" or "light"
  bool present = false;  // start in presentation mode (F5)
  std::string view;  // "", "grid", "heatmap", "history", "phase" or "training" (the figure shown)
  std::string quantity;   // "", "act", "preact", "grad" or "wgrad" (grad, wgrad: --grad)
  int history_layer = 0;  // the layer the "history" view follows; 0 = the last
  // Scripted training mode: frames count once a training snapshot of at least this many steps
  // (or of a finished run) exists; 0 = the first snapshot (the init).
  long long steps = 0;
  // Scripted mode: write frame times (whole loop iteration: build, render, swap) and the
  // simulation's updates/s as JSON here at exit — what tests/bench/bench_window.cpp reads.
  std::string timing;
  // A lesson (core/lesson.h) opened at lesson_step (1-based), its question or, with
  // lesson_reveal, its explanation; `e` is then that step's experiment.
  std::string lesson;
  int lesson_step = 1;
  bool lesson_reveal = false;
  // Start in the Training tab's GAN mode with this config (`gui --gan [--gan-config FILE]`),
  // the figures showing `network`'s statistics; --steps then counts G steps.
  std::optional<GanConfig> gan;
  GanNetwork network = GanNetwork::Generator;
};

// Opens the window on `e`; returns the process exit code. Throws RuntimeError if no display.
int run_gui(const Experiment& e, const GuiOptions& opt);

}  // namespace initscope
