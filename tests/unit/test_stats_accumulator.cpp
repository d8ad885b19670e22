// StatsAccumulator against a naive double-precision reference, incl. NaN/Inf and edge values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/engine/stats_accumulator.h"
#include "core/rng.h"

using namespace initscope;

namespace {

struct Naive {
  double mean = 0, std = 0, min = 1e300, max = -1e300, sat = 0, zero = 0, dead = 0;
  uint64_t nonfinite = 0, below = 0, above = 0;
  std::vector<uint64_t> counts;
};

Naive naive(const std::vector<float>& x, double lo, double hi, int bins, SaturationRule rule) {
  Naive r;
  r.counts.assign(bins, 0);
  double s = 0, n = 0;
  for (float v : x) {
    if (!std::isfinite(v)) {
      ++r.nonfinite;
      continue;
    }
    s += v;
    n += 1;
  }
  r.mean = n > 0 ? s / n : 0;
  double ss = 0;
  for (float v : x) {
    if (!std::isfinite(v)) continue;
    ss += (v - r.mean) * (v - r.mean);
    r.min = std::min(r.min, double(v));
    r.max = std::max(r.max, double(v));
    if (v < lo) {
      ++r.below;
    } else if (v > hi) {
      ++r.above;
    } else {
      // Bin edges in float, as the accumulator defines them (scale = bins / (hi - lo)).
      const float t = (v - static_cast<float>(lo)) * static_cast<float>(bins / (hi - lo));
      int b = static_cast<int>(std::floor(t));
      if (b >= bins) b = bins - 1;
      ++r.counts[b];
    }
  }
  r.std = n > 0 ? std::sqrt(ss / n) : 0;
  for (float v : x) {
    r.zero += std::fabs(v) < 1e-2f;
    r.dead += v == 0.0f;
    if (rule == SaturationRule::Tanh) r.sat += std::fabs(v) > 0.99f;
    if (rule == SaturationRule::Sigmoid) r.sat += v < 0.01f || v > 0.99f;
  }
  r.sat /= x.size();
  r.zero /= x.size();
  r.dead /= x.size();
  return r;
}

void expect_matches(const std::vector<float>& x, double lo, double hi, int bins,
                    SaturationRule rule, int adds = 1) {
  StatsAccumulator acc(lo, hi, bins, rule);
  const size_t chunk = x.size() / adds;
  for (int a = 0; a < adds; ++a) {
    const size_t begin = a * chunk, end = a == adds - 1 ? x.size() : begin + chunk;
    acc.add(x.data() + begin, end - begin);
  }
  const ValueStats v = acc.result();
  const Naive r = naive(x, lo, hi, bins, rule);
  EXPECT_EQ(v.count, x.size());
  EXPECT_NEAR(v.mean, r.mean, 1e-6 * (std::fabs(r.mean) + r.std + 1e-30)) << "mean";
  EXPECT_NEAR(v.std, r.std, 1e-5 * r.std + 1e-30) << "std";
  if (r.min <= r.max) {
    EXPECT_EQ(v.min, r.min);
    EXPECT_EQ(v.max, r.max);
  }
  EXPECT_DOUBLE_EQ(v.saturated, r.sat);
  EXPECT_DOUBLE_EQ(v.zero, r.zero);
  EXPECT_DOUBLE_EQ(v.dead, r.dead);
  EXPECT_EQ(v.nonfinite, r.nonfinite);
  EXPECT_EQ(v.hist.below, r.below);
  EXPECT_EQ(v.hist.above, r.above);
  ASSERT_EQ(v.hist.counts.size(), r.counts.size());
  uint64_t worst = 0;
  int worst_bin = -1;
  for (int b = 0; b < bins; ++b) {
    const uint64_t d = v.hist.counts[b] > r.counts[b] ? v.hist.counts[b] - r.counts[b]
                                                      : r.counts[b] - v.hist.counts[b];
    if (d > worst) worst = d, worst_bin = b;
  }
  EXPECT_EQ(worst, 0u) << "worst histogram difference " << worst << " at bin " << worst_bin;
}

std::vector<float> normal_data(size_t n, double mean, double std, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> x(n);
  for (auto& v : x) v = static_cast<float>(mean + std * rng.normal());
  return x;
}

}  // namespace

TEST(StatsAccumulator, MatchesNaiveOnLargeNormalData) {
  // 500k values: the parallel (OpenMP) path.
  auto x = normal_data(500000, 0.1, 0.7, 1);
  expect_matches(x, -2, 2, 100, SaturationRule::None);
}

TEST(StatsAccumulator, MatchesNaiveOnTanhData) {
  auto x = normal_data(300001, 0, 3, 2);
  for (auto& v : x) v = std::tanh(v);
  expect_matches(x, -1, 1, 64, SaturationRule::Tanh);
}

TEST(StatsAccumulator, SigmoidSaturationAndEdgeValues) {
  auto x = normal_data(10000, 0, 4, 3);
  for (auto& v : x) v = 1 / (1 + std::exp(-v));
  x.push_back(0.0f);  // exactly lo
  x.push_back(1.0f);  // exactly hi: counted in the last bin
  expect_matches(x, 0, 1, 10, SaturationRule::Sigmoid);
}

