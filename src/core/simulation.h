#pragma once
// One experiment being simulated: the weights of every column, the shared input batch, and the
// statistics accumulated since the last reset. Single-threaded API (LiveRunner owns one).
#include <Eigen/Core>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/engine/block_stats.h"
#include "core/engine/forward_pass.h"
#include "core/engine/layer_stats.h"
#include "core/engine/packed_product.h"
#include "core/engine/stats_accumulator.h"
#include "core/theory/mean_field.h"
#include "error.h"
#include "experiment.h"
#include "snapshot.h"

namespace initscope {

// What a simulation computes besides the statistics: each costs time a caller may not need
// (`stats` writes no signal plot and no pair line; a sweep row computes its own theory).
struct SimulationOutputs {
  bool theory = true;  // Snapshot::theory: the mean-field prediction per column
  // Its channel statistics for plain columns (the signal plot's dashed lines): a 2-D quadrature
  // per layer, ≈ 2 ms a layer (tanh), most of a plain column's theory.
  bool signal_theory = true;
  // Snapshot::pairs: the pair correlation line of the depth profiles (plain columns).
  bool pair_correlation = true;
  double pair_start = 0.5;  // r
  // Pairs measured per column, once per weight draw: 16 pairs of width n give c^l to about
  // (1 − c²)/√(16·n) (0.008 at n = 500), a forward pass of 32 rows.
  int pairs = 16;
  // The update's per-layer statistics: moments and histograms of Z, A and, with gradients, of
  // dL/dA and dL/dW. false: only the loss and ‖dL/dW‖ per layer (plain columns on the fused
  // pass; the block engine takes them all). A sweep row reads nothing else, and binning its one
  // update — every range unknown, so every layer binned after it — was a fifth of its time.
  bool layer_statistics = true;
};

class Simulation {
 public:
  // Validates, checks memory, draws every column's weights (deterministic in seed), then
  // computes the outputs asked for (the theory, the pairs' correlation per layer).
  explicit Simulation(Experiment e, const std::atomic<bool>* cancel = nullptr,
                      SimulationOutputs outputs = {});
  const Experiment& experiment() const { return exp_; }

  // Runs one update: draws a new batch, forwards every column, accumulates statistics.
  // Returns false when `cancel` became true between layers; the statistics are then partial
  // (call reset_stats() before the next snapshot).
  // progress(done, total) is called after each layer of each column.
  using Progress = std::function<void(int done, int total)>;
  bool update(const std::atomic<bool>* cancel = nullptr, const Progress& progress = {});
  // Forget accumulated statistics; histogram ranges are kept unless the next batch's data is
  // far outside (> ×1 above or < ×1/4 of the range) — stable axes across live frames.
  void reset_stats();
  Snapshot snapshot() const;

  // For reference checks: W of a column's layer (0-based), its bias, and the last input batch.
  // W is unpacked again from the forward pass's copy when the column did not keep it (below).
  Eigen::MatrixXf weight(size_t column, int layer) const;
  const Eigen::RowVectorXf* bias(size_t column, int layer) const {
    return exp_.bias ? &cols_[column].b[layer] : nullptr;
  }
  const Eigen::MatrixXf& batch() const { return x_; }

  // Pre-activations of input pairs (issue 15, sweeps): ⌊B/2⌋ pairs x₂ = r·x₁ + √(1−r²)·x′,
  // x₁ and x′ drawn from the input spec on a stream of their own (for a zero-mean input the
  // pair's correlation is r), taken through `column`'s weights by the same forward pass as
  // update() (keep_z). Per layer l (entry l−1), over the pairs:
  //   c[l] = mean of cos(z₁, z₂) = z₁·z₂ / (‖z₁‖·‖z₂‖)   (the theory's c^l when E[b] = 0)
  //   q[l] = mean of (‖z₁‖² + ‖z₂‖²) / (2·n_l)          (the second moment of Z: q^l)
  // Sums in double, in pair order: the same bits on any number of threads. Does not touch the
  // accumulated statistics. Plain columns only (UsageError otherwise); B ≥ 2. max_pairs > 0:
  // at most that many pairs (the first of the ⌊B/2⌋ drawn: the same pairs whatever the count).
  struct PairProfile {
    std::vector<double> c, q;
  };
  PairProfile pair_profile(size_t column, double start_correlation, int max_pairs = 0);

  // Runs e.updates updates and returns the snapshot (the `stats` command).
  static Snapshot run(const Experiment& e, SimulationOutputs outputs = {});

 private:
  struct Column {
    // Layer l: fan_in × fan_out. Kept only where it is read again (the backward pass, the block
    // engine, a fitted init's stage); a forward-only fused column keeps `packed` alone.
    std::vector<Eigen::MatrixXf> w;
    std::vector<Eigen::RowVectorXf> b;
    std::vector<gemm::PackedWeights> packed;  // fused_: w and b as the fused pass reads them
    NormKind norm = NormKind::None;           // fused_: the column's norm, its γ and β per layer
    std::vector<Eigen::RowVectorXf> gamma, beta;
    std::optional<BlockColumn> block;  // !fused_: the block engine's column
    // Per layer: Z, A (the stream), the norm's output, the branch, dL/dA, dL/dW (stable
    // histogram ranges kept across resets), the signal numbers and Σ‖dW‖ over batches.
    std::vector<LayerAccumulators> acc;
    std::vector<double> weight_norm;
    double loss_sum = 0;
    std::vector<int> lsuv_rounds;  // LSUV columns: rescaling rounds per layer
    std::vector<std::pair<double, double>> weight_moments;  // mean, std
  };
  void draw_weights(const std::atomic<bool>* cancel);
  void take_weights(Column& col, int l, const Eigen::MatrixXf& w,
                    const Eigen::RowVectorXf* b) const;
  // Snapshot::pairs of every column (outputs_.pair_correlation).
  void measure_pairs();
  // X of that update (B×d0) into x, its storage reused.
  void input_batch(uint64_t update, Eigen::MatrixXf& x) const;
  bool backward(Column& col, const std::atomic<bool>* cancel);
  // The fused forward pass of plain stacks (every column), or the block engine's columns.
  using CountLayers = std::function<void(int)>;
  bool update_plain(const std::atomic<bool>* cancel, const CountLayers& count);
  bool update_blocks(const std::atomic<bool>* cancel, const CountLayers& count);
  static bool fused_forward(const Experiment& e);
  static int64_t update_work(const Experiment& e);
  Experiment exp_;
  SimulationOutputs outputs_;
  std::vector<PairCorrelation> pairs_;  // per column (outputs_.pair_correlation)
  bool fused_ = true;  // every column through the fused forward pass (else the block engine)
  int threads_ = 1;    // threads of an update: engine/threading.h's threads_for_work
  std::vector<Column> cols_;
  std::vector<Prediction> theory_;
  Eigen::MatrixXf x_;  // the batch: B×d0
  // One forward pass per thread that runs whole columns (one when rows are split); their
  // buffers are reused across updates.
  std::vector<ForwardPass> forwards_;
  ForwardPass pair_forward_;  // pair_profile's when its rows are not the batch's
  // With gradients every layer's Z and A are kept (B×width_l) for the backward pass.
  std::vector<Eigen::MatrixXf> zs_, as_;
  Eigen::MatrixXf d_a_, d_a_prev_, d_z_, d_w_;
  gemm::ProductScratch backward_products_;   // the backward GEMMs' packed operands
  std::vector<BlockScratch> block_scratch_;  // one per thread running block columns
  uint64_t update_index_ = 0;
  int batches_ = 0;
  double last_ms_ = 0;
};

}  // namespace initscope
