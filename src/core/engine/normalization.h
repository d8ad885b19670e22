#pragma once
// Normalization layers on B × n matrices (column-major: one example per row, one feature per
// column), with their backward passes (engine/architecture.h for where they sit):
//   batch:  per feature j over the batch:   μ_j = mean_i z_ij,  v_j = mean_i (z_ij − μ_j)²
//   layer:  per example i over its features: μ_i = mean_j z_ij,  v_i = mean_j (z_ij − μ_i)²
//   rms:    per example i, no centring:      μ_i = 0,            v_i = mean_j z_ij²
//   ẑ = (z − μ)/√(v + ε),  h = γ ⊙ ẑ + β   (γ, β per feature: 1 × n; ε = 1e-5)
// Backward, with g = dL/dh ⊙ γ and the means over the normalized axis (m values):
//   batch, layer:  dL/dz = (g − mean(g) − ẑ·mean(g ⊙ ẑ)) / √(v + ε)
//   rms:           dL/dz = (g − ẑ·mean(g ⊙ ẑ)) / √(v + ε)
//   dL/dγ = Σ_i dL/dh ⊙ ẑ,  dL/dβ = Σ_i dL/dh.
// Moments are accumulated in double. Evaluation-mode BatchNorm (training's test set) uses the
// running statistics instead of the batch's.
#include <Eigen/Core>

#include "architecture.h"

namespace initscope {

// What the forward pass keeps for the backward: μ and 1/√(v + ε) per feature (batch: n values)
// or per example (layer, rms: B values).
struct NormCache {
  Eigen::VectorXf mean, inv_std;
};

// BatchNorm's running statistics (training mode; torch's rule, momentum 0.1, the unbiased
// variance v·B/(B − 1)).
struct RunningMoments {
  Eigen::RowVectorXf mean, var;  // 1 × n; start 0 and 1
};
inline constexpr double kRunningMomentum = 0.1;

// h = norm(z) (B × n; h may not alias z). With `running` and `use_running` (evaluation), BatchNorm
// uses running's moments; with `running` and not `use_running`, they are updated from this batch.
void norm_forward(NormKind kind, const Eigen::MatrixXf& z, const Eigen::RowVectorXf& gamma,
                  const Eigen::RowVectorXf& beta, Eigen::MatrixXf& h, NormCache& cache,
                  RunningMoments* running = nullptr, bool use_running = false);

// dL/dz from dL/dh (B × n; d_z may not alias d_h); adds dL/dγ and dL/dβ into d_gamma / d_beta
// when they are not null (1 × n, sized by the caller).
void norm_backward(NormKind kind, const Eigen::MatrixXf& z, const Eigen::RowVectorXf& gamma,
                   const NormCache& cache, const Eigen::MatrixXf& d_h, Eigen::MatrixXf& d_z,
                   Eigen::RowVectorXf* d_gamma = nullptr, Eigen::RowVectorXf* d_beta = nullptr);

}  // namespace initscope
