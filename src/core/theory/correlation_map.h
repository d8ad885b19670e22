#pragma once
// The correlation map of mean-field theory (Poole et al. 2016, "Exponential expressivity in deep
// neural networks through transient chaos"; Schoenholz et al. 2017, "Deep information
// propagation"): how the correlation of two inputs' pre-activations moves from layer to layer
// in a wide plain net with W ~ N(0, σ_w²/fan_in) and b ~ N(μ_b, σ_b²).
//
// Two inputs' pre-activations at layer l, (z₁, z₂), are jointly Gaussian around μ_b with
// variances q₁₁, q₂₂ and covariance q₁₂; with both variances q (the same input distribution):
//     q^{l+1}   = σ_w²·E[φ(u₁)²] + σ_b²                      (the variance map, mean_field.h)
//     q₁₂^{l+1} = σ_w²·E[φ(u₁)φ(u₂)] + σ_b²
//     c^{l+1}   = q₁₂^{l+1} / q^{l+1},
// where u₁ = μ_b + √q·ξ₁, u₂ = μ_b + √q·(c·ξ₁ + √(1−c²)·ξ₂), ξ₁, ξ₂ ~ N(0, 1) independent.
// At the variance's fixed point q = q* this is the c-map  c ↦ (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q*,
// with c = 1 always a fixed point (its slope there is χ₁). Its stable fixed point c*: 1 when
// χ₁ ≤ 1 (ordered: inputs converge), the c* < 1 it crosses the diagonal at when χ₁ > 1
// (chaotic: inputs decorrelate). Near c* a perturbation shrinks by
//     χ_c = σ_w²·E[φ'(u₁)φ'(u₂)]  at c = c*, q = q*        (= χ₁ when c* = 1)
// per layer: |c^l − c*| ~ e^{−l/ξ_c} with ξ_c = −1/ln χ_c (Schoenholz et al. eq. 9), which
// diverges at the critical line χ₁ = 1.
//
// E[φ(u₁)φ(u₂)] by nested Gaussian quadrature (gaussian_quadrature.h): an outer rule over ξ₁
// graded at φ's feature point, and per outer node an inner rule over ξ₂ graded where u₂ crosses
// it (ξ₂ = −(μ_b/√q + c·ξ₁)/√(1−c²)), so ReLU's kink is a panel edge on both axes.
#include <vector>

#include "core/engine/activation.h"
#include "core/experiment.h"
#include "core/init/init_spec.h"

namespace initscope {

// E[φ(u₁)φ(u₂)] and E[φ'(u₁)φ'(u₂)] for the pair above (q > 0 finite, c in [−1, 1]); c = ±1
// is the one-dimensional integral. NaN for q ≤ 0, q = ∞ or NaN input.
struct PairMoments {
  double cross = 0;        // E[φ(u₁)φ(u₂)]
  double deriv_cross = 0;  // E[φ'(u₁)φ'(u₂)]
};
// Without `with_derivative` only `cross` is taken (half the work; deriv_cross is NaN).
PairMoments pair_moments(const Activation& act, double q, double c, double bias_mean = 0,
                         bool with_derivative = true);

// One step of the c-map at variance q (its own fixed point or not): c^{l+1} as above, with
// q^{l+1} from the variance map. NaN when q ≤ 0 or q is not finite.
double correlation_step(const Activation& act, double sigma_w2, double sigma_b2, double q, double c,
                        double bias_mean = 0);

struct CorrelationFixedPoint {
  double q_star = 0;  // fixed_point()'s (mean_field.h), iterated from q_start
  double chi1 = 0;    // fixed_point()'s
  double c_star = 0;  // the stable fixed point of the c-map at q*
  double chi_c = 0;   // σ_w²·E[φ'φ'] at (q*, c*) — exactly χ₁ when c* = 1
  // −1/ln χ_c layers; +∞ when χ_c ≥ 1 (on the critical line, where the approach to c* is no
  // longer exponential; χ_c > 1 only from rounding there, a stable fixed point has slope ≤ 1);
  // NaN when c* is.
  double xi_c = 0;
};
// The fixed point. c* = 1 when χ₁ ≤ 1 + 1e-9; otherwise the root of c-map(c) = c in [0, 1),
// bisected (the map is increasing in c: its slope χ_c(c)·q*/q* ≥ 0) — 0 when c-map(0) ≤ 0
// (an odd φ without bias: c* = 0). c*, χ_c and ξ_c are NaN when q* is 0 (collapsed: the map is
// 0/0), infinite or NaN: there is no c-map without a finite positive q*.
CorrelationFixedPoint correlation_fixed_point(const Activation& act, double sigma_w2,
                                              double sigma_b2, double bias_mean = 0,
                                              double q_start = 1);

// The per-layer theory of a plain net from layer 1's (q¹, c¹): entries l = 0..layers−1 are
// layer l+1's (q, c), by the pair of recursions above (not assuming q = q*).
struct CorrelationProfile {
  std::vector<double> q, c;
};
CorrelationProfile correlation_profile(const Activation& act, double sigma_w2, double sigma_b2,
                                       double q1, double c1, int layers, double bias_mean = 0);

struct Prediction;  // mean_field.h
// c^l (entry l−1) of a plain column for input pairs x₂ = r·x₁ + √(1−r²)·x′ (x₁, x′ i.i.d. from
// e.input, Simulation::pair_profile's pairs): layer 1 from the input's moments,
//     c¹ = (σ_w²(1)·(r·E[x²] + √(1−r²)·E[x]²) + σ_b²) / q¹,
// then c^{l+1} = correlation_step at layer l+1's σ_w², σ_b² and `p`'s q^l (σ_w² may differ
// per layer). Empty when the theory does not apply (p.caveat) or a bias has a mean (the
// measured cosine is uncentred, the map's c centred: they agree only for E[b] = 0).
std::vector<double> predicted_pair_correlation(const Experiment& e, const InitSpec& spec,
                                               const Prediction& p, double r);

}  // namespace initscope