TEST(StatsAccumulator, NonFiniteValuesAreCountedNotMixedIn) {
  auto x = normal_data(200000, 0, 1, 4);
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t i = 0; i < x.size(); i += 997) x[i] = (i % 3 == 0) ? nan : (i % 3 == 1 ? inf : -inf);
  expect_matches(x, -3, 3, 50, SaturationRule::None);
  StatsAccumulator acc(-3, 3, 50, SaturationRule::None);
  acc.add(x.data(), x.size());
  const ValueStats v = acc.result();
  EXPECT_TRUE(std::isfinite(v.mean));
  EXPECT_TRUE(std::isfinite(v.std));
  EXPECT_GT(v.nonfinite, 0u);
}

// Finite values whose squares overflow a float (an exploding network before it reaches Inf):
// the moments are taken in double, and stay finite and right.
TEST(StatsAccumulator, HugeFiniteValuesKeepFiniteMoments) {
  auto x = normal_data(100000, 3e24, 1e25, 9);
  x[17] = std::numeric_limits<float>::infinity();
  expect_matches(x, -1e26, 1e26, 50, SaturationRule::None);
  StatsAccumulator acc(-1e26, 1e26, 50, SaturationRule::None);
  acc.add(x.data(), x.size());
  EXPECT_TRUE(std::isfinite(acc.result().std));
  EXPECT_NEAR(acc.result().std, 1e25, 1e23);
}

TEST(StatsAccumulator, AllNonFiniteGivesZerosNotNaN) {
  std::vector<float> x(1000, std::numeric_limits<float>::quiet_NaN());
  StatsAccumulator acc(-1, 1, 10, SaturationRule::None);
  acc.add(x.data(), x.size());
  const ValueStats v = acc.result();
  EXPECT_EQ(v.nonfinite, 1000u);
  EXPECT_EQ(v.mean, 0);
  EXPECT_EQ(v.std, 0);
  EXPECT_EQ(v.hist.total(), 0u);
}

TEST(StatsAccumulator, OutOfRangeCountedBelowAndAbove) {
  auto x = normal_data(100000, 0, 2, 5);
  expect_matches(x, -1, 1, 20, SaturationRule::None);
}

TEST(StatsAccumulator, SeveralAddsEqualOne) {
  auto x = normal_data(400000, 2.0, 0.001, 6);  // |mean| ≫ std: the shifted sums matter
  expect_matches(x, 1.99, 2.01, 40, SaturationRule::None, 7);
}

TEST(StatsAccumulator, DeterministicRunAfterRun) {
  auto x = normal_data(1000000, 0.3, 1.1, 7);
  StatsAccumulator a(-5, 5, 100, SaturationRule::None), b(-5, 5, 100, SaturationRule::None);
  a.add(x.data(), x.size());
  b.add(x.data(), x.size());
  EXPECT_EQ(a.result().mean, b.result().mean);
  EXPECT_EQ(a.result().std, b.result().std);
}

TEST(NiceRange, RoundsUpToOneTwoTwoAndAHalfFive) {
  auto r = nice_range(-0.3, 0.7);
  EXPECT_DOUBLE_EQ(r.lo, -1);
  EXPECT_DOUBLE_EQ(r.hi, 1);
  r = nice_range(0, 3.7);
  EXPECT_DOUBLE_EQ(r.lo, 0);
  EXPECT_DOUBLE_EQ(r.hi, 5);
  r = nice_range(-0.0021, 0.0011);
  EXPECT_DOUBLE_EQ(r.lo, -0.0025);
  EXPECT_DOUBLE_EQ(r.hi, 0.0025);
  r = nice_range(0, 0);
  EXPECT_DOUBLE_EQ(r.hi, 1);
  r = nice_range(-20, 1);
  EXPECT_DOUBLE_EQ(r.hi, 20);
}

// The range pass (vectorised, in runs across threads) against a naive loop: NaN and ±Inf are
// skipped; sizes below and above the parallel threshold, not multiples of the run length.
TEST(FiniteExtremes, MatchesNaiveAndSkipsNonFinite) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t n : {size_t(1), size_t(4095), size_t(70001), size_t(300007)}) {
    auto x = normal_data(n, 0.5, 2, 11);
    for (size_t i = 0; i < n; i += 613) x[i] = (i % 3 == 0) ? nan : (i % 3 == 1 ? inf : -inf);
    if (n > 1) x[n - 1] = 123.0f;  // the maximum sits in the last, partial run
    double lo = 0, hi = 0;
    float naive_lo = std::numeric_limits<float>::max(), naive_hi = -naive_lo;
    for (float v : x)
      if (std::isfinite(v)) naive_lo = std::min(naive_lo, v), naive_hi = std::max(naive_hi, v);
    const bool any = finite_extremes(x.data(), x.size(), lo, hi);
    ASSERT_EQ(any, naive_lo <= naive_hi) << "n = " << n;
    if (!any) continue;
    EXPECT_EQ(lo, naive_lo) << "n = " << n;
    EXPECT_EQ(hi, naive_hi) << "n = " << n;
  }
  std::vector<float> none = {nan, inf, -inf};
  double lo = 0, hi = 0;
  EXPECT_FALSE(finite_extremes(none.data(), none.size(), lo, hi));
}
