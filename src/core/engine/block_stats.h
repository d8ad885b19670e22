#pragma once
// The statistics of one column, layer by layer, accumulated over updates (Simulation), and the
// block engine's column (BlockColumn): a column with a norm or a residual (engine/block_net.h)
// forwarded — and back-propagated with gradients — through BlockNet, its per-layer values
// (z, out, the norm's output, the branch) added to the same accumulators the fused forward pass
// fills for plain stacks, with the same stable-range logic (stats_accumulator.h).
#include <Eigen/Core>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "block_net.h"
#include "core/engine/layer_stats.h"
#include "core/engine/stats_accumulator.h"
#include "core/rng.h"

namespace initscope {

// Signal propagation (Brock, De & Smith 2021) of one B × n matrix, over the batch:
//   μ_j = mean_i m_ij,  v_j = mean_i (m_ij − μ_j)²;  sq_mean = mean_j μ_j²,  var = mean_j v_j.
struct ChannelMoments {
  double sq_mean = 0, var = 0;
};
ChannelMoments channel_moments(const Eigen::MatrixXf& m);  // two passes per column, double
// From per-channel Σ_i m_ij and Σ_i m_ij² over `rows` rows (the fused forward pass's sums).
ChannelMoments channel_moments(const double* sum, const double* sq, int channels, int rows);

// A quantity's accumulator and the histogram range kept for it across resets.
struct QuantityStats {
  StatsAccumulator acc;
  Range range{0, 0};
  // Adds m's values. An empty accumulator starts on this batch: with `bounded` (a bounded φ's
  // output) as its range, else stable_range(range, this batch) — kept while the data stay put.
  void add(const Eigen::MatrixXf& m, int bins, SaturationRule rule,
           const std::optional<std::pair<double, double>>& bounded = std::nullopt);
  ValueStats result() const { return acc.result(); }
};

// One layer of one column: every quantity's statistics and the per-update sums of the signal
// numbers (averaged over updates in the snapshot) and of ‖dL/dW‖_F.
struct LayerAccumulators {
  QuantityStats pre, act, normed, branch, grad_act, grad_w;
  double sq_mean_sum = 0, var_sum = 0, branch_var_sum = 0, grad_norm_sum = 0;
  // Forget the values, keep the ranges.
  void reset();
  // ls's preact, act, normed, branch, gradients (grad_norm/ratio need `batches` > 0) and
  // signal numbers; NaN where not measured.
  void fill(int batches, bool gradients, double weight_norm, LayerStats& ls) const;
};

// What one update of a block column needs besides its weights.
struct BlockUpdate {
  const Eigen::MatrixXf* x = nullptr;  // the batch, B × d0
  int bins = 100;
  bool gradients = false;
  std::string loss = "sum";
  Rng targets{0};  // the loss targets' stream, copied: every column draws the same targets
  const std::atomic<bool>* cancel = nullptr;
  std::function<void()> layer_done;  // after each layer's forward
};

// Buffers one thread reuses across columns and updates.
struct BlockScratch {
  std::vector<BlockLayer> layers;  // every layer with gradients, else a ring of two
  BlockNet::Grads grads;
  Eigen::MatrixXf d_out;
};

class BlockColumn {
 public:
  // w, b: the start weights (draw_start_weights; b empty without a bias). head: the last layer
  // is the classifier (BlockNet's Role::Head: z = x·W + b, no norm, no φ).
  BlockColumn(const Architecture& arch, const Activation& act, std::vector<Eigen::MatrixXf> w,
              std::vector<Eigen::RowVectorXf> b, bool head = false);
  const BlockNet& net() const { return net_; }
  const BlockNetParams& params() const { return p_; }
  // One batch forward (and backward with u.gradients) into acc (one per layer). Returns false
  // when cancelled between layers (partial statistics); loss gets the batch's loss.
  bool update(const BlockUpdate& u, BlockScratch& s, std::vector<LayerAccumulators>& acc,
              double& loss);

 private:
  void add_forward(int l, const BlockLayer& v, int bins, LayerAccumulators& a) const;
  BlockNet net_;
  BlockNetParams p_;
  Activation act_;
};

}  // namespace initscope
