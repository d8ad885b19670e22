#pragma once
// The optimizers of training mode (formulas in training_config.h, as torch.optim): one state
// per parameter tensor (a slot), updated in place from that tensor's gradient.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "training_config.h"

namespace initscope {

class Optimizer {
 public:
  Optimizer() = default;
  // slot_sizes[i]: number of values of parameter tensor i (its state is allocated once here).
  Optimizer(const OptimizerConfig& config, const std::vector<Eigen::Index>& slot_sizes);

  // Starts a step: t ← t + 1 (Adam's bias corrections use it). Call once per mini-batch.
  void begin_step() { ++t_; }
  // θ ← update(θ, g) for tensor `slot` (n = its size).
  void update(size_t slot, float* theta, const float* grad) { update(slot, theta, &grad, 1); }
  // The same with g = grads[0] + grads[1] + … (added in that order): the gradient of a
  // mini-batch whose shards were back-propagated separately, added without a pass of its own.
  void update(size_t slot, float* theta, const float* const* grads, int count);
  // θ ← update(θ, g) for the values [begin, end) of tensor `slot` only (theta and grad point at
  // its value 0), without the scratch: threads may update disjoint ranges of one optimizer at
  // once, after one begin_step. Element-wise: the same values as update() over the whole tensor.
  void update_range(size_t slot, float* theta, const float* grad, Eigen::Index begin,
                    Eigen::Index end);
  uint64_t steps() const { return t_; }
  const OptimizerConfig& config() const { return config_; }

 private:
  OptimizerConfig config_;
  std::vector<Eigen::Index> sizes_;
  std::vector<Eigen::ArrayXf> first_, second_;  // momentum: v; adam: m, v (per slot)
  Eigen::ArrayXf g_;                            // a run of the summed gradient (scratch)
  uint64_t t_ = 0;
};

}  // namespace initscope
