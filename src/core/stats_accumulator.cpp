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

Range stable_range(Range current, const float* x, size_t n) {
  double mn = 0, mx = 0;
  const Range cand = finite_extremes(x, n, mn, mx) ? nice_range(mn, mx) : Range{-1, 1};
  const bool unset = current.hi <= current.lo;
  const bool outside = cand.lo < current.lo || cand.hi > current.hi;
  const bool shrank = (cand.hi - cand.lo) < (current.hi - current.lo) / 4;
  return (unset || outside || shrank) ? cand : current;
}

StatsAccumulator::StatsAccumulator(double lo, double hi, int bins, SaturationRule rule)
    : lo_(lo), hi_(hi), bins_(bins), rule_(rule), counts_(static_cast<size_t>(bins), 0) {}

namespace {

constexpr size_t kBlock = 2048;  // values per block

// One thread's share of a pass. Histogram slots: [0, bins) bins, bins = below, bins+1 = above,
// bins+2 = non-finite; four interleaved copies break the store→load chain of repeated bins.
struct Partial {
  uint64_t finite = 0, saturated = 0, zero = 0, dead = 0;
  double sum = 0, sumsq = 0;
  float min = FLT_MAX, max = -FLT_MAX;
  std::vector<uint32_t> hist;  // 4 × (bins + 3)
};

// One chunk's Σ(x − shift), Σ(x − shift)² (float), min, max (starting from `mn`, `mx`) and
// counts. Masked: NaN and ±Inf are left out of the sums, extremes and `finite`; unmasked, every
// value is taken as finite (the selects fold away: ~30% fewer instructions).
// Vectorised (AVX2: 8 values per step) only because the core is built with -fno-trapping-math
// (src/core/CMakeLists.txt) and the saturation rule is a template parameter: otherwise GCC 12
// keeps the masked selects scalar (≈ 6 ns/value instead of < 1).
struct ChunkMoments {
  float sum = 0, sumsq = 0, min = FLT_MAX, max = -FLT_MAX;
  int32_t finite = 0, saturated = 0, zero = 0, dead = 0;
};
template <SaturationRule Rule, bool Masked>
ChunkMoments chunk_moments(const float* x, size_t n, float shift, float mn, float mx) {
  float cs = 0, css = 0;
  int32_t fin = 0, sat = 0, zero = 0, dead = 0;
#pragma omp simd reduction(+ : cs, css, fin, sat, zero, dead) reduction(min : mn) \
    reduction(max : mx)
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const bool ok = !Masked || (v - v) == 0.0f;  // v − v is NaN for NaN and ±Inf
    const float d = ok ? v - shift : 0.0f;
    cs += d;
    css += d * d;
    fin += ok ? 1 : 0;
    const float lo = ok ? v : FLT_MAX, hi = ok ? v : -FLT_MAX;
    mn = lo < mn ? lo : mn;
    mx = hi > mx ? hi : mx;
    const float a = std::fabs(v);
    zero += a < 1e-2f ? 1 : 0;
    dead += v == 0.0f ? 1 : 0;
    if constexpr (Rule == SaturationRule::Tanh) sat += a > 0.99f ? 1 : 0;
    if constexpr (Rule == SaturationRule::Sigmoid) sat += (v < 0.01f ? 1 : 0) + (v > 0.99f ? 1 : 0);
  }
  return {cs, css, mn, mx, fin, sat, zero, dead};
}

// The moments and counts of one block, added to `p`. int32 counters cannot overflow in a block
// of kBlock values.
template <SaturationRule Rule>
void add_block_moments(const float* xb, size_t m, float shift, Partial& p) {
  double s = 0, ss = 0;
  // Σ and Σ² go through float partial sums of kChunk values (kChunk/8 terms per SIMD lane, a
  // relative error ≲ 1e-6), flushed into the double accumulators: a double add chain per value
  // would halve the throughput (it is latency-bound).
  constexpr size_t kChunk = 128;
  for (size_t c0 = 0; c0 < m; c0 += kChunk) {
    const size_t n = std::min(m, c0 + kChunk) - c0;
    // The common case runs unmasked: its float sums are finite exactly when every value of the
    // chunk is finite (and no square overflows); otherwise the chunk is redone masked (the same
    // data always take the same path: deterministic).
    ChunkMoments c = chunk_moments<Rule, false>(xb + c0, n, shift, p.min, p.max);
    if (!std::isfinite(c.sum) || !std::isfinite(c.sumsq))
      c = chunk_moments<Rule, true>(xb + c0, n, shift, p.min, p.max);
    s += c.sum;
    ss += c.sumsq;
    p.min = c.min;
    p.max = c.max;
    p.finite += static_cast<uint64_t>(c.finite);
    p.saturated += static_cast<uint64_t>(c.saturated);
    p.zero += static_cast<uint64_t>(c.zero);
    p.dead += static_cast<uint64_t>(c.dead);
  }
  p.sum += s;
  p.sumsq += ss;
}

}  // namespace

