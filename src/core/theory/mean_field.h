#pragma once
// Mean-field theory of signal propagation at initialization (Poole et al. 2016, "Exponential
// expressivity in deep neural networks through transient chaos"; Schoenholz et al. 2017, "Deep
// information propagation"): what a wide network's per-layer statistics should be, and whether
// it is ordered, critical or chaotic.
//
// Model: W_l i.i.d. with mean 0 and Var(W) = σ_w²(l)/fan_in(l) (any init maps to its effective
// σ_w²(l) = Var(W)·fan_in); b i.i.d. with mean μ_b and Var(b) = σ_b²; in the wide limit every
// pre-activation z^l is Gaussian N(μ_b, q^l) with
//     q¹  = σ_w²(1)·E[x²] + σ_b²                       (E[x²]: the input's second moment)
//     q^l = σ_w²(l)·E[φ(μ_b + √q^{l−1}·ξ)²] + σ_b²,   ξ ~ N(0, 1), l ≥ 2.
// The classic theory has μ_b = 0; a non-zero bias mean (e.g. constant:val=0.01) only shifts
// the Gaussian, so it is carried along exactly. Expectations by Gaussian quadrature
// (gaussian_quadrature.h).
//
// Deep limit (σ_w² the same in every layer): q^l → q*, the stable fixed point of the variance map
// q ↦ σ_w²·E[φ(μ_b + √q ξ)²] + σ_b², and
//     χ₁ = σ_w²·E[φ'(μ_b + √q* ξ)²],
// the factor by which a small perturbation (and a back-propagated gradient) grows per layer:
// χ₁ < 1 ordered (inputs converge, gradients vanish), χ₁ = 1 critical, χ₁ > 1 chaotic (inputs
// decorrelate, gradients explode). Depth scale ξ = 1/|ln χ₁| layers per factor e.
//
// The prediction is the average over weight draws. One network of width n follows it closely for
// zero-mean activations (tanh: within 1–2% at n = 1000), but with a non-zero activation mean
// (ReLU, sigmoid, a bias mean) each unit carries a fixed offset and the per-layer variance of one
// net wanders by ≈ √(2/n) per layer, compounding with depth (ReLU, n = 1000: ±5% at layer 4,
// ±14% at layer 8) — see tests/unit/test_mean_field.cpp.
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/engine/activation.h"
#include "core/experiment.h"
#include "core/init/init_spec.h"

