#include "stats_kernels.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>

namespace initscope {

using simd::FloatVec;
using simd::IntVec;
using simd::kWidth;

Binning::Binning(double lo_, double hi_, int bins_)
    : lo(static_cast<float>(lo_)),
      hi(static_cast<float>(hi_)),
      scale(static_cast<float>(bins_ / (hi_ - lo_))),
      bins(bins_) {}

namespace {

// A Binning's constants in vector lanes, and the slot of each lane's value.
struct SlotLanes {
  SlotLanes(const Binning& b, int32_t base)
      : lo(simd::splat(b.lo)),
        hi(simd::splat(b.hi)),
        scale(simd::splat(b.scale)),
        top_t(simd::splat(static_cast<float>(b.bins))),
        below(simd::splat(b.bins)),
        last(simd::splat(b.bins - 1)),
        above(simd::splat(b.bins + 1)),
        nonfinite(simd::splat(b.bins + 2)),
        // Vectors start at multiples of kWidth (a multiple of kCopies): lane l is copy
        // l mod kCopies.
        copy((simd::lane_index() % Binning::kCopies) * b.stride() + base) {}
  IntVec operator()(FloatVec v, IntVec finite) const {
    const FloatVec zero{}, minus_one = simd::splat(-1.f);
    FloatVec t = (v - lo) * scale;
    t = t > minus_one ? t : minus_one;  // NaN → −1 (the comparison is false): a defined cast
    t = t < top_t ? t : top_t;
    IntVec k = __builtin_convertvector(t, IntVec);
    k = k >= below ? (v <= hi ? last : above) : k;  // x == hi goes in the last bin
    k = t < zero ? below : k;
    k = finite ? k : nonfinite;
    return k + copy;
  }
  FloatVec lo, hi, scale, top_t;
  IntVec below, last, above, nonfinite, copy;
};

IntVec finite_lanes(FloatVec v) {
  return (v - v) == FloatVec{};  // v − v is NaN for NaN and ±Inf
}

}  // namespace

void histogram_slots(const float* x, size_t n, const Binning& b, int32_t base, int32_t* slots) {
  const SlotLanes slot(b, base);
  size_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const FloatVec v = simd::load(x + i);
    simd::store(slots + i, slot(v, finite_lanes(v)));
  }
  if (i < n) {
    float tail[kWidth] = {};
    int32_t out[kWidth];
    std::memcpy(tail, x + i, (n - i) * sizeof(float));
    const FloatVec v = simd::load(tail);
    simd::store(out, slot(v, finite_lanes(v)));
    std::memcpy(slots + i, out, (n - i) * sizeof(int32_t));
  }
}

