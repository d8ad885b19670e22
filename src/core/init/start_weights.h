#pragma once
// The random start of every compared column's network, shared by Simulation (stats, the window)
// and Trainer (training), so that `stats` shows exactly the weights training starts from.
#include <Eigen/Core>
#include <atomic>
#include <vector>

#include "core/experiment.h"

namespace initscope {

struct StartWeights {
  std::vector<Eigen::MatrixXf> w;     // layer l: fan_in × fan_out
  std::vector<Eigen::RowVectorXf> b;  // layer l: 1 × fan_out; empty without a bias
};

// One StartWeights per column of e.inits, drawn by the column's init spec (data-driven inits —
// lsuv, rbm — get their random start here and are fitted by the caller). Every (column, layer)
// draws from its own stream (seed, spec text, layer): adding or reordering columns changes no
// other column's weights, and the draws run in parallel over (column, layer) pairs.
// Throws Cancelled when `cancel` becomes true.
std::vector<StartWeights> draw_start_weights(const Experiment& e,
                                             const std::atomic<bool>* cancel = nullptr);

}  // namespace initscope
