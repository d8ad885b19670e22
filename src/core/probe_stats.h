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
};

// Forward and backward pass of `p` on (x, labels), then for every layer: W mean/std, Z, A (the
// logits Z for the last layer), dL/dA (dL/dZ for the last layer), dL/dW, ‖dL/dW‖_F and
// ‖dL/dW‖_F/‖W‖_F; `loss` is the mean cross-entropy. `pass` is scratch.
ColumnStats probe_column_stats(const MlpParams& p, const Activation& act, const RowMatrixXf& x,
                               const uint8_t* labels, int bins, MlpPass& pass, ProbeRanges& ranges);

}  // namespace initscope
