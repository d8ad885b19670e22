#pragma once
// Expectations over a standard normal, E_{z~N(0,1)}[f(z)] = ∫ f(z)·e^{−z²/2}/√(2π) dz, by
// Gaussian quadrature — for the mean-field theory (mean_field.h), whose integrands are
// φ(μ + s·z)² and φ'(μ + s·z)²: smooth except at one point z = −μ/s (the kink of ReLU/ELU/SELU,
// the steep step of a saturated tanh/sigmoid when s is large), where they change over a width
// ~1/s.
//
// Why not plain Gauss–Hermite: with n nodes its spacing near 0 is ~π/√n, so a feature narrower
// than that is missed — at s = 10, 128 Hermite nodes get E[tanh'(s·z)²] wrong by 80%, and a
// ReLU kink off the centre (μ ≠ 0) costs 1e-3. Here [−10, 10] is cut into panels that start at
// width min(1, 1/s)/4 around the feature point and double outward (capped at width 1, which
// resolves the Gaussian itself), with an 8-point Gauss–Legendre rule on each panel. A kink at
// the feature point is a panel edge, so piecewise-polynomial integrands are integrated to
// rounding. The tails beyond |z| = 10 hold 1.5e-23 of the mass.
#include <cstddef>
#include <vector>

namespace initscope {

// 1/√(2π): the standard normal density at 0.
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// Nodes z_i and weights w_i (density included): Σ w_i·f(z_i) ≈ E_{z~N(0,1)}[f(z)].
struct NormalRule {
  std::vector<double> nodes, weights;

  template <typename F>
  double expect(F&& f) const {
    double sum = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) sum += weights[i] * f(nodes[i]);
    return sum;
  }
};

// The rule for an integrand with its kink / steepest change at z = `center` over a width
// ~`feature_width` (> 0; the rule is finer than needed for larger widths, never coarser).
// A `center` outside [−10, 10] is clipped to it. About 200 nodes for feature_width = 1,
// 300 for 1e-2, 1000 for 1e-15.
NormalRule normal_rule(double center = 0, double feature_width = 1);
// The same into `rule`, its storage reused (inner integrals of a double integral).
void normal_rule(double center, double feature_width, NormalRule& rule);

// n-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on the Legendre three-term
// recurrence; exact for polynomials of degree ≤ 2n−1). Ascending nodes.
void gauss_legendre(int n, std::vector<double>& nodes, std::vector<double>& weights);

}  // namespace initscope
