#include "layer_kernels.h"

#include <cmath>

namespace initscope {

void activation_forward(const Activation& act, const Eigen::MatrixXf& z, Eigen::MatrixXf& a) {
  a.resize(z.rows(), z.cols());
  const bool piecewise_linear = act.kind == ActivationKind::Relu ||
                                act.kind == ActivationKind::LeakyRelu ||
                                act.kind == ActivationKind::Linear;
  if (!piecewise_linear) {
    act.apply(z, a);
    return;
  }
  // relu: slope 0; linear: slope 1. `x < 0` is false for NaN, which passes through.
  const float slope = act.kind == ActivationKind::Relu        ? 0.f
                      : act.kind == ActivationKind::LeakyRelu ? static_cast<float>(act.slope)
                                                              : 1.f;
  const Eigen::Index n = z.size();
  const float* zp = z.data();
  float* ap = a.data();
  for (Eigen::Index i = 0; i < n; ++i) ap[i] = zp[i] < 0.f ? slope * zp[i] : zp[i];
}

void activation_backward(const Activation& act, const Eigen::MatrixXf& z, const Eigen::MatrixXf& a,
                         const Eigen::MatrixXf& d_a, Eigen::MatrixXf& d_z) {
  d_z.resize(z.rows(), z.cols());
  const Eigen::Index n = z.size();
  const float* zp = z.data();
  const float* ap = a.data();
  const float* gp = d_a.data();
  float* dp = d_z.data();
  switch (act.kind) {
    case ActivationKind::Relu:
      for (Eigen::Index i = 0; i < n; ++i) dp[i] = zp[i] > 0.f ? gp[i] : 0.f;
      return;
    case ActivationKind::LeakyRelu: {
      const float slope = static_cast<float>(act.slope);
      for (Eigen::Index i = 0; i < n; ++i) dp[i] = zp[i] > 0.f ? gp[i] : slope * gp[i];
      return;
    }
    case ActivationKind::Linear:
      d_z = d_a;
      return;
    case ActivationKind::Tanh:
      for (Eigen::Index i = 0; i < n; ++i) dp[i] = gp[i] * (1.f - ap[i] * ap[i]);
      return;
    case ActivationKind::Sigmoid:
      for (Eigen::Index i = 0; i < n; ++i) dp[i] = gp[i] * ap[i] * (1.f - ap[i]);
      return;
    default:
      for (Eigen::Index i = 0; i < n; ++i)
        dp[i] = gp[i] * static_cast<float>(act.derivative(zp[i]));
      return;
  }
}

double softmax_cross_entropy(const Eigen::MatrixXf& z, const uint8_t* labels, int64_t& correct,
                             Eigen::MatrixXf* d_z, float scale) {
  const Eigen::Index rows = z.rows(), classes = z.cols();
  if (d_z) d_z->resize(rows, classes);
  double total = 0;
  for (Eigen::Index i = 0; i < rows; ++i) {
    // Stable softmax: subtract the row's largest logit.
    Eigen::Index best = 0;
    float m = z(i, 0);
    for (Eigen::Index j = 1; j < classes; ++j) {
      if (z(i, j) > m) {
        m = z(i, j);
        best = j;
      }
    }
    double sum = 0;
    for (Eigen::Index j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(z(i, j) - m));
    const Eigen::Index y = labels[i];
    total += std::log(sum) - static_cast<double>(z(i, y) - m);
    if (best == y && std::isfinite(m)) ++correct;
    if (d_z) {
      const double inv = 1.0 / sum;
      for (Eigen::Index j = 0; j < classes; ++j) {
        const double p = std::exp(static_cast<double>(z(i, j) - m)) * inv;
        (*d_z)(i, j) = static_cast<float>(p - (j == y ? 1.0 : 0.0)) * scale;
      }
    }
  }
  return total;
}

}  // namespace initscope