void StatsAccumulator::add(const float* x, size_t n) {
  if (n == 0) return;
  if (!shift_set_) {
    // Accumulate Σ(x − shift) and Σ(x − shift)²: exact enough even when |mean| ≫ std.
    for (size_t i = 0; i < n; ++i) {
      if (std::isfinite(x[i])) {
        shift_ = x[i];
        break;
      }
    }
    shift_set_ = true;
  }
  const int bins = bins_;
  const size_t stride = static_cast<size_t>(bins) + 3;
  const float lo = static_cast<float>(lo_), hi = static_cast<float>(hi_);
  const float scale = static_cast<float>(bins / (hi_ - lo_));
  const float shift = static_cast<float>(shift_);
  const SaturationRule rule = rule_;
  const int threads = n > (1u << 16) ? omp_get_max_threads() : 1;

  // Per-thread partials merged in thread order after the region: the sums are then the same
  // run after run (a critical section would merge in a racy order and change the last bits).
  std::vector<Partial> parts(static_cast<size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    Partial& p = parts[static_cast<size_t>(omp_get_thread_num())];
    p.hist.assign(4 * stride, 0);
    int32_t idx[kBlock];
    const size_t nblocks = (n + kBlock - 1) / kBlock;
#pragma omp for schedule(static)
    for (size_t blk = 0; blk < nblocks; ++blk) {
      const size_t begin = blk * kBlock, end = std::min(n, begin + kBlock);
      const float* xb = x + begin;
      const size_t m = end - begin;
      // Pass 1 (vectorised): moments and counts, non-finite values masked out.
      switch (rule) {
        case SaturationRule::None:
          add_block_moments<SaturationRule::None>(xb, m, shift, p);
          break;
        case SaturationRule::Tanh:
          add_block_moments<SaturationRule::Tanh>(xb, m, shift, p);
          break;
        case SaturationRule::Sigmoid:
          add_block_moments<SaturationRule::Sigmoid>(xb, m, shift, p);
          break;
      }
      // Pass 2 (vectorised): the slot of every value.
      const float fbins = static_cast<float>(bins);
#pragma omp simd
      for (size_t i = 0; i < m; ++i) {
        const float v = xb[i];
        float t = (v - lo) * scale;
        t = t > -1.0f ? t : -1.0f;  // NaN → −1 (the comparison is false): no UB in the cast
        t = t < fbins ? t : fbins;
        int32_t k = static_cast<int32_t>(t);
        const int32_t top = v <= hi ? bins - 1 : bins + 1;  // x == hi goes in the last bin
        k = k >= bins ? top : k;
        k = t < 0.0f ? bins : k;                  // below
        idx[i] = (v - v) == 0.0f ? k : bins + 2;  // v − v is NaN for NaN and ±Inf
      }
      // Pass 3: scatter into four copies.
      uint32_t* h = p.hist.data();
      size_t i = 0;
      for (; i + 4 <= m; i += 4) {
        ++h[idx[i]];
        ++h[stride + idx[i + 1]];
        ++h[2 * stride + idx[i + 2]];
        ++h[3 * stride + idx[i + 3]];
      }
      for (; i < m; ++i) ++h[idx[i]];
    }
  }
  for (const Partial& p : parts) {
    if (p.hist.empty()) continue;  // a thread the runtime did not start
    {
      finite_ += p.finite;
      saturated_ += p.saturated;
      zero_ += p.zero;
      dead_ += p.dead;
      sum_ += p.sum;
      sumsq_ += p.sumsq;
      if (p.finite > 0) {
        min_ = std::min(min_, static_cast<double>(p.min));
        max_ = std::max(max_, static_cast<double>(p.max));
      }
      for (int c = 0; c < 4; ++c) {
        const uint32_t* h = p.hist.data() + c * stride;
        for (int b = 0; b < bins; ++b) counts_[b] += h[b];
        below_ += h[bins];
        above_ += h[bins + 1];
      }
    }
  }
  count_ += n;
}

ValueStats StatsAccumulator::result() const {
  ValueStats v;
  v.count = count_;
  v.nonfinite = count_ - finite_;
  if (finite_ > 0) {
    const double m = sum_ / static_cast<double>(finite_);
    v.mean = shift_ + m;
    v.std = std::sqrt(std::max(0.0, sumsq_ / static_cast<double>(finite_) - m * m));
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
