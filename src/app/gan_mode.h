#pragma once
// The Training tab's GAN mode (issue 14): a GanRunner on its own thread, the config it runs, the
// controls' edited copy, this frame's snapshot and status, and which network the histogram
// grid, heatmap, over-time view and depth profiles show (GanSnapshot::probe).
#include <memory>
#include <string>

#include "core/gan/gan_runner.h"

namespace initscope::app {

struct GanMode {
  std::unique_ptr<GanRunner> runner;  // null outside GAN mode
  GanConfig config;                   // what the runner was handed last
  // The controls' fields: the config being edited, and the text fields kept as typed.
  GanConfig edited;
  std::string inits_text, g_layers_text, d_layers_text;
  std::string error_field, error;           // the last refused edit, shown under its field
  std::shared_ptr<const GanSnapshot> snap;  // this frame's newest, null before one
  TrainingStatus status;                    // this frame's
  GanNetwork network = GanNetwork::Generator;
  int burst = 20;  // G steps between snapshots

  bool on() const { return runner != nullptr; }
  // Starts the worker on `config` (the defaults with the default inits the first time).
  void start(int compute_threads);
  void stop();  // joins (the runner cancels between steps)
  // Validates `c` (GanConfig::validate, check_memory); on success hands it to the runner and
  // returns "", else the message, and nothing changes.
  std::string apply(const GanConfig& c);
  // The controls' text fields from `config`.
  void sync_fields();
  // One line for the menu bar and the narrative: "GAN · G 100→256→512→1024→784 · D 784→512→256→1
  // · 4 inits · batch 64 · seed 0" (the image size from the snapshot, "image" before one).
  std::string summary() const;
};

}  // namespace initscope::app
