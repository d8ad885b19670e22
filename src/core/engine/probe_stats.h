#pragma once
// A trained network's per-layer statistics on one labelled batch, in the form the histogram
// grid and the `stats` JSON show (layer_stats.h).
#include <vector>

#include "layer_stats.h"
#include "mlp.h"
#include "stats_accumulator.h"

namespace initscope {

// Histogram ranges per layer, kept from one probe to the next while the data stays inside them
// (a new range only when it leaves them or shrinks below a quarter): stable axes in a live view.
struct ProbeRanges {
  std::vector<Range> pre, act, grad_act, grad_w;  // unset: hi ≤ lo
  std::vector<Range> normed, branch;              // block networks
};

// The statistics of dense layer `layer` (1-based) from the values of a pass: W mean/std, Z, A
// (histogram range and saturation rule of φ when A = φ(Z) with `phi`; nullptr: A is not an
// activation's output, e.g. logits), dL/dA, dL/dW, ‖dL/dW‖_F and ‖dL/dW‖_F/‖W‖_F. The GAN's
// probes (gan_trainer.h) use it on their own passes.
LayerStats dense_layer_stats(int layer, const Eigen::MatrixXf& w, const Eigen::MatrixXf& z,
                             const Eigen::MatrixXf& a, const Activation* phi,
                             const Eigen::MatrixXf& d_a, const Eigen::MatrixXf& d_w, int bins,
                             ProbeRanges& ranges);

// Forward and backward pass of `p` on (x, labels), then for every layer: W mean/std, Z, A (the
// logits Z for the last layer), dL/dA (dL/dZ for the last layer), dL/dW, ‖dL/dW‖_F and
// ‖dL/dW‖_F/‖W‖_F; `loss` is the mean cross-entropy. `pass` is scratch.
ColumnStats probe_column_stats(const MlpParams& p, const Activation& act, const RowMatrixXf& x,
                               const uint8_t* labels, int bins, MlpPass& pass, ProbeRanges& ranges);

// The same for a block-network column (mlp.h): Z is each layer's linear output, A its output
// (the stream x' in residual blocks; the logits for the head), dL/dA the gradient of that output;
// plus `normed` where the layer has a norm, `branch` (α·z) in residual blocks, and the channel
// moments of A (and of the branch) over the batch. Training-mode statistics: BatchNorm
// normalizes with the probe batch's own moments and leaves the running ones alone.
ColumnStats probe_block_stats(const BlockNet& net, const Activation& act, MlpParams& p,
                              const RowMatrixXf& x, const uint8_t* labels, int bins,
                              BlockPass& pass, ProbeRanges& ranges);

}  // namespace initscope
