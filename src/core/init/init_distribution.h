#pragma once
// Inside the init code: every scheme, once its parameters, fans and gain are known, is one of a
// few distribution families. Sampling, the theoretical std and describe() work on the family.
#include <cstddef>
#include <string>

#include "core/engine/activation.h"
#include "core/rng.h"
#include "init_spec.h"

namespace initscope {

struct WeightDistribution {
  enum class Family { Constant, Uniform, Normal, TruncatedNormal, Orthogonal, Eye, Sparse };
  Family family = Family::Constant;
  double value = 0;          // Constant
  double lo = 0, hi = 0;     // Uniform bounds; TruncatedNormal absolute cut-offs
  double mean = 0, std = 0;  // Normal; TruncatedNormal's parent; Sparse's non-zeros
  double gain = 1;           // Orthogonal
  double sparsity = 0;       // Sparse
  // For describe(): which fan the formula used ("fan_in", "fan_out", "fan_avg" or "") and its
  // value, and the gain that went in (has_gain is false for schemes without one).
  std::string fan_name;
  double fan = 0;
  double gain_used = 0;
  bool has_gain = false;
};

// Resolves the spec for a layer with these fans. Fans are ignored by non-fan-based schemes.
WeightDistribution resolve_distribution(const InitSpec& spec, int fan_in, int fan_out,
                                        const Activation& act);

// torch.nn.init.calculate_gain(nonlinearity, param) for the kaiming nonlinearity words.
double calculate_gain(const std::string& nonlinearity, double param);

// Fills out[0..n) with i.i.d. draws. Exact to float precision in the far tails too.
void fill_uniform(float* out, size_t n, double lo, double hi, Rng& rng);
void fill_normal(float* out, size_t n, double mean, double std, Rng& rng);
void fill_truncated_normal(float* out, size_t n, double mean, double std, double lo, double hi,
                           Rng& rng);

// P(lo <= X <= hi) for X ~ N(mean, std²), accurate in the far tails (no 1 - 1 cancellation).
double normal_interval_mass(double mean, double std, double lo, double hi);
// Standard deviation of N(mean, std²) restricted to [lo, hi].
double truncated_normal_std(double mean, double std, double lo, double hi);
// Acklam's rational approximation alone (relative error < 1.2e-9): enough for float samples.
double normal_quantile_fast(double p);

}  // namespace initscope
