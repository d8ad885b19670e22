// Drawing numbers: the normal CDF and quantile, i.i.d. fills (uniform, normal, truncated
// normal) and the structured weight schemes (orthogonal, eye, sparse).

// GCC 12 reports false (maybe-)uninitialized warnings inside its own AVX-512 intrinsics when
// Eigen's vectorised sin/cos/log are inlined; the diagnostic state at the intrinsics header's
// lines decides, so Eigen is included first, with those two warnings off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#pragma GCC diagnostic pop

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "core/error.h"
#include "core/init/init_sampling.h"
#include "core/rng_lanes.h"
#include "init_distribution.h"

namespace initscope {
namespace {

using Family = WeightDistribution::Family;
// 1/√2 as a double-double (hi + lo), and 2/√π.
constexpr double kInvSqrt2 = 0.7071067811865476, kInvSqrt2Lo = -4.8336466567264565e-17;
constexpr double kTwoOverSqrtPi = 1.1283791670955126;
constexpr double kSqrt2Pi = 2.50662827463100050242;

double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / kSqrt2Pi;
}

// Upper tail P(X > x) = erfc(x/√2)/2. erfc keeps full relative precision far out, but the
// rounding of x/√2 alone would cost |x|²·1e-16 relative (5e-14 at x = 37): the exact
// argument is t + δ, and erfc(t + δ) = erfc(t) - δ·(2/√π)·exp(-t²) to first order.
double normal_sf(double x) {
  const double t = x * kInvSqrt2;
  const double delta = std::fma(x, kInvSqrt2, -t) + x * kInvSqrt2Lo;
  return 0.5 * (std::erfc(t) - delta * kTwoOverSqrtPi * std::exp(-t * t));
}

// Acklam's approximation of the quantile for 0 < p <= 0.5 (relative error < 1.15e-9).
double acklam_lower(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Shared edge handling; `lower` maps p in (0, 0.5] to the quantile.
template <typename Lower>
double quantile_with(double p, Lower lower) {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  return p <= 0.5 ? lower(p) : -lower(1 - p);  // 1 - p is exact for p >= 0.5
}

// Box–Muller in float blocks: Eigen vectorises log/sqrt/sin/cos (≈ 1.3 ns per value on the
// AVX-512 Xeon; the polar method with a scalar double log takes ≈ 14 ns). u1 comes from 53
// random bits, so the tails reach 8.6σ; u1 is kept below 1 so that no draw is exactly 0.
constexpr int kPairs = 512;
constexpr size_t kNormalBlock = 2 * kPairs;  // values, and the stream's words they take

struct BoxMullerArrays {
  Eigen::ArrayXf u1 = Eigen::ArrayXf(kPairs), u2 = Eigen::ArrayXf(kPairs);
  Eigen::ArrayXf r = Eigen::ArrayXf(kPairs), theta = Eigen::ArrayXf(kPairs);
};

// Eight words, doubles and floats as GCC vectors (one zmm, two ymm or four xmm); local only:
// passed by value their ABI would depend on the instruction set.
using Words8 = uint64_t __attribute__((vector_size(64)));
using Doubles8 = double __attribute__((vector_size(64)));
using Floats8 = float __attribute__((vector_size(32)));
using Floats4 = float __attribute__((vector_size(16)));

// u1[i] from the stream's word 2i as Rng::uniform_open gives it, in float and kept below 1, and
// u2[i] from word 2i + 1 as Rng::uniform: (w >> 11 (+ 0.5 for u1))·2⁻⁵³ — the same roundings,
// eight words at a time (the serial conversions were ≈ 0.4 ns of a value's 3).
void uniforms_from_words(const uint64_t* words, float* u1, float* u2) {
  const float below_one = std::nextafter(1.0f, 0.0f);
  const float inf = std::numeric_limits<float>::infinity();
  const Doubles8 half = {0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0};  // x + 0 is x: u2 as before
  const Floats8 limit = {below_one, inf, below_one, inf, below_one, inf, below_one, inf};
  for (int i = 0; i < kPairs; i += 4) {
    Words8 w;
    __builtin_memcpy(&w, words + 2 * i, sizeof w);
    const Doubles8 d = __builtin_convertvector(w >> 11, Doubles8);
    Floats8 f = __builtin_convertvector((d + half) * 0x1.0p-53, Floats8);
    f = limit < f ? limit : f;  // std::min(f, limit)
    const Floats4 even = __builtin_shufflevector(f, f, 0, 2, 4, 6);
    const Floats4 odd = __builtin_shufflevector(f, f, 1, 3, 5, 7);
    __builtin_memcpy(u1 + i, &even, sizeof even);
    __builtin_memcpy(u2 + i, &odd, sizeof odd);
  }
}

// One block from the stream's words (uniforms_from_words): out[0, min(n, kPairs)) the cosines,
// the rest of out[0, n) the sines. flatten: GCC 12 otherwise leaves Eigen's pmadd as a call
// inside the vectorised log/sin/cos (half of this function's time).
__attribute__((flatten)) void box_muller_block(const uint64_t* words, float* out, size_t n,
                                               BoxMullerArrays& a) {
  uniforms_from_words(words, a.u1.data(), a.u2.data());
  a.r = (-2.0f * a.u1.log()).sqrt();
  a.theta = a.u2 * static_cast<float>(2 * std::numbers::pi);
  const size_t m = std::min<size_t>(kPairs, n);
  Eigen::Map<Eigen::ArrayXf>(out, m) = (a.r * a.theta.cos()).head(m);
  if (n > m) {
    const size_t m2 = std::min<size_t>(kPairs, n - m);
    Eigen::Map<Eigen::ArrayXf>(out + m, m2) = (a.r * a.theta.sin()).head(m2);
  }
}

// Whole groups of RngLanes' outputs where the build has 256-bit vectors (with SSE2's 128 the
// eight lanes stepped slower than the one chain: 1.6 against 1.2 ns a word); the rest, and small
// fills, from the serial generator. Both take the same words in the same order.
void fill_standard_normal(float* out, size_t n, Rng& rng) {
  BoxMullerArrays arrays;
  size_t k = 0;
#if defined(__AVX2__)
  if (n >= RngLanes::kGroup) {
    static_assert(RngLanes::kGroup % kNormalBlock == 0);
    RngLanes lanes(rng);
    const auto group = std::make_unique_for_overwrite<uint64_t[]>(RngLanes::kGroup);  // 128 KB
    for (; n - k >= RngLanes::kGroup; k += RngLanes::kGroup) {
      lanes.next_group(group.get());
      for (size_t b = 0; b < RngLanes::kGroup; b += kNormalBlock)
        box_muller_block(group.get() + b, out + k + b, kNormalBlock, arrays);
    }
    rng = lanes.rest();
  }
#endif
  uint64_t words[kNormalBlock];
  for (; k < n; k += kNormalBlock) {
    for (uint64_t& w : words) w = rng.next();
    box_muller_block(words, out + k, std::min(kNormalBlock, n - k), arrays);
  }
}

void fill_constant(float* out, size_t n, double value) {
  std::fill(out, out + n, static_cast<float>(value));
}

// i.i.d. families only.
void fill_family(const WeightDistribution& d, float* out, size_t n, Rng& rng) {
  switch (d.family) {
    case Family::Constant:
      fill_constant(out, n, d.value);
      return;
    case Family::Uniform:
      fill_uniform(out, n, d.lo, d.hi, rng);
      return;
    case Family::Normal:
      fill_normal(out, n, d.mean, d.std, rng);
      return;
    case Family::TruncatedNormal:
      fill_truncated_normal(out, n, d.mean, d.std, d.lo, d.hi, rng);
      return;
    default:
      throw std::logic_error("fill_family: not an i.i.d. distribution");
  }
}

// torch.nn.init.orthogonal_ on torch's (fan_out × fan_in) weight, returned as our W = its ᵀ.
// torch QRs the tall orientation (max × min) of a Gaussian matrix and multiplies Q's columns by
// sign(diag R), which makes Q Haar-distributed.
Eigen::MatrixXf orthogonal(int fan_in, int fan_out, double gain, Rng& rng) {
  const int m = std::max(fan_in, fan_out), k = std::min(fan_in, fan_out);
  Eigen::MatrixXd g(m, k);
  for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = rng.normal();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(m, k);
  for (int j = 0; j < k; ++j)
    if (qr.matrixQR()(j, j) < 0) q.col(j) = -q.col(j);
  q *= gain;
  // torch: rows < cols (fan_out < fan_in) → weight = qᵀ, so W = q; otherwise weight = q, W = qᵀ.
  if (fan_out < fan_in) return q.cast<float>();
  return q.transpose().cast<float>();
}

// torch.nn.init.sparse_: every column of torch's weight (a row i of our W) gets
// ceil(sparsity·fan_out) zeros at distinct random places; the rest ~ N(0, std²).
Eigen::MatrixXf sparse(int fan_in, int fan_out, double sparsity, double std, Rng& rng) {
  Eigen::MatrixXf w(fan_in, fan_out);
  fill_normal(w.data(), w.size(), 0.0, std, rng);
  const int zeros = static_cast<int>(std::min<double>(fan_out, std::ceil(sparsity * fan_out)));
  std::vector<int> cols(fan_out);
  std::iota(cols.begin(), cols.end(), 0);
  for (int i = 0; i < fan_in; ++i) {
    for (int t = 0; t < zeros; ++t) {  // partial Fisher–Yates: cols[0..zeros) is a random subset
      std::swap(cols[t], cols[t + rng.below(fan_out - t)]);
      w(i, cols[t]) = 0.0f;
    }
  }
  return w;
}

std::string distribution_names() {
  std::string out;
  for (const auto& s : init_schemes())
    if (!s.fan_based) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

}  // namespace

double normal_cdf(double x) {
  return normal_sf(-x);
}

double normal_quantile(double p) {
  return quantile_with(p, [](double p) {
    const double x = acklam_lower(p);
    // One Halley step on Φ(x) - p = 0 (Acklam's refinement): error ~1e-15 relative.
    const double e = normal_cdf(x) - p;
    const double u = e * kSqrt2Pi * std::exp(0.5 * x * x);
    const double refined = x - u / (1 + 0.5 * x * u);
    return std::isfinite(refined) ? refined : x;
  });
}

double normal_quantile_fast(double p) {
  return quantile_with(p, acklam_lower);
}

double normal_interval_mass(double mean, double std, double lo, double hi) {
  if (!(std > 0)) return (lo <= mean && mean <= hi) ? 1.0 : 0.0;
  const double alpha = (lo - mean) / std, beta = (hi - mean) / std;
  if (alpha >= 0) return normal_sf(alpha) - normal_sf(beta);
  if (beta <= 0) return normal_sf(-beta) - normal_sf(-alpha);
  return 1.0 - normal_sf(-alpha) - normal_sf(beta);
}

double truncated_normal_std(double mean, double std, double lo, double hi) {
  if (!(std > 0)) return 0.0;
  const double alpha = (lo - mean) / std, beta = (hi - mean) / std;
  const double z = normal_interval_mass(mean, std, lo, hi);
  auto x_pdf = [](double x) { return std::isfinite(x) ? x * normal_pdf(x) : 0.0; };
  const double a = (x_pdf(alpha) - x_pdf(beta)) / z;
  const double b = (normal_pdf(alpha) - normal_pdf(beta)) / z;
  return std * std::sqrt(std::max(0.0, 1 + a - b * b));
}

void fill_uniform(float* out, size_t n, double lo, double hi, Rng& rng) {
  const double width = hi - lo;
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(lo + width * rng.uniform());
}

void fill_normal(float* out, size_t n, double mean, double std, Rng& rng) {
  fill_standard_normal(out, n, rng);
  if (mean == 0 && std == 1) return;
  Eigen::Map<Eigen::ArrayXf> a(out, n);
  a = static_cast<float>(mean) + static_cast<float>(std) * a;
}

void fill_truncated_normal(float* out, size_t n, double mean, double std, double lo, double hi,
                           Rng& rng) {
  auto clamp = [&](double y) { return static_cast<float>(std::clamp(y, lo, hi)); };
  if (!(std > 0)) return fill_constant(out, n, std::clamp(mean, lo, hi));
  const double alpha = (lo - mean) / std, beta = (hi - mean) / std;
  const double mass = normal_interval_mass(0, 1, alpha, beta);
  if (mass >= 0.25) {
    // Rejection from the normal: exact, and at least a quarter of the draws are kept.
    constexpr size_t kBlock = 1024;
    float block[kBlock];
    size_t k = 0;
    while (k < n) {
      fill_standard_normal(block, kBlock, rng);
      for (size_t i = 0; i < kBlock && k < n; ++i)
        if (block[i] >= alpha && block[i] <= beta) out[k++] = clamp(mean + std * block[i]);
    }
    return;
  }
  // Inverse CDF, computed on the side where probabilities keep their relative precision:
  // survival function right of the mean, CDF left of it. Exact in the far tails.
  if (alpha >= 0) {
    const double s_hi = normal_sf(alpha), s_lo = normal_sf(beta);
    for (size_t i = 0; i < n; ++i) {
      const double x = -normal_quantile_fast(s_lo + rng.uniform_open() * (s_hi - s_lo));
      out[i] = clamp(mean + std * std::clamp(x, alpha, beta));
    }
  } else {
    const double p_lo = normal_cdf(alpha), p_hi = normal_cdf(beta);
    for (size_t i = 0; i < n; ++i) {
      const double x = normal_quantile_fast(p_lo + rng.uniform_open() * (p_hi - p_lo));
      out[i] = clamp(mean + std * std::clamp(x, alpha, beta));
    }
  }
}

void fill_values(const InitSpec& spec, float* out, size_t n, Rng& rng) {
  if (!spec.scheme) throw std::logic_error("fill_values: spec was not parsed");
  if (spec.scheme->fan_based)
    throw UsageError("'" + spec.text + "' is not a distribution (it needs fan_in/fan_out); " +
                     "allowed for inputs/biases: " + distribution_names());
  const WeightDistribution d = resolve_distribution(spec, 0, 0, Activation{});
  fill_family(d, out, n, rng);
}

Eigen::MatrixXf sample_values(const InitSpec& spec, int rows, int cols, Rng& rng) {
  Eigen::MatrixXf m(std::max(rows, 0), std::max(cols, 0));
  fill_values(spec, m.data(), static_cast<size_t>(m.size()), rng);
  return m;
}

Eigen::MatrixXf sample_weights(const InitSpec& spec, int fan_in, int fan_out, const Activation& act,
                               Rng& rng) {
  if (!spec.scheme) throw std::logic_error("sample_weights: spec was not parsed");
  if (fan_in < 1 || fan_out < 1)
    throw UsageError("'" + spec.text + "': a layer needs fan_in >= 1 and fan_out >= 1, got " +
                     std::to_string(fan_in) + "×" + std::to_string(fan_out));
  const WeightDistribution d = resolve_distribution(spec, fan_in, fan_out, act);
  switch (d.family) {
    case Family::Orthogonal:
      return orthogonal(fan_in, fan_out, d.gain, rng);
    case Family::Eye:
      return Eigen::MatrixXf::Identity(fan_in, fan_out);
    case Family::Sparse:
      return sparse(fan_in, fan_out, d.sparsity, d.std, rng);
    default: {
      Eigen::MatrixXf w(fan_in, fan_out);
      fill_family(d, w.data(), w.size(), rng);
      return w;
    }
  }
}

}  // namespace initscope
