#pragma once
// Training mode (issue 6): every compared column trains its own MLP from its init, on the same
// mini-batches in the same order. Single-threaded API meant to be driven in bounded bursts by
// its owner — the `train` command, or a GUI worker thread that checks a cancel flag between
// steps and publishes snapshot()s.
//
// Threads: a mini-batch is cut into fixed shards of rows (one per 64 rows, at most 4: a batch
// of 128 has 2). The (column, shard) pairs of a step run in parallel on the OpenMP pool, each
// on one thread (Eigen does not nest its GEMM threads inside a parallel region), and each
// column adds its shards' gradients in shard order; evaluation runs (column, chunk of test
// images) pairs the same way. So the arithmetic does not depend on the thread count, and a
// step waits at two barriers, not at every GEMM: a descheduled thread on a busy machine costs
// little. Where one task runs alone, Eigen threads its GEMMs instead, and their blocking —
// hence the last digits — depends on the thread count: a single column with a single shard
// (batch < 128), the data-dependent inits (lsuv, rbm pretraining) and the probe statistics.
// Deterministic: the same experiment (seed included) gives identical curves; the same thread
// count too in those cases.
//
// Architectures (issue 13): each column trains the network of its column_arch — plain columns
// the MLP of mlp.h, every other the block network with the classifier head (mlp.h). γ and β of
// the norm layers are optimizer slots after the weights and biases (their own Adam/momentum
// state; there is no weight decay to exempt them from). BatchNorm normalizes over the whole
// mini-batch: a BatchNorm column runs as ONE task on all the mini-batch's rows, not in shards
// (the shards' statistics would differ from the batch's, and the gradient with them), and
// updates its running moments (momentum 0.1, unbiased variance) once per step. LayerNorm and
// RMSNorm are per example, so their columns are sharded like plain ones. The test set is
// evaluated with the running moments (evaluation mode: any batch size, even one image); the
// probe statistics use the probe batch's own moments without touching the running ones
// (training-mode statistics, as the `stats` mode shows them). The data-driven inits (lsuv, rbm)
// fit the weights as for the plain stack; the column then trains its own architecture.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "core/engine/mlp.h"
#include "core/engine/probe_stats.h"
#include "core/experiment.h"
#include "core/init/start_weights.h"
#include "image_dataset.h"
#include "optimizer.h"
#include "training_snapshot.h"

namespace initscope {

class Trainer {
 public:
  // Resolves the experiment for the data (input_dim 0 → the image size; e.training empty → the
  // defaults), checks that the network fits it (UsageError naming --input-dim / --width
  // otherwise), draws every column's weights exactly as Simulation does (same seed, same W),
  // biases from e.bias (zeros without one; training always has biases), and runs the
  // data-dependent inits: lsuv on the probe batch, rbm pretraining on the training images
  // (throws Cancelled when `cancel` becomes true meanwhile).
  Trainer(Experiment e, std::shared_ptr<const ImageDataset> data,
          const std::atomic<bool>* cancel = nullptr);

  const Experiment& experiment() const { return exp_; }
  const TrainingConfig& config() const { return cfg_; }
  uint64_t steps_per_epoch() const { return steps_per_epoch_; }
  uint64_t total_steps() const { return steps_per_epoch_ * static_cast<uint64_t>(cfg_.epochs); }
  uint64_t steps_done() const { return step_; }
  bool finished() const { return step_ >= total_steps(); }

  // One mini-batch for every column (forward, backward, optimizer step); at an epoch's end the
  // columns are evaluated on the test set. Returns false when training was already finished.
  bool step();
  // Up to max_steps steps, fewer when finished or `cancel` became true (checked between
  // steps). Returns the steps taken.
  int run_steps(int max_steps, const std::atomic<bool>* cancel = nullptr);
  // Steps to the end of the current epoch; false if cancelled first (or already finished).
  bool run_epoch(const std::atomic<bool>* cancel = nullptr);

  // Histories so far and, when `with_probe`, every column's per-layer statistics on the probe
  // batch (one forward + backward pass per column).
  TrainingSnapshot snapshot(bool with_probe = true);

