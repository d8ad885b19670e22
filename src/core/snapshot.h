#pragma once
// What the workers publish and the figures draw: an immutable picture of the statistics of every
// compared column, shared by the UI, the exporter and the CLI. Data only — it names no Eigen
// type, no kernel and no simulation, so src/render sees the numbers without the engine.
//
// Flow (docs/ARCHITECTURE.md): Simulation::snapshot() (or Trainer's probe) builds one on the
// worker thread → LiveRunner / TrainingRunner publish it as shared_ptr<const Snapshot> → the UI
// thread takes the newest each frame (AppState::poll_workers) → render draws it.
#include <cstdint>
#include <vector>

#include "core/engine/layer_stats.h"
#include "core/theory/mean_field.h"
#include "experiment.h"

namespace initscope {

struct Snapshot {
  Experiment experiment;
  std::vector<ColumnStats> columns;
  std::vector<Prediction> theory;  // mean-field prediction per column (computed once per config)
  uint64_t update_index = 0;       // updates run since weights were drawn
  int batches = 0;                 // batches accumulated in these statistics
  double update_ms = 0;            // wall time of the last update
};

}  // namespace initscope
