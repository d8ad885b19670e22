#include "stats_accumulator.h"

#include <omp.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace initscope {

uint64_t Histogram::total() const {
  uint64_t t = below + above;
  for (auto c : counts) t += c;
  return t;
}

Range nice_range(double min, double max) {
  double r = std::max(std::abs(min), std::abs(max));
  if (!(r > 0) || !std::isfinite(r)) r = 1;
  const double e = std::pow(10.0, std::floor(std::log10(r)));
  double nice = 10 * e;
  for (double m : {1.0, 2.0, 2.5, 5.0}) {
    if (r <= m * e * (1 + 1e-9)) {
      nice = m * e;
      break;
    }
  }
  return {min >= 0 ? 0.0 : -nice, nice};
}

bool finite_extremes(const float* x, size_t n, double& min, double& max) {
  float mn = FLT_MAX, mx = -FLT_MAX;
  // Blocks across threads, SIMD within a block: written as selects on comparisons (as in
  // add_block_moments), which GCC vectorises; std::min/max reductions it left scalar (≈ 4×
  // slower, a quarter of a layer's statistics time).
  constexpr size_t kRun = 4096;
  const int64_t runs = static_cast<int64_t>((n + kRun - 1) / kRun);
#pragma omp parallel for reduction(min : mn) reduction(max : mx) if (n > (1u << 16))
  for (int64_t r = 0; r < runs; ++r) {
    const size_t b = static_cast<size_t>(r) * kRun, e = std::min(n, b + kRun);
    float rmn = FLT_MAX, rmx = -FLT_MAX;
#pragma omp simd reduction(min : rmn) reduction(max : rmx)
    for (size_t i = b; i < e; ++i) {
      const float v = x[i];
      const bool fin = (v - v) == 0.0f;  // false for NaN and ±Inf
      const float lo = fin ? v : FLT_MAX, hi = fin ? v : -FLT_MAX;
      rmn = lo < rmn ? lo : rmn;
      rmx = hi > rmx ? hi : rmx;
    }
    mn = rmn < mn ? rmn : mn;
    mx = rmx > mx ? rmx : mx;
  }
  if (mn > mx) return false;
  min = mn;
  max = mx;
  return true;
}

SaturationRule saturation_rule(const Activation& act) {
  if (!act.has_saturation()) return SaturationRule::None;
  return act.kind == ActivationKind::Tanh ? SaturationRule::Tanh : SaturationRule::Sigmoid;
}

Range stable_range(Range current, bool any_finite, double min, double max) {
  const Range cand = any_finite ? nice_range(min, max) : Range{-1, 1};
  const bool unset = current.hi <= current.lo;
  const bool outside = cand.lo < current.lo || cand.hi > current.hi;
  const bool shrank = (cand.hi - cand.lo) < (current.hi - current.lo) / 4;
  return (unset || outside || shrank) ? cand : current;
}

Range stable_range(Range current, const float* x, size_t n) {
  double mn = 0, mx = 0;
  const bool any = finite_extremes(x, n, mn, mx);
  return stable_range(current, any, mn, mx);
}

StatsAccumulator::StatsAccumulator(double lo, double hi, int bins, SaturationRule rule)
    : lo_(lo),
      hi_(hi),
      binning_(lo, hi, bins),
      rule_(rule),
      counts_(static_cast<size_t>(bins), 0) {}

void StatsAccumulator::add(const float* x, size_t n) {
  if (n == 0) return;
  // Blocks of kBlock values: the slots of a block fit in L1 next to its values.
  constexpr size_t kBlock = 2048;
  const int threads = n > (1u << 16) ? omp_get_max_threads() : 1;
  struct Share {
    PartialMoments moments;
    std::vector<uint32_t> copies;
  };
  // Per-thread shares merged in thread order after the region: the sums are then the same
  // run after run (a critical section would merge in a racy order and change the last bits).
  std::vector<Share> shares(static_cast<size_t>(threads));
  const Binning& bins = binning_;
  const SaturationRule rule = rule_;
#pragma omp parallel num_threads(threads)
  {
    Share& s = shares[static_cast<size_t>(omp_get_thread_num())];
    s.copies.assign(static_cast<size_t>(bins.copies_size()), 0);
    int32_t slots[kBlock];
    const size_t nblocks = (n + kBlock - 1) / kBlock;
#pragma omp for schedule(static)
    for (size_t blk = 0; blk < nblocks; ++blk) {
      const size_t begin = blk * kBlock, m = std::min(n, begin + kBlock) - begin;
      s.moments.add(x + begin, m, rule, &bins, 0, slots);
      count_slots(slots, m, s.copies.data());
    }
  }
  for (const Share& s : shares) {
    if (!s.copies.empty()) merge(s.moments, s.copies.data());  // empty: a thread not started
  }
}

void StatsAccumulator::merge(const PartialMoments& m, const uint32_t* copies) {
  count_ += m.count;
  saturated_ += PartialMoments::total(m.saturated);
  zero_ += PartialMoments::total(m.zero);
  dead_ += PartialMoments::total(m.dead);
  const uint64_t fin = m.finite_count();
  if (fin > 0) {
    double s1 = 0, s2 = 0;
    for (int i = 0; i < simd::kWidth; ++i) {
      s1 += m.s1[i];
      s2 += m.s2[i];
    }
    // This share's mean and Σ(x − mean)², then Chan et al.'s pairwise merge.
    const double nb = static_cast<double>(fin), na = static_cast<double>(finite_);
    const double mean_b = m.shift + s1 / nb;
    const double m2_b = std::max(0.0, s2 - s1 * s1 / nb);
    const double delta = mean_b - mean_;
    mean_ += delta * nb / (na + nb);
    m2_ += m2_b + delta * delta * na * nb / (na + nb);
    finite_ += fin;
    min_ = std::min(min_, static_cast<double>(m.min_value()));
    max_ = std::max(max_, static_cast<double>(m.max_value()));
  }
  const int bins = binning_.bins, stride = binning_.stride();
  for (int c = 0; c < Binning::kCopies; ++c) {
    const uint32_t* h = copies + c * stride;
    for (int b = 0; b < bins; ++b) counts_[b] += h[b];
    below_ += h[bins];
    above_ += h[bins + 1];
  }
}

ValueStats StatsAccumulator::result() const {
  ValueStats v;
  v.count = count_;
  v.nonfinite = count_ - finite_;
  if (finite_ > 0) {
    v.mean = mean_;
    v.std = std::sqrt(m2_ / static_cast<double>(finite_));
    v.min = min_;
    v.max = max_;
  }
  if (count_ > 0) {
    const double n = static_cast<double>(count_);
    v.saturated = static_cast<double>(saturated_) / n;
    v.zero = static_cast<double>(zero_) / n;
    v.dead = static_cast<double>(dead_) / n;
  }
  v.hist.lo = lo_;
  v.hist.hi = hi_;
  v.hist.counts = counts_;
  v.hist.below = below_;
  v.hist.above = above_;
  return v;
}

}  // namespace initscope