namespace {

// The lanes of a PartialMoments, held in registers during one add(). Sums and extremes come in
// kSets independent sets, so that consecutive vectors do not wait on each other's add or min
// (a latency chain of 3–4 cycles per vector otherwise bounds the pass).
constexpr int kSets = 2;
struct Lanes {
  FloatVec min[kSets], max[kSets];
  IntVec finite, saturated, zero, dead;  // counts as −(sum of true masks)
};
using DoubleVec = PartialMoments::DoubleVec;

// One vector of values into set u of the lanes and of the sums; `take` masks the lanes that
// hold values (all but in the tail). Two ways:
//  - Sum = FloatVec, the fast path: every value is taken as finite. A NaN or ±Inf then turns
//    the float sums non-finite, which add_values sees at the end of the chunk and answers by
//    running the values again the other way.
//  - Sum = DoubleVec: NaN and ±Inf are left out of the sums, extremes and the finite count, and
//    the sums are in double (finite values beyond ≈ 1.8e19 have squares no float holds).
// With a SlotLanes, the lanes' histogram slots are returned too (in the same pass).
template <SaturationRule Rule, class Sum>
inline IntVec accumulate(Lanes& l, Sum& s1, Sum& s2, int u, FloatVec v, IntVec take, FloatVec shift,
                         const SlotLanes* slot) {
  constexpr bool kMasked = std::is_same_v<Sum, DoubleVec>;
  const FloatVec zero{}, big = simd::splat(FLT_MAX);
  const IntVec finite = finite_lanes(v);
  const IntVec ok = kMasked ? take & finite : take;
  if constexpr (kMasked) {
    const Sum d = __builtin_convertvector(ok ? v : zero, Sum) -
                  __builtin_convertvector(ok ? shift : zero, Sum);
    s1 += d;
    s2 += d * d;
  } else {
    const FloatVec d = ok ? v - shift : zero;
    s1 += d;
    s2 += d * d;
  }
  l.finite -= ok;
  const FloatVec lo = ok ? v : big, hi = ok ? v : -big;
  l.min[u] = lo < l.min[u] ? lo : l.min[u];
  l.max[u] = hi > l.max[u] ? hi : l.max[u];
  const FloatVec a = v < zero ? -v : v;
  l.zero -= take & (a < 1e-2f);
  l.dead -= take & (v == zero);
  if constexpr (Rule == SaturationRule::Tanh) l.saturated -= take & (a > 0.99f);
  if constexpr (Rule == SaturationRule::Sigmoid) l.saturated -= take & ((v < 0.01f) | (v > 0.99f));
  return slot ? (*slot)(v, finite) : IntVec{};
}

// Σ and Σ² go through float lanes over runs of kChunk values (kChunk / (kSets·kWidth) terms
// per lane, a relative error ≲ 1e-6), then into double lanes: a double add chain per value
// would halve the throughput. Returns false, leaving p as it was, when a float sum is not
// finite (a NaN or ±Inf among the values, or squares beyond a float): the caller then runs the
// values again with Sum = DoubleVec.
constexpr size_t kChunk = 256;

template <SaturationRule Rule, class Sum>
bool add_values(PartialMoments& p, const float* x, size_t n, const SlotLanes* slot,
                int32_t* slots) {
  Lanes l;
  for (int u = 0; u < kSets; ++u) {
    l.min[u] = p.min;
    l.max[u] = p.max;
  }
  l.finite = p.finite;
  l.saturated = p.saturated;
  l.zero = p.zero;
  l.dead = p.dead;
  DoubleVec d1 = p.s1, d2 = p.s2;
  IntVec overflow{};
  const FloatVec shift = simd::splat(p.shift);
  const IntVec all = simd::splat(-1);
  for (size_t c0 = 0; c0 < n; c0 += kChunk) {
    const size_t end = std::min(n, c0 + kChunk);
    Sum s1[kSets] = {}, s2[kSets] = {};
    size_t i = c0;
    for (; i + kSets * kWidth <= end; i += kSets * kWidth) {
#pragma GCC unroll 4
      for (int u = 0; u < kSets; ++u) {
        const size_t at = i + u * kWidth;
        const IntVec k = accumulate<Rule>(l, s1[u], s2[u], u, simd::load(x + at), all, shift, slot);
        if (slot) simd::store(slots + at, k);
      }
    }
    for (; i + kWidth <= end; i += kWidth) {
      const IntVec k = accumulate<Rule>(l, s1[0], s2[0], 0, simd::load(x + i), all, shift, slot);
      if (slot) simd::store(slots + i, k);
    }
    if (i < end) {
      float tail[kWidth] = {};
      int32_t out[kWidth];
      std::memcpy(tail, x + i, (end - i) * sizeof(float));
      const IntVec take = simd::lane_index() < static_cast<int32_t>(end - i);
      simd::store(out, accumulate<Rule>(l, s1[1], s2[1], 1, simd::load(tail), take, shift, slot));
      if (slot) std::memcpy(slots + i, out, (end - i) * sizeof(int32_t));
    }
    const Sum c1 = s1[0] + s1[1];
    const Sum c2 = s2[0] + s2[1];
    if constexpr (std::is_same_v<Sum, FloatVec>) {
      overflow |= ((c1 - c1) != 0.f) | ((c2 - c2) != 0.f);
      d1 += __builtin_convertvector(c1, DoubleVec);
      d2 += __builtin_convertvector(c2, DoubleVec);
    } else {
      d1 += c1;
      d2 += c2;
    }
  }
  for (int i = 0; i < kWidth; ++i) {
    if (overflow[i]) return false;
  }
  for (int u = 1; u < kSets; ++u) {
    l.min[0] = l.min[u] < l.min[0] ? l.min[u] : l.min[0];
    l.max[0] = l.max[u] > l.max[0] ? l.max[u] : l.max[0];
  }
  p.min = l.min[0];
  p.max = l.max[0];
  p.finite = l.finite;
  p.saturated = l.saturated;
  p.zero = l.zero;
  p.dead = l.dead;
  p.s1 = d1;
  p.s2 = d2;
  return true;
}

template <SaturationRule Rule>
void add_values(PartialMoments& p, const float* x, size_t n, const SlotLanes* slot,
                int32_t* slots) {
  if (!add_values<Rule, FloatVec>(p, x, n, slot, slots))
    add_values<Rule, DoubleVec>(p, x, n, slot, slots);
}

}  // namespace

