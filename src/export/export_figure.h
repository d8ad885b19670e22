#pragma once
// Headless figure export (EGL surfaceless + FBO + ImGui OpenGL3 backend), no display needed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/gan/gan_snapshot.h"

namespace initscope {

struct ExportOptions {
  std::string out;  // FILE.png
  int width = 1600, height = 1000;
  // grid | profiles | both | heatmap | history | phase | training | signal | sweep | gan
  std::string view = "both";
  // A GAN's grid, profiles, both, heatmap or signal: whose probe statistics they show.
  GanNetwork network = GanNetwork::Generator;
  std::string theme = "light";  // light | dark
  float font_scale = 1.0f;
  std::vector<int> layers_shown;  // empty = all
  int every_k = 1;
  // What the figures show: "" (activations) | act | preact | grad | wgrad. grad and wgrad turn
  // the backward pass on. `preact` (--preact) is the older spelling of "preact".
  std::string quantity;
  bool preact = false;
  bool log_counts = false;
  int history_layer = 0;     // history: the layer followed (1-based; 0 = the last)
  int history_updates = 50;  // history: updates run, one snapshot (e.updates batches) each
  // training: mini-batch steps trained before the curves are drawn; 0 = to the end (all epochs).
  uint64_t steps = 0;
  bool force = false;
};

// Runs the experiment (e.updates batches; history: opt.history_updates times; training: trains
// every column for opt.steps steps on the experiment's data), draws, writes the PNG with the
// experiment embedded (with gradients on when a gradient is shown).
// Throws UsageError / RuntimeError with a clear message; never leaves a partial file.
void export_figure(const Experiment& e, const ExportOptions& opt);

struct SweepCells;
// --view sweep: draws the sweep figure of `cells` (render/sweep_figure.h) and writes the PNG
// (no experiment embedded: a sweep is many). Throws UsageError for other views or a bad --out.
void export_sweep_figure(const SweepCells& cells, const ExportOptions& opt);

struct Snapshot;
// Draws a snapshot made elsewhere (a synthetic one in tests) as the figure opt.view asks for —
// grid, profiles, both, heatmap or signal: the views drawn from one snapshot alone — and
// writes the PNG with the snapshot's experiment embedded. Throws UsageError for the other views.
void export_snapshot_figure(const Snapshot& snap, const ExportOptions& opt);

// A GAN run's figure: --view gan draws the GAN figure (render/gan_figure.h); grid, profiles,
// both, heatmap and signal draw the probe Snapshot of opt.network. The PNG carries `settings`
// (the GAN's config as JSON text; "" for none). Throws UsageError for the other views.
void export_gan_figure(const GanSnapshot& gan, const ExportOptions& opt,
                       const std::string& settings);

}  // namespace initscope
