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

void Optimizer::update(size_t slot, float* theta_data, const float* const* grads, int count) {
  const Eigen::Index n = sizes_.at(slot);
  const float lr = static_cast<float>(config_.lr);
  // Adam's bias corrections (torch.optim.Adam, single-tensor path): step = lr/bc₁,
  // denom = √v/√bc₂ + ε.
  const double t = static_cast<double>(t_ == 0 ? 1 : t_);
  const float b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
  const float step = static_cast<float>(config_.lr / (1 - std::pow(config_.beta1, t)));
  const float inv_sqrt_bc2 = static_cast<float>(1 / std::sqrt(1 - std::pow(config_.beta2, t)));
  const float eps = static_cast<float>(config_.eps);
  const float mu = static_cast<float>(config_.momentum);
  // In runs of 2k values: the gradient's terms are added into g_ and θ, m, v are updated while
  // they are in L1, each line an Eigen expression (vectorised sqrt and division).
  constexpr Eigen::Index kRun = 2048;
  g_.resize(std::min(kRun, n));
  for (Eigen::Index off = 0; off < n; off += kRun) {
    const Eigen::Index len = std::min(kRun, n - off);
    auto g = g_.head(len);
    g = Eigen::Map<const Eigen::ArrayXf>(grads[0] + off, len);
    for (int k = 1; k < count; ++k) g += Eigen::Map<const Eigen::ArrayXf>(grads[k] + off, len);
    Eigen::Map<Eigen::ArrayXf> theta(theta_data + off, len);
    switch (config_.kind) {
      case OptimizerKind::Sgd:
        theta -= lr * g;
        break;
      case OptimizerKind::Momentum: {
        auto v = first_[slot].segment(off, len);
        v = mu * v + g;
        theta -= lr * v;
        break;
      }
      case OptimizerKind::Adam: {
        auto m = first_[slot].segment(off, len);
        auto v = second_[slot].segment(off, len);
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g.square();
        theta -= step * m / (v.sqrt() * inv_sqrt_bc2 + eps);
        break;
      }
    }
  }
}

}  // namespace initscope