uint64_t PartialMoments::total(IntVec lanes) {
  uint64_t t = 0;
  for (int i = 0; i < kWidth; ++i) t += static_cast<uint32_t>(lanes[i]);
  return t;
}

void PartialMoments::add(const float* x, size_t n, SaturationRule rule) {
  add(x, n, rule, nullptr, 0, nullptr);
}

void PartialMoments::add(const float* x, size_t n, SaturationRule rule, const Binning* bins,
                         int32_t base, int32_t* slots) {
  if (n == 0) return;
  if (!has_shift) {
    // Accumulate Σ(x − shift) and Σ(x − shift)²: exact enough even when |mean| ≫ std.
    for (size_t i = 0; i < n; ++i) {
      if (x[i] - x[i] == 0.0f) {
        shift = x[i];
        has_shift = true;
        break;
      }
    }
  }
  count += n;
  std::optional<SlotLanes> slot;
  if (bins) slot.emplace(*bins, base);
  const SlotLanes* s = slot ? &*slot : nullptr;
  switch (rule) {
    case SaturationRule::None:
      add_values<SaturationRule::None>(*this, x, n, s, slots);
      return;
    case SaturationRule::Tanh:
      add_values<SaturationRule::Tanh>(*this, x, n, s, slots);
      return;
    case SaturationRule::Sigmoid:
      add_values<SaturationRule::Sigmoid>(*this, x, n, s, slots);
      return;
  }
}

namespace {

// Four double lanes: one AVX register (two SSE2 ones), the same order of sums on every build.
using FourDoubles = double __attribute__((vector_size(4 * sizeof(double))));
using FourFloats = float __attribute__((vector_size(4 * sizeof(float))));

FourDoubles four_as_doubles(const float* x) {
  FourFloats f;
  std::memcpy(&f, x, sizeof f);
  return __builtin_convertvector(f, FourDoubles);
}

double four_doubles_total(FourDoubles v) {
  return (v[0] + v[1]) + (v[2] + v[3]);
}

}  // namespace

std::pair<double, double> double_sums(const float* x, size_t n) {
  FourDoubles s0{}, s1{}, q0{}, q1{};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const FourDoubles v0 = four_as_doubles(x + i), v1 = four_as_doubles(x + i + 4);
    s0 += v0;
    s1 += v1;
    q0 += v0 * v0;
    q1 += v1 * v1;
  }
  double s = four_doubles_total(s0 + s1), q = four_doubles_total(q0 + q1);
  for (; i < n; ++i) {
    s += x[i];
    q += static_cast<double>(x[i]) * x[i];
  }
  return {s, q};
}

double squared_deviations(const float* x, size_t n, double mean) {
  FourDoubles d0{}, d1{};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const FourDoubles a = four_as_doubles(x + i) - mean, b = four_as_doubles(x + i + 4) - mean;
    d0 += a * a;
    d1 += b * b;
  }
  double t = four_doubles_total(d0 + d1);
  for (; i < n; ++i) t += (x[i] - mean) * (x[i] - mean);
  return t;
}

}  // namespace initscope
