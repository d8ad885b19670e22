// The correlation map: E[φ(u₁)φ(u₂)] by nested graded quadrature, its fixed point c*, χ_c and
// ξ_c (formulas in correlation_map.h).
#include "correlation_map.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "gaussian_quadrature.h"
#include "mean_field.h"

namespace initscope {
namespace {

constexpr double kCorrNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kCorrInf = std::numeric_limits<double>::infinity();
// √(1 − c²) below this: u₂ = μ + √q·c·ξ₁ (the one-dimensional integral; at |c| = 1 − 1e-24 the
// dropped term is 1e-12·√q·ξ₂).
constexpr double kTinyComplement = 1e-12;

bool cmap_usable_variance(double q) {
  return q > 0 && std::isfinite(q);
}

// The one-dimensional case c = ±1: u₂ = μ ± √q·ξ₁.
PairMoments pair_moments_degenerate(const Activation& act, double q, double c, double mu) {
  const double s = std::sqrt(q);
  const NormalRule rule = normal_rule(-mu / s, 1 / s);
  PairMoments m;
  const double sign = c > 0 ? 1.0 : -1.0;
  for (size_t i = 0; i < rule.nodes.size(); ++i) {
    const double u1 = mu + s * rule.nodes[i], u2 = mu + sign * s * rule.nodes[i];
    m.cross += rule.weights[i] * act.apply(u1) * act.apply(u2);
    m.deriv_cross += rule.weights[i] * act.derivative(u1) * act.derivative(u2);
  }
  return m;
}

// The c-map's value at c (variance q fixed) minus c.
double cmap_gap(const Activation& act, double w2, double b2, double q, double mu, double c) {
  return correlation_step(act, w2, b2, q, c, mu) - c;
}

// The root of gap(c) in [lo, hi] with gap(lo) > 0 > gap(hi): Illinois (regula falsi with the
// stale end's value halved) — superlinear, ~10 evaluations of a 2-D integral instead of 40.
template <typename Gap>
double illinois_root(const Gap& gap, double lo, double hi, double g_lo, double g_hi) {
  int side = 0;
  for (int it = 0; it < 100 && hi - lo > 1e-14; ++it) {
    const double c = (lo * g_hi - hi * g_lo) / (g_hi - g_lo);
    if (!(c > lo && c < hi)) break;
    const double g = gap(c);
    if (g == 0) return c;
    if (g > 0) {
      lo = c;
      g_lo = g;
      if (side == 1) g_hi *= 0.5;
      side = 1;
    } else {
      hi = c;
      g_hi = g;
      if (side == -1) g_lo *= 0.5;
      side = -1;
    }
    if (std::fabs(g) < 1e-15) break;
  }
  return std::fabs(g_lo) < std::fabs(g_hi) ? lo : hi;
}

}  // namespace

PairMoments pair_moments(const Activation& act, double q, double c, double bias_mean,
                         bool with_derivative) {
  if (!cmap_usable_variance(q) || std::isnan(c) || std::isnan(bias_mean))
    return {kCorrNaN, kCorrNaN};
  c = std::clamp(c, -1.0, 1.0);
  const double mu = bias_mean, s = std::sqrt(q);
  const double r = std::sqrt(std::max(0.0, 1 - c * c));
  if (r < kTinyComplement) return pair_moments_degenerate(act, q, c, mu);
  // Outer axis ξ₁ (u₁ = μ + s·ξ₁): graded at u₁ = 0. Inner ξ₂ per outer node: graded at u₂ = 0,
  // ξ₂ = −(μ/s + c·ξ₁)/r, where u₂ changes by s·r per unit of ξ₂. The inner integral moves
  // with ξ₁ over a width ~r/|c| (its feature point runs by |c|/r per unit of ξ₁): near c = ±1 the
  // outer rule must resolve that too (ReLU at c = 0.999: 4e-9 off without it).
  const double outer_width = std::min(1 / s, r / std::max(std::fabs(c), 1e-300));
  const NormalRule outer = normal_rule(-mu / s, outer_width);
  PairMoments m;
  NormalRule inner;  // its storage reused by every outer node
  for (size_t i = 0; i < outer.nodes.size(); ++i) {
    const double x1 = outer.nodes[i];
    const double u1 = mu + s * x1;
    normal_rule(-(mu / s + c * x1) / r, 1 / (s * r), inner);
    double cross = 0, deriv = 0;
    for (size_t j = 0; j < inner.nodes.size(); ++j) {
      const double u2 = mu + s * (c * x1 + r * inner.nodes[j]);
      cross += inner.weights[j] * act.apply(u2);
      if (with_derivative) deriv += inner.weights[j] * act.derivative(u2);
    }
    m.cross += outer.weights[i] * act.apply(u1) * cross;
    if (with_derivative) m.deriv_cross += outer.weights[i] * act.derivative(u1) * deriv;
  }
  if (!with_derivative) m.deriv_cross = kCorrNaN;
  return m;
}

double correlation_step(const Activation& act, double sigma_w2, double sigma_b2, double q, double c,
                        double bias_mean) {
  if (!cmap_usable_variance(q)) return kCorrNaN;
  const double q_next = sigma_w2 * activation_moments(act, q, bias_mean).second + sigma_b2;
  // c = 1 exactly: the same 1-D rule as the variance map, so that 1 maps to 1 to rounding.
  const double cross = c >= 1 ? activation_moments(act, q, bias_mean).second
                              : pair_moments(act, q, c, bias_mean).cross;
  return (sigma_w2 * cross + sigma_b2) / q_next;
}

CorrelationFixedPoint correlation_fixed_point(const Activation& act, double sigma_w2,
                                              double sigma_b2, double bias_mean, double q_start) {
  const FixedPoint fp = fixed_point(act, sigma_w2, sigma_b2, bias_mean, q_start);
  CorrelationFixedPoint r;
  r.q_star = fp.q_star;
  r.chi1 = fp.chi1;
  r.c_star = r.chi_c = r.xi_c = kCorrNaN;
  const double q = fp.q_star;
  if (!cmap_usable_variance(q) || std::isnan(fp.chi1)) return r;
  if (fp.chi1 <= 1 + 1e-9) {
    r.c_star = 1;
    r.chi_c = fp.chi1;
  } else {
    auto gap = [&](double c) { return cmap_gap(act, sigma_w2, sigma_b2, q, bias_mean, c); };
    const double g0 = gap(0);
    if (!(g0 > 1e-14)) {
      r.c_star = 0;  // an odd φ without bias: c = 0 maps to 0
    } else {
      // gap(1 − δ) ≈ −(χ₁ − 1)·δ < 0 once 1 − δ is above c*.
      double delta = 1e-3, g_hi = gap(1 - delta);
      while (!(g_hi < 0) && delta > 1e-12) {
        delta *= 0.1;
        g_hi = gap(1 - delta);
      }
      r.c_star = g_hi < 0 ? illinois_root(gap, 0.0, 1 - delta, g0, g_hi) : 1.0;
    }
    r.chi_c =
        r.c_star >= 1 ? fp.chi1 : sigma_w2 * pair_moments(act, q, r.c_star, bias_mean).deriv_cross;
  }
  if (std::isnan(r.chi_c))
    r.xi_c = kCorrNaN;
  else if (r.chi_c >= 1)
    r.xi_c = kCorrInf;
  else
    r.xi_c = -1 / std::log(r.chi_c);
  return r;
}

CorrelationProfile correlation_profile(const Activation& act, double sigma_w2, double sigma_b2,
                                       double q1, double c1, int layers, double bias_mean) {
  CorrelationProfile p;
  double q = q1, c = c1;
  for (int l = 0; l < layers; ++l) {
    p.q.push_back(q);
    p.c.push_back(c);
    if (!cmap_usable_variance(q)) {
      q = c = kCorrNaN;
      continue;
    }
    const double c_next = correlation_step(act, sigma_w2, sigma_b2, q, c, bias_mean);
    q = sigma_w2 * activation_moments(act, q, bias_mean).second + sigma_b2;
    c = c_next;
  }
  return p;
}

// A pre-activation variance past which float activations overflow (std 1.8e19).
constexpr double kFloatRangeVariance = std::numeric_limits<float>::max();

std::vector<double> predicted_pair_correlation(const Experiment& e, const InitSpec& spec,
                                               const Prediction& p, double r) {
  std::vector<double> c;
  if (!p.caveat.empty() || p.layers.empty() || !(r >= -1 && r <= 1)) return c;
  const ValueMoments x = value_moments(e.input);
  const double r_other = std::sqrt(std::max(0.0, 1 - r * r));
  for (int l = 1; l <= e.layers; ++l) {
    const EffectiveInit init = effective_init(e, spec, l);
    if (init.bias_mean != 0) return {};
    const double q = p.layers[static_cast<size_t>(l - 1)].q;
    if (l == 1) {
      const double cross = r * x.second() + r_other * x.mean * x.mean;  // E[x₁·x₂] per input
      c.push_back(q > 0 && std::isfinite(q) ? (init.sigma_w2 * cross + init.sigma_b2) / q
                                            : kCorrNaN);
      continue;
    }
    const double q_prev = p.layers[static_cast<size_t>(l - 2)].q;
    // Beyond float's range the measured line is Inf/NaN, and the quadrature's panels, graded
    // down to the kink's width ~1/√q, grow to hundreds a side: no prediction there (a 200-layer
    // ReLU net drawn N(0, 1) spent 106 s in this loop without this).
    if (!(q_prev < kFloatRangeVariance)) {
      c.push_back(kCorrNaN);
      continue;
    }
    c.push_back(correlation_step(e.activation, init.sigma_w2, init.sigma_b2, q_prev, c.back()));
  }
  return c;
}

}  // namespace initscope
