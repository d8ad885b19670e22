// Mean-field theory: the variance recursion, its fixed point, χ₁, the critical line and the
// phase-diagram grid (formulas in mean_field.h).
#include "mean_field.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "architecture_theory.h"
#include "core/error.h"
#include "core/init/data_stage.h"
#include "core/init/init_distribution.h"
#include "core/init/start_weights.h"
#include "core/json_text.h"
#include "gaussian_quadrature.h"

namespace initscope {
namespace {

using Family = WeightDistribution::Family;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Below this the iteration counts as collapsed (q* = 0); above the cap as exploding (q* = ∞).
constexpr double kQCollapsed = 1e-30;
constexpr double kQExploding = 1e30;
// χ₁ at q* = 0 is the limit q → 0⁺ (ReLU: σ_w²/2, not σ_w²·φ'(0)² = 0 with the kink's
// convention φ'(0) = 0); evaluated at this q, where a smooth φ' is φ'(μ) to rounding.
constexpr double kQZeroLimit = 1e-300;
// The phase-diagram table: ln q on [ln 1e-10, ln 1e10], 100 points per decade.
constexpr double kTableLo = 1e-10, kTableHi = 1e10;
constexpr int kTablePerDecade = 100;

double normal_pdf(double x) {
  return kInvSqrt2Pi * std::exp(-0.5 * x * x);
}

// Mean of N(mean, std²) restricted to [lo, hi]: mean + std·(ϕ(α) − ϕ(β))/(Φ(β) − Φ(α)).
double truncated_normal_mean(double mean, double std, double lo, double hi) {
  if (!(std > 0)) return std::clamp(mean, lo, hi);
  const double mass = normal_interval_mass(mean, std, lo, hi);
  const double m =
      mean + std * (normal_pdf((lo - mean) / std) - normal_pdf((hi - mean) / std)) / mass;
  return std::clamp(m, lo, hi);
}

double distribution_mean(const WeightDistribution& d) {
  switch (d.family) {
    case Family::Constant:
      return d.value;
    case Family::Uniform:
      return 0.5 * (d.lo + d.hi);
    case Family::Normal:
      return d.mean;
    case Family::TruncatedNormal:
      return truncated_normal_mean(d.mean, d.std, d.lo, d.hi);
    case Family::Orthogonal:
    case Family::Eye:
    case Family::Sparse:
      return 0;
  }
  return 0;
}

// The stable fixed point of the increasing map q ↦ M(q) reached from q_start: bracket the first
// crossing of M(q) = q in the direction the iteration moves (doubling / halving q), then bisect
// in log q. Returns 0 below kQCollapsed and +∞ above q_cap.
template <typename Map>
double solve_fixed_point(const Map& M, double q_start, double q_cap) {
  // "Clearly above/below the diagonal": M(q) and q differ by more than rounding, so that a map
  // that only creeps (ReLU at σ_w² = 2 with a bias: M(q) = q + σ_b², lost in rounding once
  // q > 1e16·σ_b²) keeps moving, and one that is the identity (ReLU at σ_w² = 2, σ_b² = 0)
  // stays where it starts.
  constexpr double kRel = 1e-13;
  auto above = [&](double q) { return M(q) > q * (1 + kRel); };
  auto below = [&](double q) { return M(q) < q * (1 - kRel); };
  const double q0 = (q_start > 0 && std::isfinite(q_start)) ? q_start : 1.0;
  if (std::isnan(M(q0))) return kNaN;
  double lo, hi;  // M(lo) > lo, M(hi) < hi
  if (above(q0)) {
    lo = q0;
    hi = 2 * q0;
    while (!below(hi)) {
      lo = hi;
      hi *= 2;
      if (hi > q_cap) return kInf;
    }
  } else if (below(q0)) {
    hi = q0;
    lo = 0.5 * q0;
    while (!above(lo)) {
      hi = lo;
      lo *= 0.5;
      if (lo < kQCollapsed) return 0;
    }
  } else {
    return q0;
  }
  for (int it = 0; it < 200 && hi > lo * (1 + 4e-16); ++it) {
    const double mid = std::sqrt(lo * hi);
    if (!(mid > lo && mid < hi)) break;
    (M(mid) >= mid ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

std::string classify(double chi1, double q_star) {
  if (std::isnan(chi1)) return "none";
  if (std::fabs(chi1 - 1) < kCriticalTolerance) return "critical";
  if (std::isinf(q_star)) return "exploding";
  return chi1 < 1 ? "ordered" : "chaotic";
}

double depth_scale_of(double chi1) {
  if (std::isnan(chi1)) return kNaN;
  if (std::fabs(chi1 - 1) <= 1e-12) return kInf;  // exactly critical up to rounding
  return 1 / std::fabs(std::log(chi1));
}

// E[φ(√q ξ)²] and E[φ'(√q ξ)²] (μ = 0) tabulated on a log grid of q for the phase diagram;
// Catmull–Rom cubic in (ln q, ln value), linear extrapolation in log-log beyond the ends.
class MomentTable {
 public:
  explicit MomentTable(const Activation& act) {
    n_ = int(std::lround(std::log10(kTableHi / kTableLo) * kTablePerDecade)) + 1;
    x0_ = std::log(kTableLo);
    h_ = std::log(10.0) / kTablePerDecade;
    ln_second_.resize(n_);
    ln_deriv2_.resize(n_);
    for (int i = 0; i < n_; ++i) {
      const ActivationMoments m = activation_moments(act, std::exp(x0_ + i * h_));
      ln_second_[i] = std::log(std::max(m.second, 1e-300));
      ln_deriv2_[i] = std::log(std::max(m.deriv2, 1e-300));
    }
    deriv2_at_zero_ = activation_moments(act, kQZeroLimit).deriv2;
    deriv2_at_infinity_ = activation_moments(act, kQExploding).deriv2;
  }
  double second(double q) const { return lookup(ln_second_, q); }
  double deriv2_at_zero() const { return deriv2_at_zero_; }
  double deriv2_at_infinity() const { return deriv2_at_infinity_; }
  double deriv2(double q) const { return lookup(ln_deriv2_, q); }

 private:
  double lookup(const std::vector<double>& y, double q) const {
    if (!(q > 0)) return std::exp(y.front());  // the q → 0 limit (table starts at 1e-10)
    const double u = (std::log(q) - x0_) / h_;
    if (u <= 0) return std::exp(y[0] + u * (y[1] - y[0]));
    if (u >= n_ - 1) return std::exp(y[n_ - 1] + (u - (n_ - 1)) * (y[n_ - 1] - y[n_ - 2]));
    const int i = std::min(int(u), n_ - 2);
    const double t = u - i;
    const double p0 = i > 0 ? y[i - 1] : 2 * y[i] - y[i + 1];
    const double p3 = i + 2 < n_ ? y[i + 2] : 2 * y[i + 1] - y[i];
    const double p1 = y[i], p2 = y[i + 1];
    const double v =
        p1 +
        0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
    return std::exp(v);
  }
  int n_ = 0;
  double x0_ = 0, h_ = 1;
  std::vector<double> ln_second_, ln_deriv2_;
  double deriv2_at_zero_ = 0, deriv2_at_infinity_ = 0;
};

// Fixed point and χ₁ from the table (μ_b = 0).
FixedPoint tabulated_fixed_point(const MomentTable& t, double w2, double b2) {
  FixedPoint fp;
  fp.q_star = solve_fixed_point([&](double q) { return w2 * t.second(q) + b2; }, 1.0, kTableHi);
  if (fp.q_star == 0)
    fp.chi1 = w2 * t.deriv2_at_zero();
  else if (std::isinf(fp.q_star))
    fp.chi1 = w2 * t.deriv2_at_infinity();
  else
    fp.chi1 = w2 * t.deriv2(fp.q_star);
  fp.phase = classify(fp.chi1, fp.q_star);
  fp.depth_scale = depth_scale_of(fp.chi1);
  return fp;
}

// Bisection on σ_w² for χ₁(σ_w²) = 1 given a χ₁ function; NaN if χ₁ < 1 up to 1e6.
template <typename Chi>
double bisect_critical(const Chi& chi1) {
  double lo = 0, hi = 1;
  while (!(chi1(hi) >= 1)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e6) return kNaN;
  }
  for (int it = 0; it < 100 && hi - lo > 1e-13 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (chi1(mid) >= 1 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double ActivationMoments::std() const {
  return std::sqrt(std::max(0.0, second - mean * mean));
}

ActivationMoments activation_moments(const Activation& act, double q, double mu) {
  ActivationMoments m;
  if (std::isnan(q) || std::isinf(q) || std::isnan(mu)) {
    m.mean = m.second = m.deriv2 = kNaN;
    return m;
  }
  if (q <= 0) {  // a point mass at mu
    const double a = act.apply(mu), d = act.derivative(mu);
    m.mean = a;
    m.second = a * a;
    m.deriv2 = d * d;
    return m;
  }
  const double s = std::sqrt(q);
  // φ(mu + s·ξ) changes fastest (or kinks) at ξ = −mu/s, over a width ~1/s.
  const NormalRule rule = normal_rule(-mu / s, 1 / s);
  for (size_t i = 0; i < rule.nodes.size(); ++i) {
    const double u = mu + s * rule.nodes[i], w = rule.weights[i];
    const double a = act.apply(u), d = act.derivative(u);
    m.mean += w * a;
    m.second += w * a * a;
    m.deriv2 += w * d * d;
  }
  return m;
}

ValueMoments value_moments(const InitSpec& spec) {
  if (!spec.scheme) throw std::logic_error("value_moments: spec was not parsed");
  if (spec.scheme->fan_based)
    throw UsageError("'" + spec.text +
                     "' is not a distribution (it needs fan_in/fan_out); mean-field theory "
                     "needs an input/bias distribution");
  const WeightDistribution d = resolve_distribution(spec, 0, 0, Activation{});
  ValueMoments v;
  v.mean = distribution_mean(d);
  switch (d.family) {
    case Family::Uniform:
      v.variance = (d.hi - d.lo) * (d.hi - d.lo) / 12;
      break;
    case Family::Normal:
      v.variance = d.std * d.std;
      break;
    case Family::TruncatedNormal: {
      const double s = truncated_normal_std(d.mean, d.std, d.lo, d.hi);
      v.variance = s * s;
      break;
    }
    default:  // constant
      v.variance = 0;
  }
  return v;
}

EffectiveInit effective_init(const Experiment& e, const InitSpec& spec, int layer) {
  const int fan_in = e.fan_in(layer), fan_out = e.width(layer);
  EffectiveInit init;
  const Activation act = init_activation(e, spec, layer);  // the head's own for `auto`
  const double w_std = weight_std(spec, fan_in, fan_out, act);
  // fixup / gpt2 scale a residual block's drawn weights (start_weights.h).
  const double branch = branch_weight_factor(e, spec, layer);
  init.sigma_w2 = w_std * w_std * fan_in * branch * branch;
  init.weight_mean = branch * distribution_mean(resolve_distribution(spec, fan_in, fan_out, act));
  if (e.bias) {
    const ValueMoments b = value_moments(*e.bias);
    init.sigma_b2 = b.variance;
    init.bias_mean = b.mean;
  }
  return init;
}

std::string theory_caveat(const Experiment& e, const InitSpec& spec) {
  if (spec.scheme->stage != nullptr && *spec.scheme->stage->theory_caveat != '\0')
    return "'" + spec.text + "' " + spec.scheme->stage->theory_caveat;
  for (int l = 1; l <= e.layers; ++l) {
    const EffectiveInit init = effective_init(e, spec, l);
    if (std::isnan(init.sigma_w2))
      return "'" + spec.text +
             "' is not i.i.d. (no single weight std), so the mean-field prediction does not apply";
    const double w_std = std::sqrt(init.sigma_w2 / e.fan_in(l));
    if (std::fabs(init.weight_mean) > 1e-3 * w_std) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3g", init.weight_mean);
      return "'" + spec.text + "' gives W a mean of " + buf + " (layer " + std::to_string(l) +
             "); the mean-field prediction assumes zero-mean weights";
    }
  }
  return "";
}

FixedPoint fixed_point(const Activation& act, double sigma_w2, double sigma_b2, double bias_mean,
                       double q_start) {
  FixedPoint fp;
  if (std::isnan(sigma_w2) || std::isnan(sigma_b2) || std::isnan(bias_mean)) {
    fp.q_star = fp.chi1 = fp.depth_scale = kNaN;
    fp.phase = "none";
    return fp;
  }
  fp.q_star = solve_fixed_point(
      [&](double q) { return sigma_w2 * activation_moments(act, q, bias_mean).second + sigma_b2; },
      q_start, kQExploding);
  const double q_chi = std::isinf(fp.q_star) ? kQExploding
                       : fp.q_star == 0      ? kQZeroLimit
                                             : fp.q_star;
  fp.chi1 = sigma_w2 * activation_moments(act, q_chi, bias_mean).deriv2;
  fp.phase = classify(fp.chi1, fp.q_star);
  fp.depth_scale = depth_scale_of(fp.chi1);
  return fp;
}

double critical_sigma_w2(const Activation& act, double sigma_b2, double bias_mean) {
  return bisect_critical([&](double w2) { return fixed_point(act, w2, sigma_b2, bias_mean).chi1; });
}

PhaseGrid phase_grid(const Activation& act, const GridAxis& sigma_w2, const GridAxis& sigma_b2) {
  PhaseGrid g;
  g.sigma_w2 = sigma_w2;
  g.sigma_b2 = sigma_b2;
  const int nw = std::max(sigma_w2.n, 0), nb = std::max(sigma_b2.n, 0);
  g.chi1.resize(size_t(nw) * nb);
  g.q_star.resize(size_t(nw) * nb);
  g.critical_sigma_w2.resize(nb);
  const MomentTable table(act);
  for (int ib = 0; ib < nb; ++ib) {
    const double b2 = sigma_b2.value(ib);
    for (int iw = 0; iw < nw; ++iw) {
      const FixedPoint fp = tabulated_fixed_point(table, sigma_w2.value(iw), b2);
      g.chi1[size_t(ib) * nw + iw] = fp.chi1;
      g.q_star[size_t(ib) * nw + iw] = fp.q_star;
    }
    g.critical_sigma_w2[ib] =
        bisect_critical([&](double w2) { return tabulated_fixed_point(table, w2, b2).chi1; });
  }
  return g;
}

Prediction predict(const Experiment& e, const InitSpec& spec, bool signal_propagation) {
  const Architecture arch = spec.arch.apply(e.arch);
  if (!arch.plain()) return predict_architecture(e, spec, arch);
  Prediction p;
  p.caveat = theory_caveat(e, spec);
  const double input_second = value_moments(e.input).second();
  ActivationMoments prev;  // moments of the previous layer's activations
  for (int l = 1; l <= e.layers; ++l) {
    const EffectiveInit init = effective_init(e, spec, l);
    LayerPrediction lp;
    lp.layer = l;
    lp.sigma_w2 = init.sigma_w2;
    // q¹ = σ_w²·E[x²] + σ_b²; q^l = σ_w²·E[φ(z^{l−1})²] + σ_b².
    // Once q has overflowed it stays infinite (E[φ²] of an infinite-variance z is left NaN).
    const bool overflowed = l > 1 && std::isinf(p.layers.back().q);
    const double incoming = l == 1 ? input_second : prev.second;
    lp.q = overflowed ? kInf : init.sigma_w2 * incoming + init.sigma_b2;
    lp.preact_std = std::sqrt(lp.q);
    prev = activation_moments(e.activation, lp.q, init.bias_mean);
    lp.act_mean = prev.mean;
    lp.act_std = prev.std();
    p.layers.push_back(lp);
    p.init = init;
  }
  const double q_last = p.layers.empty() ? 1.0 : p.layers.back().q;
  p.fixed = fixed_point(e.activation, p.init.sigma_w2, p.init.sigma_b2, p.init.bias_mean,
                        std::isfinite(q_last) && q_last > 0 ? q_last : 1.0);
  if (signal_propagation) add_plain_signal_propagation(e, spec, p);
  return p;
}

std::vector<double> predicted_preact_variance(const Experiment& e, const InitSpec& spec) {
  std::vector<double> q;
  for (const LayerPrediction& lp : predict(e, spec).layers) q.push_back(lp.q);
  return q;
}

nlohmann::ordered_json theory_json(const Prediction& p) {
  nlohmann::ordered_json j;
  j["sigma_w2"] = number_or_null(p.init.sigma_w2);
  j["sigma_b2"] = number_or_null(p.init.sigma_b2);
  j["bias_mean"] = number_or_null(p.init.bias_mean);
  j["q_star"] = number_or_null(p.fixed.q_star);
  j["chi1"] = number_or_null(p.fixed.chi1);
  j["phase"] = p.fixed.phase;
  j["depth_scale"] = number_or_null(p.fixed.depth_scale);
  j["note"] = p.caveat;
  const bool architecture = !p.arch.plain();
  if (architecture) {
    j["architecture"] = p.arch.summary();
    j["grad_sq_growth"] = number_or_null(p.grad_sq_growth);
    j["grad_note"] = p.grad_note;
  }
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const LayerPrediction& lp : p.layers) {
    nlohmann::ordered_json l;
    l["layer"] = lp.layer;
    l["sigma_w2"] = number_or_null(lp.sigma_w2);
    l["q"] = number_or_null(lp.q);
    l["preact_std"] = number_or_null(lp.preact_std);
    l["act_mean"] = number_or_null(lp.act_mean);
    l["act_std"] = number_or_null(lp.act_std);
    if (architecture) {
      l["normed_std"] = number_or_null(lp.normed_std);
      l["branch_std"] = number_or_null(lp.branch_std);
      l["channel_sq_mean"] = number_or_null(lp.channel_sq_mean);
      l["channel_var"] = number_or_null(lp.channel_var);
      l["branch_channel_var"] = number_or_null(lp.branch_channel_var);
    }
    layers.push_back(std::move(l));
  }
  j["layers"] = std::move(layers);
  return j;
}

nlohmann::ordered_json theory_json(const Experiment& e, const InitSpec& spec) {
  return theory_json(predict(e, spec));
}

}  // namespace initscope
