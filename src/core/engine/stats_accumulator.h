#pragma once
// Statistics of one quantity (a layer's Z, A, dL/dA or dL/dW) accumulated over any number of
// values: count, mean and std (double, merged with Chan et al.'s pairwise update), min, max,
// saturated/zero/dead/nonfinite counts and a fixed-range histogram. Values come in through
// add() (parallel over the OpenMP pool) or as one thread's PartialMoments and histogram copies
// through merge() (the fused forward pass). Several adds accumulate (--updates K).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation.h"
#include "layer_stats.h"
#include "stats_kernels.h"

namespace initscope {

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
  SaturationRule rule() const { return rule_; }
  const Binning& binning() const { return binning_; }
  void add(const float* x, size_t n);  // runs on the OpenMP pool for large n
  // One thread's share: its moments and its histogram (binning().copies_size() counts, made
  // with binning() and base 0). Merge shares in a fixed order for the same bits run after run.
  void merge(const PartialMoments& m, const uint32_t* copies);
  ValueStats result() const;

 private:
  double lo_ = 0, hi_ = 1;
  Binning binning_;
  SaturationRule rule_ = SaturationRule::None;
  uint64_t count_ = 0, finite_ = 0, saturated_ = 0, zero_ = 0, dead_ = 0;
  double mean_ = 0, m2_ = 0;           // over the finite values: mean and Σ(x − mean)²
  double min_ = 1e300, max_ = -1e300;  // over finite values seen so far
  std::vector<uint64_t> counts_;
  uint64_t below_ = 0, above_ = 0;
};

// A stable, readable histogram range for data with these finite extremes: symmetric ±r, or
// [0, r] when min ≥ 0, with r rounded up to 1, 2, 2.5 or 5 × 10^k.
struct Range {
  double lo, hi;
  bool operator==(const Range&) const = default;
};
Range nice_range(double min, double max);
// Finite min/max of x (NaN/Inf skipped); returns false when nothing is finite.
bool finite_extremes(const float* x, size_t n, double& min, double& max);
// The histogram range for data whose finite extremes are min, max (any_finite false: none),
// for figures that must not jump between snapshots: `current` is kept unless it is unset
// (hi ≤ lo), the data's nice_range leaves it, or that range has shrunk below a quarter of it.
Range stable_range(Range current, bool any_finite, double min, double max);
// The same for the values x (one extra pass: finite_extremes).
Range stable_range(Range current, const float* x, size_t n);

}  // namespace initscope
