#pragma once
// Statistics of one layer of one column (docs/ARCHITECTURE.md "The JSON contract"), as published in
// snapshots and JSON.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/init/init_spec.h"

namespace initscope {

struct Histogram {
  double lo = 0, hi = 1;  // fixed range; bin i covers [lo + i·w, lo + (i+1)·w), w=(hi-lo)/n
  std::vector<uint64_t> counts;   // the last bin also holds x == hi
  uint64_t below = 0, above = 0;  // finite values outside [lo, hi]
  uint64_t total() const;
};

struct ValueStats {
  uint64_t count = 0;        // all values, finite or not
  double mean = 0, std = 0;  // over finite values (population std, like numpy's)
  double min = 0, max = 0;   // over finite values
  double saturated = 0;      // fraction of all values (tanh |a|>0.99, sigmoid a<0.01|a>0.99)
  double zero = 0;           // fraction with |a| < 1e-2 — the collapse signal
  double dead = 0;           // fraction exactly 0
  uint64_t nonfinite = 0;    // NaN/Inf count, excluded from mean/std/min/max/hist
  Histogram hist;
};

struct LayerStats {
  int layer = 0;  // 1-based
  int fan_in = 0, fan_out = 0;
  double weight_mean = 0, weight_std = 0;
  ValueStats preact;  // Z = A·W + b
  ValueStats act;     // A = φ(Z)
  // Backward pass (when the experiment asks for gradients): dL/dA of this layer's output,
  // dL/dW, ‖dL/dW‖_F and ‖dL/dW‖_F / ‖W‖_F.
  bool has_grad = false;
  ValueStats grad_act, grad_weight;
  double grad_norm = 0, grad_ratio = 0;
  // Architectures (engine/architecture.h): the norm layer's output (plain: norm(Z), pre-norm:
  // norm(x), post-norm: the stream) and, in residual blocks, the branch α·(φ(·)·W + b) before it
  // is added; `act` is then the stream x'.
  bool has_normed = false, has_branch = false;
  ValueStats normed, branch;
  // Signal propagation (Brock, De & Smith 2021) of the output `act` (B × n, over the batch): the
  // average over channels of the squared channel mean and of the channel variance, and the
  // branch's average channel variance. NaN where not measured (branch: plain layers).
  double channel_sq_mean = std::numeric_limits<double>::quiet_NaN();
  double channel_var = std::numeric_limits<double>::quiet_NaN();
  double branch_channel_var = std::numeric_limits<double>::quiet_NaN();
};

struct ColumnStats {
  std::string init;         // the spec as given
  std::string description;  // formula with numbers for layer 1
  std::vector<LayerStats> layers;
  double loss = 0;               // mean loss over the batches (gradients only)
  std::vector<int> lsuv_rounds;  // LSUV: rescaling rounds each layer took (empty otherwise)
};

}  // namespace initscope
