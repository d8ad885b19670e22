#pragma once
// The vectorised passes every statistic is made of, over runs of float values: moments and
// counts (PartialMoments) and histogram slots (Binning, histogram_slots, count_slots). One
// thread owns a PartialMoments and a histogram; StatsAccumulator merges them. The same kernels
// serve the standalone accumulator (gradients, training probes) and the fused forward pass,
// which runs them on each tile of Z and A while it is in L1.
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "simd.h"

namespace initscope {

enum class SaturationRule { None, Tanh, Sigmoid };

// A histogram's slots: [0, bins) the bins, `bins` below the range, bins+1 above it, bins+2
// non-finite. Counts live in kCopies interleaved copies of the stride = bins+3 slots (value i
// goes to copy i mod kCopies), so that neighbouring values in one bin do not wait on each
// other's increment (a store→load chain).
struct Binning {
  static constexpr int kCopies = 4;
  Binning() = default;
  Binning(double lo, double hi, int bins);
  float lo = 0, hi = 1;
  float scale = 1;  // bins / (hi − lo); bin of x = ⌊(x − lo)·scale⌋, x == hi in the last bin
  int bins = 1;
  int stride() const { return bins + 3; }
  int copies_size() const { return kCopies * stride(); }
};

// slots[i] = base + (i mod kCopies)·stride + slot of x[i].
void histogram_slots(const float* x, size_t n, const Binning& b, int32_t base, int32_t* slots);

// ++counts[slot] for every slot.
inline void count_slots(const int32_t* slots, size_t n, uint32_t* counts) {
  for (size_t i = 0; i < n; ++i) ++counts[slots[i]];
}

// One thread's moments of the values it was given: count, finite, Σ(x − shift) and
// Σ(x − shift)² over the finite ones (shift = the first finite value seen, so that
// |mean| ≫ std loses nothing), min, max, and the saturated / near-zero / exact-zero counts.
// Kept lane by lane (float partial sums per SIMD lane over runs of 256 values, then double
// lanes; a run holding NaN, ±Inf or values whose squares overflow a float is taken again in
// double with those values masked out); reduced to scalars only by StatsAccumulator::merge.
class PartialMoments {
 public:
  using DoubleVec = double __attribute__((vector_size(simd::kWidth * sizeof(double))));
  void add(const float* x, size_t n, SaturationRule rule);
  // The same, and in the same pass each value's histogram slot (as histogram_slots) when bins
  // is given.
  void add(const float* x, size_t n, SaturationRule rule, const Binning* bins, int32_t base,
           int32_t* slots);
  // The lanes reduced.
  static uint64_t total(simd::IntVec lanes);
  uint64_t finite_count() const { return total(finite); }
  float min_value() const { return simd::min(min); }  // FLT_MAX when nothing was finite
  float max_value() const { return simd::max(max); }

  uint64_t count = 0;  // every value, finite or not
  bool has_shift = false;
  float shift = 0;
  DoubleVec s1{}, s2{};  // per lane: Σ(x − shift), Σ(x − shift)² over the finite values
  simd::FloatVec min = simd::splat(FLT_MAX), max = simd::splat(-FLT_MAX);
  // Per lane, read as uint32 (a lane sees n / kWidth values of one thread's share of a layer).
  simd::IntVec finite{}, saturated{}, zero{}, dead{};
};

// Σx and Σx² of n floats in double (a weight matrix's moments and norm), each in two sets of
// four double lanes: the same order of sums on every build. GCC vectorises no float → double
// reduction: as plain loops these were sequential chains of dependent double adds, ≈ 0.25 ms
// per pass over a 500 × 500 layer (a 50-layer sweep point spent 3.6% of its time there, perf).
std::pair<double, double> double_sums(const float* x, size_t n);
// Σ(x − mean)² in double, in lanes as double_sums.
double squared_deviations(const float* x, size_t n, double mean);

}  // namespace initscope
