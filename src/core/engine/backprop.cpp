#include "backprop.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "threading.h"

namespace initscope {

double loss_gradient(const std::string& loss, const Eigen::MatrixXf& a, Rng& rng,
                     Eigen::MatrixXf& d_a) {
  const Eigen::Index B = a.rows(), n = a.cols();
  const float inv_b = 1.0f / static_cast<float>(B);
  d_a.resize(B, n);
  double value = 0;
  if (loss == "sum") {
    d_a.setConstant(inv_b);
    value = a.cast<double>().sum() / static_cast<double>(B);
  } else if (loss == "mse") {
    for (Eigen::Index j = 0; j < n; ++j) {
      for (Eigen::Index i = 0; i < B; ++i) {
        const double diff = static_cast<double>(a(i, j)) - rng.normal();
        value += 0.5 * diff * diff;
        d_a(i, j) = static_cast<float>(diff) * inv_b;
      }
    }
    value /= static_cast<double>(B);
  } else if (loss == "xent") {
    for (Eigen::Index i = 0; i < B; ++i) {
      const Eigen::Index label = static_cast<Eigen::Index>(rng.below(static_cast<uint64_t>(n)));
      // Stable softmax: subtract the row max; non-finite rows give NaN gradients (shown as data).
      const double m = a.row(i).cast<double>().maxCoeff();
      double z = 0;
      for (Eigen::Index j = 0; j < n; ++j) z += std::exp(static_cast<double>(a(i, j)) - m);
      for (Eigen::Index j = 0; j < n; ++j) {
        const double p = std::exp(static_cast<double>(a(i, j)) - m) / z;
        d_a(i, j) = static_cast<float>((p - (j == label ? 1.0 : 0.0)) / static_cast<double>(B));
      }
      value -= static_cast<double>(a(i, label)) - m - std::log(z);
    }
    value /= static_cast<double>(B);
  } else {
    throw UsageError("--loss '" + loss + "': allowed: sum, mse, xent");
  }
  return value;
}

void activation_derivative(const Activation& act, const Eigen::MatrixXf& z, Eigen::MatrixXf& d) {
  d.resize(z.rows(), z.cols());
  const Eigen::Index n = z.size();
  const float* zp = z.data();
  float* dp = d.data();
  const bool tanh = act.kind == ActivationKind::Tanh;
  if (tanh || act.kind == ActivationKind::Sigmoid) {
    // The classroom activations, vectorised in float (Eigen's exp) instead of Activation::
    // derivative per value in double: with u = e^(−2|z|) (tanh) or e^(−|z|) (sigmoid),
    //   tanh'(z) = 4u/(1+u)²,   σ'(z) = u/(1+u)²,
    // exact to float rounding even where the unit saturates — 1 − tanh² would cancel to 0 there,
    // and those tiny gradients are what the vanishing-gradient figures show. NaN stays NaN,
    // ±Inf gives 0. Past float's smallest normal (u < e^−87.3) the derivative is 0: Eigen's
    // SSE2 exp stops at FLT_MIN there while its AVX-512 exp goes on to 0; now every build
    // agrees.
    constexpr Eigen::Index kRun = 1 << 14;
    const Eigen::Index runs = (n + kRun - 1) / kRun;
#pragma omp parallel for schedule(static) if (n > (1 << 16))
    for (Eigen::Index r = 0; r < runs; ++r) {
      const Eigen::Index b = r * kRun, m = std::min(kRun, n - b);
      const Eigen::Map<const Eigen::ArrayXf> zr(zp + b, m);
      Eigen::Map<Eigen::ArrayXf> dr(dp + b, m);
      if (tanh) {
        dr = (-2.0f * zr.abs()).exp();
        dr = 4.0f * dr / (1.0f + dr).square();
      } else {
        dr = (-zr.abs()).exp();
        dr = dr / (1.0f + dr).square();
      }
      const float underflow = tanh ? 87.3f / 2 : 87.3f;  // |z| where u leaves the normals
      float* dd = dp + b;
      const float* zz = zp + b;
      for (Eigen::Index i = 0; i < m; ++i) dd[i] = std::fabs(zz[i]) > underflow ? 0.0f : dd[i];
    }
    return;
  }
#pragma omp parallel for schedule(static) if (n > (1 << 16))
  for (Eigen::Index i = 0; i < n; ++i) dp[i] = static_cast<float>(act.derivative(zp[i]));
}

void layer_backward(const Activation& act, const Eigen::MatrixXf& d_a, const Eigen::MatrixXf& z,
                    const Eigen::MatrixXf& a_prev, const Eigen::MatrixXf& w, Eigen::MatrixXf& d_z,
                    Eigen::MatrixXf& d_w, Eigen::MatrixXf* d_a_prev,
                    gemm::ProductScratch& products) {
  activation_derivative(act, z, d_z);
  d_z.array() *= d_a.array();
  const int64_t work = static_cast<int64_t>(a_prev.rows()) * a_prev.cols() * d_z.cols();
  const int threads = threads_for_work(work);
  d_w.resize(a_prev.cols(), d_z.cols());
  gemm::product(gemm::transposed_view_of(a_prev), gemm::view_of(d_z), gemm::result_view_of(d_w),
                products, threads);
  if (d_a_prev == nullptr) return;
  // dA_prevᵀ = W·dZᵀ (in × B): in rows fill the MR-row panels better than B (500 → 512 against
  // 200 → 224 at a sweep point's shape).
  d_a_prev->resize(a_prev.rows(), a_prev.cols());
  gemm::product(gemm::view_of(w), gemm::transposed_view_of(d_z),
                gemm::transposed_result_view_of(*d_a_prev), products, threads);
}

}  // namespace initscope
