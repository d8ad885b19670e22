#include "normalization.h"

#include <algorithm>
#include <cmath>

namespace initscope {
namespace {

// Row blocks or columns split over the OpenMP pool when a B × n matrix is large enough to pay
// for a region (inside a region already, e.g. Simulation's whole columns per thread, nested
// regions are inactive: one thread). Every value is computed by one thread in a fixed order:
// the same bits whatever the number of threads.
constexpr Eigen::Index kNormParallelValues = 1 << 15;
bool norm_parallel(const Eigen::MatrixXf& z) {
  return z.size() >= kNormParallelValues;
}

// Per-example moments of z (B × n) over its features, in double: Σ_j z_ij and Σ_j z_ij² by
// columns (contiguous in column-major storage; lazy expressions, no temporaries), each thread
// its own block of rows; then μ_i and 1/√(v_i + ε).
void row_moments(NormKind kind, const Eigen::MatrixXf& z, NormCache& cache) {
  const Eigen::Index B = z.rows(), n = z.cols();
  cache.mean.resize(B);
  cache.inv_std.resize(B);
  constexpr Eigen::Index kRows = 256;
  const Eigen::Index blocks = (B + kRows - 1) / kRows;
#pragma omp parallel for schedule(static) if (norm_parallel(z) && blocks > 1)
  for (Eigen::Index k = 0; k < blocks; ++k) {
    const Eigen::Index r0 = k * kRows, m = std::min(kRows, B - r0);
    Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(m), sq = Eigen::ArrayXd::Zero(m);
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto c = z.col(j).segment(r0, m).array().cast<double>();
      sum += c;
      sq += c.square();
    }
    for (Eigen::Index i = 0; i < m; ++i) {
      const double mu = kind == NormKind::Rms ? 0.0 : sum[i] / static_cast<double>(n);
      const double var = std::max(0.0, sq[i] / static_cast<double>(n) - mu * mu);
      cache.mean[r0 + i] = static_cast<float>(mu);
      cache.inv_std[r0 + i] = static_cast<float>(1.0 / std::sqrt(var + kNormEpsilon));
    }
  }
}

// Per-feature moments over the batch (two passes per column: mean, then Σ(z − μ)²), columns
// split over the pool.
void column_moments(const Eigen::MatrixXf& z, Eigen::VectorXd& mean, Eigen::VectorXd& var) {
  const Eigen::Index B = z.rows(), n = z.cols();
  mean.resize(n);
  var.resize(n);
#pragma omp parallel for schedule(static) if (norm_parallel(z))
  for (Eigen::Index j = 0; j < n; ++j) {
    const auto c = z.col(j).array().cast<double>();
    const double mu = c.sum() / static_cast<double>(B);
    mean[j] = mu;
    var[j] = (c - mu).square().sum() / static_cast<double>(B);
  }
}

}  // namespace

