#pragma once
// Restricted Boltzmann machines for DBN pretraining, the data-dependent init `rbm` (Hinton,
// Osindero & Teh 2006; Hinton, "A practical guide to training RBMs", 2010). Binary visible and
// hidden units, energy E(v, h) = −v·a − h·c − vᵀ·W·h; real values in [0, 1] are used as visible
// probabilities. W is visible × hidden — the layer's W (fan_in × fan_out) — and c its bias.
#include <Eigen/Core>
#include <atomic>
#include <functional>
#include <vector>

#include "core/rng.h"
#include "init_spec.h"

namespace initscope {

struct Rbm {
  Eigen::MatrixXf w;     // visible × hidden
  Eigen::RowVectorXf a;  // visible biases, 1 × visible
  Eigen::RowVectorXf c;  // hidden biases, 1 × hidden
};

// Buffers of one CD-1 step, reused across steps.
struct Cd1Scratch {
  Eigen::MatrixXf p_h0, h0, p_v1, p_h1;
};

// One step of contrastive divergence (CD-1) on the batch v0 (B × visible, values in [0, 1]):
//   P_h0 = σ(v0·W + c);  h0 = [u < P_h0] with u ~ U[0,1) from rng.uniform(), drawn in
//   column-major order of the B × hidden matrix;  P_v1 = σ(h0·Wᵀ + a);  P_h1 = σ(P_v1·W + c);
//   W += lr·(v0ᵀ·P_h0 − P_v1ᵀ·P_h1)/B;  a += lr·Σ_rows(v0 − P_v1)/B;  c += lr·Σ_rows(P_h0 −
//   P_h1)/B.
// Returns the reconstruction error Σ (v0 − P_v1)² / B (squared error per example).
double cd1_step(Rbm& rbm, const Eigen::MatrixXf& v0, float lr, Rng& rng, Cd1Scratch& s);

// P(h = 1 | v) = σ(v·W + c): what the next RBM of a stack is trained on.
void rbm_hidden(const Rbm& rbm, const Eigen::MatrixXf& v, Eigen::MatrixXf& p_h);

// The `rbm` spec's parameters.
struct RbmSettings {
  int epochs = 1;   // passes over the data per layer
  double lr = 0.1;  // CD-1 learning rate
  int batch = 100;  // CD-1 mini-batch size
  static RbmSettings from_spec(const InitSpec& spec);
};

// Training examples: `count` rows of `dim` values in [0, 1], gathered by row index into `out`
// (n × dim).
struct RbmData {
  int count = 0, dim = 0;
  std::function<void(const int* rows, int n, Eigen::MatrixXf& out)> gather;
  // The rows of x (which must outlive the result).
  static RbmData rows_of(const Eigen::MatrixXf& x);
};

// Greedy layer-wise pretraining of w[0..layers) in place (their values on entry are the starting
// weights, e.g. N(0, 0.01²)) as a stack of RBMs: RBM l is trained by CD-1 on the hidden
// probabilities of RBMs 0..l−1 for the data, in a fresh random order each epoch; visible and
// hidden biases start at 0. Its hidden biases c go into (*b)[l] when b is not null.
// Randomness: Rng::stream(seed, stream, l) per layer. Throws Cancelled (error.h) when
// `cancel` becomes true (checked between mini-batches).
// Returns the mean reconstruction error of every epoch: [layer][epoch].
std::vector<std::vector<double>> pretrain_rbm_stack(std::vector<Eigen::MatrixXf>& w,
                                                    std::vector<Eigen::RowVectorXf>* b, int layers,
                                                    const RbmData& data,
                                                    const RbmSettings& settings, uint64_t seed,
                                                    uint64_t stream,
                                                    const std::atomic<bool>* cancel = nullptr);

}  // namespace initscope
