#pragma once
// The data-driven stage of an init scheme (InitScheme::stage): it runs after the random start
// (start_weights.h), where the data is — Simulation on the experiment's first input batch,
// Trainer on its probe batch (LSUV) and the training images (RBM pretraining).
#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/activation.h"
#include "init_spec.h"
#include "rbm.h"
#include "start_weights.h"

namespace initscope {

struct StageData {
  const Eigen::MatrixXf* batch = nullptr;  // B × input dim: the batch LSUV rescales on
  RbmData examples;                        // what pretraining learns from, values in [0, 1]
  int pretrained_layers = 0;  // layers 0..n−1 are pretrained (training keeps its output layer)
  uint64_t seed = 0;          // the experiment's seed
  const std::atomic<bool>* cancel = nullptr;  // throws Cancelled when it becomes true
};

struct StageOutcome {
  std::vector<int> lsuv_rounds;                     // per layer: LSUV's rescaling rounds
  std::vector<std::vector<double>> reconstruction;  // [layer][epoch]: RBM reconstruction error
};

struct DataStage {
  // Fits one column's start in place: its weights, and its biases when `start.b` is not empty.
  void (*fit)(const InitSpec& spec, const Activation& act, const StageData& data,
              StartWeights& start, StageOutcome& outcome);
  // describe()'s ending, in place of the std: ", then rescaled until |Var(Z) − 1| ≤ 0.1 (…)".
  std::string (*describe)(const InitSpec& spec);
  // Why the mean-field prediction is only for the random start ("" when it holds as it is).
  const char* theory_caveat;
};

}  // namespace initscope
