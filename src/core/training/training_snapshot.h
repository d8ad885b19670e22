#pragma once
// What training mode publishes (issue 6): an immutable picture of every column's learning
// curves and of its network's per-layer statistics on a fixed probe batch, shared by the CLI
// and a GUI (which draws the probe with the existing histogram grid).
#include <cstdint>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/snapshot.h"

namespace initscope {

struct EpochResult {
  int epoch = 0;              // 1-based
  uint64_t step = 0;          // mini-batch steps done at the epoch's end
  double train_loss = 0;      // mean over the epoch's mini-batches (the weights move meanwhile)
  double train_accuracy = 0;  // fraction of those mini-batches' images classified correctly
  double test_loss = 0;       // mean over the test set at the epoch's end
  double test_accuracy = 0;   // fraction of the test set classified correctly
};

struct ColumnHistory {
  std::string init;  // the spec as given
  // The training-loss curve: loss[k] is the mean mini-batch loss of the steps up to step[k]
  // (log_every of them; fewer for the point where the column diverged).
  std::vector<uint64_t> loss_step;
  std::vector<double> loss;
  // The fraction of those steps' mini-batch images classified correctly (one value per point
  // of `loss`): the live accuracy curve before the first epoch's evaluation exists.
  std::vector<double> accuracy;
  std::vector<EpochResult> epochs;
  bool diverged = false;     // the loss became NaN/±Inf: this column stopped training there
  uint64_t diverged_at = 0;  // the step (1-based) where it did
  // rbm: the mean reconstruction error of every pretraining epoch, per pretrained layer.
  std::vector<std::vector<double>> rbm_reconstruction;
};

struct TrainingSnapshot {
  Experiment experiment;  // with its training config, every default filled in
  std::string data_folder;
  int train_images = 0, test_images = 0;  // used (after the limits)
  uint64_t step = 0;                      // mini-batch steps done by every column
  uint64_t steps_per_epoch = 0;
  uint64_t total_steps = 0;
  int epoch = 0;  // epochs completed
  bool finished = false;
  std::vector<ColumnHistory> columns;
  // Per-layer statistics of every column's current network on the probe batch (the first
  // `experiment.batch` test images): W, Z, A (for the last layer A = Z, the logits), and the
  // gradients dL/dA, dL/dW of the cross-entropy with the true labels. Empty columns when the
  // snapshot was taken without it.
  Snapshot probe;
  double steps_per_s = 0;  // wall-clock rate of the last burst of steps
};

}  // namespace initscope
