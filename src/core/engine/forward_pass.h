#pragma once
// One column's forward pass over a batch, fused with every layer's statistics:
//   Z_l = A_{l−1}·W_l + b_l (B × fan_out),  A_l = φ(Z_l),  A_0 = X (B × d0),
// computed tile by tile (packed_gemm.h). Each MR × NR tile's activation, moments and histogram
// slots are taken while the tile is in L1, and its histogram increments ride along with the
// next tile's products — one pass over the data instead of five (GEMM, φ, range, moments,
// histogram). Every thread takes its own row panels through all layers (row i of layer l+1
// needs only row i of layer l); the threads meet after each layer (a barrier, then one thread
// working while the others wait; once more when a range moved) to agree on histogram ranges,
// to merge their statistics in thread order (the same bits run after run) and to see a
// cancellation. With one thread (Simulation runs whole columns per core) nobody waits.
//
// With a norm (ForwardOptions::norm; Linear → Norm → φ, engine/architecture.h's plain stack
// with a norm, engine/normalization.h's formulas) the layer is H = norm(Z), A = φ(H), and H's
// statistics go to LayerSink::normed — fused the same way (forward_norm.cpp):
//   layer, rms: per row panel (MR rows, its tiles in L1/L2), first every tile's product with its
//               Z statistics and the rows' Σz, Σz² (double, in column order: the block engine's
//               moments bit for bit), then each tile normalized, φ applied, H's and A's
//               statistics taken;
//   batch:      every thread its rows' products with Z's statistics and per-feature Σz, Σz²;
//               the threads meet once more (the batch's moments per feature, merged in thread
//               order); then every thread normalizes its rows.
#include <atomic>
#include <functional>
#include <vector>

#include "activation.h"
#include "architecture.h"
#include "packed_gemm.h"
#include "stats_accumulator.h"

namespace initscope {

// Where one layer's statistics go. An empty accumulator starts on this batch: for A of a
// bounded activation with its range, otherwise with stable_range(*range, this batch), and
// *range is updated — so histograms keep their axes between updates. A non-empty one
// accumulates with its own range (--updates K).
struct LayerSink {
  StatsAccumulator* pre;
  StatsAccumulator* act;
  Range* pre_range;
  Range* act_range;
  // When set: this batch's signal-propagation numbers of A (engine/block_stats.h
  // channel_moments: mean over channels of the squared channel mean and of the channel
  // variance, over the batch) are added to them — from per-channel sums taken tile by tile.
  double* sq_mean_sum = nullptr;
  double* var_sum = nullptr;
  // With a norm: H = norm(Z)'s statistics and histogram range (as pre/pre_range).
  StatsAccumulator* normed = nullptr;
  Range* normed_range = nullptr;
};

struct ForwardOptions {
  int threads = 0;  // threads splitting the rows; 0: the OpenMP pool's
  // Filled with every layer's Z and A (B × fan_out), for the backward pass.
  std::vector<Eigen::MatrixXf>* keep_z = nullptr;
  std::vector<Eigen::MatrixXf>* keep_a = nullptr;
  // false: Z and A only (for keep_z / keep_a) — no moments, no histograms, the sinks neither
  // read nor written (they may be empty). The pair profile's pass (Simulation::pair_profile), whose
  // statistics nobody reads: they were a third of its time in a sweep (binned twice, the ranges
  // being unknown). Plain layers only (norm none).
  bool statistics = true;
  const std::atomic<bool>* cancel = nullptr;  // seen between layers
  std::function<void()> layer_done;           // runs after each layer
  // Runs after each layer, on one thread, with its Z (B × fan_out in row panels: the pass's
  // own buffer, valid during the call): what only needs Z, read without unpacking it.
  std::function<void(int layer, const gemm::PanelMatrix& z)> z_done;
  // A norm after every layer's product: H = γ ⊙ (Z − μ)/√(v + ε) + β with γ, β of layer l in
  // (*gamma)[l], (*beta)[l] (1 × fan_out; engine/normalization.h). BatchNorm needs B ≥ 2.
  // keep_z / keep_a keep Z and A (not H): the backward pass of a norm is the block engine's.
  NormKind norm = NormKind::None;
  const std::vector<Eigen::RowVectorXf>* gamma = nullptr;
  const std::vector<Eigen::RowVectorXf>* beta = nullptr;
};

class ForwardPass {
 public:
  ForwardPass();
  ForwardPass(ForwardPass&&) noexcept;
  ForwardPass& operator=(ForwardPass&&) noexcept;
  ~ForwardPass();
  // x: B × d0; w[l]: layer l's packed weights and bias; sinks[l]: its statistics (bins each).
  // Returns false when the cancel flag became true; the statistics are then partial.
  bool run(const Eigen::MatrixXf& x, const std::vector<gemm::PackedWeights>& w,
           const Activation& act, int bins, const std::vector<LayerSink>& sinks,
           const ForwardOptions& options = {});

 private:
  struct Share;
  struct Plan;
  struct Job;
  struct Meeting;
  struct LayerBinnings;
  // The phases of run(), in order (forward_pass.cpp: their shapes and meeting points).
  void size_buffers(const Job& job);
  void plan_layer(const Job& job, int l, Meeting& m);
  void run_thread(const Job& job, Meeting& m);                    // inside the parallel region
  void layer_rows(const Job& job, int l, Meeting& m, Share& me);  // one of the three below
  void forward_rows(const Job& job, int l, const Meeting& m, Share& me);
  // With a norm (forward_norm.cpp): layer/rms per row panel; batch in two halves around a
  // meeting that turns the threads' per-feature sums into the scale and shift of every feature.
  void forward_row_norm_rows(const Job& job, int l, const Meeting& m, Share& me);
  void forward_batch_norm_rows(const Job& job, int l, Meeting& m, Share& me);
  void begin_layer_share(const Job& job, int l, Share& me) const;
  void product_tiles(const Job& job, int l, const LayerBinnings& b, int q, int p0, int p1,
                     Share& me, int& pending);
  void normalize_tile(const Job& job, int q, int p, const Share& me, float* h) const;
  void normed_and_act_stats(const Job& job, int l, const LayerBinnings& b, int q, int p, Share& me);
  void keep_rows(const Job& job, int l, const Share& me);  // into options.keep_z / keep_a
  void batch_norm_lanes(const Job& job, int l, int nt);
  void set_feature_lanes(const Job& job, int l);
  void meet(const Job& job, int l, int nt, Meeting& m, bool rebinned);
  bool settle_ranges(const Job& job, int l, int nt, Meeting& m);
  void rebin_rows(const Job& job, int l, const Meeting& m, Share& me);
  void merge_layer(const Job& job, int l, int nt, Meeting& m);
  void end_layer(const Job& job, int l, Meeting& m);
  static void add_channel_sums(const float* tile, int rows, int p, Share& me);
  void merge_channel_sums(const Job& job, int l, int nt);
  // Buffers reused across updates: X packed, Z of the running layer, A ping-pong.
  gemm::PanelMatrix x_, z_, a_[2];
  // With a norm, per feature of the running layer (padded with 0 to whole column panels):
  // layer/rms γ and β; batch the scale a = γ/√(v + ε) and the shift c = β − μ·a.
  std::vector<float> feature_a_, feature_b_;
  std::vector<Share> shares_;  // one per thread
};

}  // namespace initscope
