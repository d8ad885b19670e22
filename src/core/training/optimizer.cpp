#include "optimizer.h"

#include <algorithm>
#include <cmath>

namespace initscope {

Optimizer::Optimizer(const OptimizerConfig& config, const std::vector<Eigen::Index>& slot_sizes)
    : config_(config), sizes_(slot_sizes) {
  const bool has_first = config.kind != OptimizerKind::Sgd;
  const bool has_second = config.kind == OptimizerKind::Adam;
  for (Eigen::Index n : sizes_) {
    first_.push_back(has_first ? Eigen::ArrayXf::Zero(n) : Eigen::ArrayXf());
    second_.push_back(has_second ? Eigen::ArrayXf::Zero(n) : Eigen::ArrayXf());
  }
}

namespace {

// The per-step constants of an optimizer (formulas in training_config.h).
struct OptimizerScalars {
  float lr, b1, b2, step, inv_sqrt_bc2, eps, mu;
};

// θ, m, v ← update(θ, g) on one run of values (offset `off` into the slot's state), each line
// an Eigen expression (vectorised sqrt and division).
template <typename Grad>
void optimizer_apply_run(OptimizerKind kind, const OptimizerScalars& k, float* theta_data,
                         const Grad& g, Eigen::ArrayXf& first, Eigen::ArrayXf& second,
                         Eigen::Index off) {
  const Eigen::Index len = g.size();
  Eigen::Map<Eigen::ArrayXf> theta(theta_data + off, len);
  switch (kind) {
    case OptimizerKind::Sgd:
      theta -= k.lr * g;
      break;
    case OptimizerKind::Momentum: {
      auto v = first.segment(off, len);
      v = k.mu * v + g;
      theta -= k.lr * v;
      break;
    }
    case OptimizerKind::Adam: {
      auto m = first.segment(off, len);
      auto v = second.segment(off, len);
      m = k.b1 * m + (1 - k.b1) * g;
      v = k.b2 * v + (1 - k.b2) * g.square();
      theta -= k.step * m / (v.sqrt() * k.inv_sqrt_bc2 + k.eps);
      break;
    }
  }
}

OptimizerScalars optimizer_scalars(const OptimizerConfig& c, uint64_t steps) {
  // Adam's bias corrections (torch.optim.Adam, single-tensor path): step = lr/bc₁,
  // denom = √v/√bc₂ + ε.
  const double t = static_cast<double>(steps == 0 ? 1 : steps);
  return {static_cast<float>(c.lr),
          static_cast<float>(c.beta1),
          static_cast<float>(c.beta2),
          static_cast<float>(c.lr / (1 - std::pow(c.beta1, t))),
          static_cast<float>(1 / std::sqrt(1 - std::pow(c.beta2, t))),
          static_cast<float>(c.eps),
          static_cast<float>(c.momentum)};
}

// Runs of 2k values: the gradient's terms are added into the scratch and θ, m, v are updated
// while they are in L1.
constexpr Eigen::Index kOptimizerRun = 2048;

}  // namespace

void Optimizer::update(size_t slot, float* theta_data, const float* const* grads, int count) {
  const Eigen::Index n = sizes_.at(slot);
  const OptimizerScalars k = optimizer_scalars(config_, t_);
  g_.resize(std::min(kOptimizerRun, n));
  for (Eigen::Index off = 0; off < n; off += kOptimizerRun) {
    const Eigen::Index len = std::min(kOptimizerRun, n - off);
    auto g = g_.head(len);
    g = Eigen::Map<const Eigen::ArrayXf>(grads[0] + off, len);
    for (int j = 1; j < count; ++j) g += Eigen::Map<const Eigen::ArrayXf>(grads[j] + off, len);
    optimizer_apply_run(config_.kind, k, theta_data, g, first_[slot], second_[slot], off);
  }
}

void Optimizer::update_range(size_t slot, float* theta, const float* grad, Eigen::Index begin,
                             Eigen::Index end) {
  const OptimizerScalars k = optimizer_scalars(config_, t_);
  for (Eigen::Index off = begin; off < end; off += kOptimizerRun) {
    const Eigen::Index len = std::min(kOptimizerRun, end - off);
    optimizer_apply_run(config_.kind, k, theta, Eigen::Map<const Eigen::ArrayXf>(grad + off, len),
                        first_[slot], second_[slot], off);
  }
}

}  // namespace initscope