  // For tests and reference checks.
  const MlpParams& params(size_t column) const { return cols_[column].params; }
  const std::vector<uint8_t>& last_labels() const { return y_; }  // of the last mini-batch
  int shards() const { return static_cast<int>(x_shards_.size()); }
  // Mean loss and accuracy of a column on the (limited) test set.
  std::pair<double, double> evaluate(size_t column);

 private:
  struct Column {
    MlpParams params;
    Optimizer optimizer;
    ColumnHistory history;
    std::vector<int> lsuv_rounds;
    double epoch_loss = 0;  // Σ over this epoch's images of −log p(y)
    int64_t epoch_correct = 0, epoch_seen = 0;
    double log_loss = 0;  // Σ of mini-batch mean losses since the last curve point
    int log_count = 0;
    int64_t log_correct = 0, log_seen = 0;  // images right / seen since the last curve point
    ProbeRanges probe_ranges;
    std::vector<MlpPass> shard_pass;       // reused buffers of each shard's pass (plain)
    std::vector<const float*> grad_terms;  // one tensor's gradient in every shard
    Architecture arch;                     // exp_.column_arch(c)
    std::optional<BlockNet> net;           // the block network (not plain)
    std::vector<BlockPass> block_pass;     // per shard; one pass of the whole batch (BatchNorm)
    bool whole_batch() const { return arch.norm == NormKind::Batch; }
  };
  // Buffers of one evaluation task (a chunk of test images through one column).
  struct EvalBuffers {
    RowMatrixXf x;
    std::vector<uint8_t> y;
    MlpPass pass;
    Eigen::MatrixXf x_cols;          // x column-major (block networks)
    std::vector<BlockLayer> layers;  // a ring of two layers (block networks)
  };
  // Takes column c's random start and fits the data-driven inits (lsuv, rbm).
  void init_column(size_t c, StartWeights start, const std::atomic<bool>* cancel);
  void gather(const LabelledImages& set, const int* rows, int n, RowMatrixXf& x,
              std::vector<uint8_t>* y) const;
  void shard_backward(Column& col, int shard);  // forward + backward of one shard
  void block_backward(Column& col, int shard);  // the same in a block network; −1: whole batch
  void update_block_column(Column& col);        // the optimizer step of a block network
  void update_column(Column& col);              // bookkeeping, optimizer step on Σ shards
  void end_epoch();
  // Mean test loss and accuracy of each listed column.
  std::vector<std::pair<double, double>> evaluate_columns(const std::vector<size_t>& columns);
  // task(0..n−1), in parallel when n > 1 (see the top of this file).
  template <typename Task>
  void run_tasks(int n, Task&& task);

  Experiment exp_;
  TrainingConfig cfg_;
  std::shared_ptr<const ImageDataset> data_;
  int train_count_ = 0, test_count_ = 0;
  uint64_t steps_per_epoch_ = 0;
  std::vector<Column> cols_;
  std::vector<int> order_;                  // this epoch's order of the training images
  uint64_t step_ = 0;                       // steps done
  int epoch_ = 0;                           // epochs done
  std::vector<RowMatrixXf> x_shards_;       // the mini-batch's shards: consecutive rows of it
  RowMatrixXf x_whole_;                     // the whole mini-batch, for BatchNorm columns (S > 1)
  std::vector<std::pair<int, int>> tasks_;  // a step's (column, shard; −1 = whole batch)
  std::vector<int> shard_start_;            // first row of each shard in the mini-batch, + B
  std::vector<uint8_t> y_;                  // the mini-batch's labels
  RowMatrixXf probe_x_;                     // the probe batch: B×d0
  std::vector<uint8_t> probe_y_;
  MlpPass probe_pass_;  // the probe's buffers (the columns take turns)
  BlockPass probe_block_pass_;
  std::vector<EvalBuffers> eval_buffers_;  // one per OpenMP thread
  double steps_per_s_ = 0;
};

}  // namespace initscope
