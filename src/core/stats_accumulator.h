#pragma once
// A fused one-pass accumulator: count, Σx, Σx² (double), min, max, saturated/zero/dead/nonfinite
// counts and a fixed-range histogram, over float arrays. Several adds accumulate (--updates K).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation.h"
#include "layer_stats.h"

namespace initscope {

enum class SaturationRule { None, Tanh, Sigmoid };
// What counts as saturated in this activation's outputs: tanh |a| > 0.99, sigmoid a < 0.01 or
// a > 0.99, nothing for the others.
SaturationRule saturation_rule(const Activation& act);

class StatsAccumulator {
 public:
  StatsAccumulator() = default;
  StatsAccumulator(double lo, double hi, int bins, SaturationRule rule);
  bool empty() const { return count_ == 0; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  void add(const float* x, size_t n);  // runs on the OpenMP pool for large n
  ValueStats result() const;

 private:
  double lo_ = 0, hi_ = 1;
  int bins_ = 1;
  SaturationRule rule_ = SaturationRule::None;
  uint64_t count_ = 0, finite_ = 0, saturated_ = 0, zero_ = 0, dead_ = 0;
  double sum_ = 0, sumsq_ = 0;
  double min_ = 1e300, max_ = -1e300;  // over finite values seen so far
  double shift_ = 0;  // Σ(x-shift) for accuracy; shift = first batch's mean estimate
  bool shift_set_ = false;
  std::vector<uint64_t> counts_;
  uint64_t below_ = 0, above_ = 0;
};

// A stable, readable histogram range for data with these finite extremes: symmetric ±r, or
// [0, r] when min ≥ 0, with r rounded up to 1, 2, 2.5 or 5 × 10^k.
struct Range {
  double lo, hi;
};
Range nice_range(double min, double max);
// Finite min/max of x (NaN/Inf skipped); returns false when nothing is finite.
bool finite_extremes(const float* x, size_t n, double& min, double& max);
// The histogram range for this data, for figures that must not jump between snapshots: `current`
// is kept unless it is unset (hi ≤ lo), the data's nice_range leaves it, or that range has shrunk
// below a quarter of it. One extra pass over x (finite_extremes).
Range stable_range(Range current, const float* x, size_t n);

}  // namespace initscope
