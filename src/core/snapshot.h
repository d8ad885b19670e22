#pragma once
// What the workers publish and the figures draw: an immutable picture of the statistics of every
// compared column, shared by the UI, the exporter and the CLI. Data only — it names no Eigen
// type, no kernel and no simulation, so src/render sees the numbers without the engine.
//
// Flow (docs/ARCHITECTURE.md): Simulation::snapshot() (or Trainer's probe) builds one on the
// worker thread → LiveRunner / TrainingRunner publish it as shared_ptr<const Snapshot> → the UI
// thread takes the newest each frame (AppState::poll_workers) → render draws it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/layer_stats.h"
#include "core/theory/mean_field.h"
#include "experiment.h"

namespace initscope {

// The correlation c^l of two inputs' pre-activations per layer (issue 15) for one column: pairs
// with starting correlation r through the column's weights (Simulation::pair_profile, on
// Snapshot::pair_count pairs, once per weight draw) and the correlation map's c^l
// (theory/correlation_map.h) from the same r.
struct PairCorrelation {
  std::vector<double> measured;  // entry l−1: mean cos(z₁, z₂) at layer l; empty: not measured
  std::vector<double> predicted;  // the c-map's c^l; empty: no theory (its caveat, a bias mean)
  std::string note;               // why there is no line ("" when measured)
};

struct Snapshot {
  Experiment experiment;
  std::vector<ColumnStats> columns;
  std::vector<Prediction> theory;  // mean-field prediction per column (computed once per config)
  uint64_t update_index = 0;       // updates run since weights were drawn
  int batches = 0;                 // batches accumulated in these statistics
  double update_ms = 0;            // wall time of the last update
  // Per column when the simulation measures pairs (Simulation::Outputs); else empty.
  std::vector<PairCorrelation> pairs;
  double pair_start = 0.5;  // r, the pairs' starting correlation
  int pair_count = 0;       // pairs measured per column
};

}  // namespace initscope
