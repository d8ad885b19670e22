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
#include <atomic>
#include <functional>
#include <vector>

#include "activation.h"
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
};

struct ForwardOptions {
  int threads = 0;  // threads splitting the rows; 0: the OpenMP pool's
  // Filled with every layer's Z and A (B × fan_out), for the backward pass.
  std::vector<Eigen::MatrixXf>* keep_z = nullptr;
  std::vector<Eigen::MatrixXf>* keep_a = nullptr;
  const std::atomic<bool>* cancel = nullptr;  // seen between layers
  std::function<void()> layer_done;           // runs after each layer
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
  // The phases of run(), in order (forward_pass.cpp: their shapes and meeting points).
  void size_buffers(const Job& job);
  void plan_layer(const Job& job, int l, Meeting& m);
  void run_thread(const Job& job, Meeting& m);  // inside the parallel region
  void forward_rows(const Job& job, int l, const Meeting& m, Share& me);
  void meet(const Job& job, int l, int nt, Meeting& m, bool rebinned);
  bool settle_ranges(const Job& job, int l, int nt, Meeting& m);
  void rebin_rows(const Job& job, int l, const Meeting& m, Share& me);
  void merge_layer(const Job& job, int l, int nt, Meeting& m);
  static void add_channel_sums(const float* tile, int rows, int p, Share& me);
  void merge_channel_sums(const Job& job, int l, int nt);
  // Buffers reused across updates: X packed, Z of the running layer, A ping-pong.
  gemm::PanelMatrix x_, z_, a_[2];
  std::vector<Share> shares_;  // one per thread
};

}  // namespace initscope