void norm_forward(NormKind kind, const Eigen::MatrixXf& z, const Eigen::RowVectorXf& gamma,
                  const Eigen::RowVectorXf& beta, Eigen::MatrixXf& h, NormCache& cache,
                  RunningMoments* running, bool use_running) {
  const Eigen::Index B = z.rows(), n = z.cols();
  h.resize(B, n);
  if (kind == NormKind::Batch) {
    cache.mean.resize(n);
    cache.inv_std.resize(n);
    if (running != nullptr && use_running) {
      for (Eigen::Index j = 0; j < n; ++j) {
        cache.mean[j] = running->mean[j];
        cache.inv_std[j] = static_cast<float>(1.0 / std::sqrt(running->var[j] + kNormEpsilon));
      }
    } else {
      Eigen::VectorXd mean, var;
      column_moments(z, mean, var);
      for (Eigen::Index j = 0; j < n; ++j) {
        cache.mean[j] = static_cast<float>(mean[j]);
        cache.inv_std[j] = static_cast<float>(1.0 / std::sqrt(var[j] + kNormEpsilon));
      }
      if (running != nullptr) {
        const double unbias = B > 1 ? static_cast<double>(B) / static_cast<double>(B - 1) : 1.0;
        for (Eigen::Index j = 0; j < n; ++j) {
          running->mean[j] = static_cast<float>((1 - kRunningMomentum) * running->mean[j] +
                                                kRunningMomentum * mean[j]);
          running->var[j] = static_cast<float>((1 - kRunningMomentum) * running->var[j] +
                                               kRunningMomentum * var[j] * unbias);
        }
      }
    }
#pragma omp parallel for schedule(static) if (norm_parallel(z))
    for (Eigen::Index j = 0; j < n; ++j) {
      const float scale = gamma[j] * cache.inv_std[j];
      const float shift = beta[j] - cache.mean[j] * scale;
      h.col(j) = (z.col(j).array() * scale + shift).matrix();
    }
    return;
  }
  row_moments(kind, z, cache);
#pragma omp parallel for schedule(static) if (norm_parallel(z))
  for (Eigen::Index j = 0; j < n; ++j) {
    h.col(j) =
        (((z.col(j) - cache.mean).array() * cache.inv_std.array()) * gamma[j] + beta[j]).matrix();
  }
}

void norm_backward(NormKind kind, const Eigen::MatrixXf& z, const Eigen::RowVectorXf& gamma,
                   const NormCache& cache, const Eigen::MatrixXf& d_h, Eigen::MatrixXf& d_z,
                   Eigen::RowVectorXf* d_gamma, Eigen::RowVectorXf* d_beta) {
  const Eigen::Index B = z.rows(), n = z.cols();
  d_z.resize(B, n);
  if (kind == NormKind::Batch) {
#pragma omp parallel for schedule(static) if (norm_parallel(z))
    for (Eigen::Index j = 0; j < n; ++j) {
      const Eigen::ArrayXd zhat =
          (z.col(j).cast<double>().array() - cache.mean[j]) * static_cast<double>(cache.inv_std[j]);
      const Eigen::ArrayXd dh = d_h.col(j).cast<double>().array();
      if (d_gamma) (*d_gamma)[j] += static_cast<float>((dh * zhat).sum());
      if (d_beta) (*d_beta)[j] += static_cast<float>(dh.sum());
      const Eigen::ArrayXd g = dh * static_cast<double>(gamma[j]);
      const double mg = g.mean(), mgz = (g * zhat).mean();
      d_z.col(j) =
          ((g - mg - zhat * mgz) * static_cast<double>(cache.inv_std[j])).cast<float>().matrix();
    }
    return;
  }
  // Per example: the means over features of g and g ⊙ ẑ, accumulated by columns.
  Eigen::VectorXd mg = Eigen::VectorXd::Zero(B), mgz = Eigen::VectorXd::Zero(B);
  const Eigen::VectorXd mu = cache.mean.cast<double>(), inv = cache.inv_std.cast<double>();
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::VectorXd zhat = (z.col(j).cast<double>() - mu).cwiseProduct(inv);
    const Eigen::VectorXd dh = d_h.col(j).cast<double>();
    if (d_gamma) (*d_gamma)[j] += static_cast<float>(dh.dot(zhat));
    if (d_beta) (*d_beta)[j] += static_cast<float>(dh.sum());
    const Eigen::VectorXd g = dh * static_cast<double>(gamma[j]);
    mg += g;
    mgz += g.cwiseProduct(zhat);
  }
  mg /= static_cast<double>(n);
  mgz /= static_cast<double>(n);
  if (kind == NormKind::Rms) mg.setZero();
#pragma omp parallel for schedule(static) if (norm_parallel(z))
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::ArrayXd zhat = ((z.col(j).cast<double>() - mu).cwiseProduct(inv)).array();
    const Eigen::ArrayXd g = d_h.col(j).cast<double>().array() * static_cast<double>(gamma[j]);
    d_z.col(j) = ((g - mg.array() - zhat * mgz.array()) * inv.array()).cast<float>().matrix();
  }
}

}  // namespace initscope