namespace initscope {

// |χ₁ − 1| below this is "critical" (1e-3: at χ₁ = 0.999 a gradient shrinks by e only after
// 1000 layers).
inline constexpr double kCriticalTolerance = 1e-3;

// E[φ(u)], E[φ(u)²] and E[φ'(u)²] for u ~ N(mu, q) (q = 0: u = mu exactly). q = +∞ gives NaN.
struct ActivationMoments {
  double mean = 0;     // E[φ(u)]
  double second = 0;   // E[φ(u)²]
  double deriv2 = 0;   // E[φ'(u)²]
  double std() const;  // √(E[φ²] − E[φ]²), clamped at 0
};
ActivationMoments activation_moments(const Activation& act, double q, double mu = 0);

// Mean and variance of one value drawn from a non-fan-based spec (input / bias distributions):
// normal (mean, std²); uniform ((a+b)/2, (b−a)²/12); trunc_normal (exact truncated moments);
// constant / zeros / ones (val, 0). Throws UsageError for fan-based specs.
struct ValueMoments {
  double mean = 0, variance = 0;
  double second() const { return mean * mean + variance; }  // E[x²]
};
ValueMoments value_moments(const InitSpec& spec);

// What one layer's init is in the theory's terms.
struct EffectiveInit {
  double sigma_w2 = 0;     // Var(W)·fan_in = weight_std(spec, fan_in, fan_out, act)²·fan_in;
                           // NaN when the scheme has no i.i.d. std (eye)
  double sigma_b2 = 0;     // Var(b); 0 without bias
  double bias_mean = 0;    // E[b]; 0 without bias
  double weight_mean = 0;  // E[W]; the theory assumes 0 (see theory_caveat)
};
// layer is 1-based.
EffectiveInit effective_init(const Experiment& e, const InitSpec& spec, int layer);
// "" when the theory applies; else one sentence why the prediction is not to be trusted
// (weights with non-zero mean, eye).
std::string theory_caveat(const Experiment& e, const InitSpec& spec);

inline constexpr double kNaNPrediction = std::numeric_limits<double>::quiet_NaN();

// The prediction for one layer (pre-activation z ~ N(bias_mean, q), a = φ(z)).
struct LayerPrediction {
  int layer = 0;  // 1-based
  double sigma_w2 = 0;
  double q = 0;  // Var(z) = q^l; preact std = √q
  double preact_std = 0;
  double act_mean = 0;  // E[φ(z)]
  double act_std = 0;   // √(E[φ(z)²] − E[φ(z)]²)
  // Architectures (architecture_theory.h); NaN where the layer has no such value or no theory.
  // Plain columns get only the channel statistics (zero-mean biases): their other numbers and
  // their JSON are the classic ones above, unchanged.
  double normed_std = kNaNPrediction;  // std of the norm's output h (layers with a norm)
  double branch_std = kNaNPrediction;  // std of the branch α·z (residual blocks)
  // Signal propagation (Brock, De & Smith 2021) of the layer's output over a batch of B: the
  // average over channels of the squared channel mean and of the (population) channel
  // variance, and the branch's average channel variance — LayerStats' fields of the same names.
  double channel_sq_mean = kNaNPrediction;
  double channel_var = kNaNPrediction;
  double branch_channel_var = kNaNPrediction;
};

struct FixedPoint {
  double q_star = 0;       // stable fixed point of the variance map; +∞ if q^l grows without
                           // bound ("exploding"); NaN when σ_w² is NaN
  double chi1 = 0;         // σ_w²·E[φ'(μ_b + √q* ξ)²]; for q* = ∞ its limit as q → ∞
  std::string phase;       // "ordered" | "critical" | "chaotic" | "exploding" | "none"
  double depth_scale = 0;  // 1/|ln χ₁| layers (+∞ at χ₁ = 1). For χ₁ < 1 this is the
                           // correlation depth scale ξ_c of Schoenholz et al. (c* = 1 there);
                           // for χ₁ > 1 the layers over which gradients grow by e.
};

// The fixed point reached by iterating the variance map from q_start (> 0). The map is
// increasing in q for every activation here, so the iteration moves monotonically to the first
// fixed point in its direction; that root is bracketed (doubling/halving q) and bisected.
// q* = 0 when the iteration collapses (e.g. tanh, σ_b² = 0, σ_w² ≤ 1); q* = +∞ when it grows
// past 1e30. Phase: |χ₁ − 1| < kCriticalTolerance "critical" (also when q* = ∞, e.g. ReLU at
// σ_w² = 2 with a bias: q grows only linearly); else q* = ∞ "exploding"; else χ₁ < 1
// "ordered", χ₁ > 1 "chaotic". σ_w² NaN: "none".
FixedPoint fixed_point(const Activation& act, double sigma_w2, double sigma_b2,
                       double bias_mean = 0, double q_start = 1);

// The σ_w² with χ₁(σ_w², σ_b²) = 1 (bisection; χ₁ increases with σ_w²) — the critical line of
// the phase diagram. ReLU: 2 for every σ_b²; linear: 1; tanh: 1 at σ_b² = 0, 1.7609 at 0.05.
// NaN if χ₁ stays below 1 up to σ_w² = 1e6.
double critical_sigma_w2(const Activation& act, double sigma_b2, double bias_mean = 0);

// The phase diagram: χ₁ on a grid of (σ_w², σ_b²) with μ_b = 0. To be fast (100×100 in
// 40–120 ms on one core), E[φ²] and E[φ'²] are tabulated once per call on 100 points per
// decade of q in [1e-10, 1e10] and interpolated (cubic in log-log): χ₁ agrees with
// fixed_point() to 1e-7 and the critical line with critical_sigma_w2() to 1e-5 (tested).
// q* > 1e10 counts as ∞ here.
struct GridAxis {
  double lo = 0, hi = 1;
  int n = 2;  // samples, lo and hi included
  double value(int i) const { return n > 1 ? lo + (hi - lo) * i / (n - 1) : lo; }
};
struct PhaseGrid {
  GridAxis sigma_w2, sigma_b2;
  std::vector<double> chi1;  // chi1[ib·sigma_w2.n + iw] at (sigma_w2.value(iw), sigma_b2.value(ib))
  std::vector<double> q_star;             // same layout; +∞ where exploding
  std::vector<double> critical_sigma_w2;  // per σ_b² sample (the critical line); NaN if none
};
PhaseGrid phase_grid(const Activation& act, const GridAxis& sigma_w2, const GridAxis& sigma_b2);

// The whole prediction for one column of an experiment.
struct Prediction {
  EffectiveInit init;  // of the last layer (the deep limit uses its σ_w²)
  std::vector<LayerPrediction> layers;
  FixedPoint fixed;    // iterated from the last layer's q (architectures: phase "none")
  std::string caveat;  // theory_caveat()
  // The column's architecture; not plain: the layers come from architecture_theory.h (q is
  // Var(z) of the linear output, act_* the layer's output — the stream in residual nets).
  Architecture arch;
  // Backward: the factor by which E‖dL/dA‖² grows per layer towards the input (plain BatchNorm
  // ReLU nets: π/(π−1)); NaN with `grad_note` saying why there is none.
  double grad_sq_growth = kNaNPrediction;
  std::string grad_note;
};
// signal_propagation = false leaves a plain column's channel statistics NaN (their 2-D
// quadrature per layer is most of its cost; only the signal plot draws them).
Prediction predict(const Experiment& e, const InitSpec& spec, bool signal_propagation = true);

// q^l for l = 1..L (predict(e, spec).layers[l−1].q).
std::vector<double> predicted_preact_variance(const Experiment& e, const InitSpec& spec);

// {"sigma_w2", "sigma_b2", "bias_mean", "q_star", "chi1", "phase", "depth_scale", "note",
//  "layers": [{"layer", "sigma_w2", "q", "preact_std", "act_mean", "act_std"}]}
// Architectures (not plain) add "architecture" (Architecture::summary), "grad_sq_growth" and
// "grad_note" before "layers", and per layer "normed_std", "branch_std", "channel_sq_mean",
// "channel_var", "branch_channel_var"; plain columns' JSON is the classic one.
// Infinite / undefined numbers (q_star of an exploding net, depth_scale at criticality, eye)
// are written as null. "note" is the caveat ("" when the theory applies).
nlohmann::ordered_json theory_json(const Prediction& p);
nlohmann::ordered_json theory_json(const Experiment& e, const InitSpec& spec);

}  // namespace initscope
