// The correlation map (core/theory/correlation_map.h) against independent references: a naive
// 2-D trapezoid rule in double, ReLU's arc-cosine kernel (Cho & Saul 2009), the c-map's
// derivative by finite differences, the published coincidence of the order/chaos boundary
// χ₁ = 1 with χ_c(c* = 1) = 1 (Schoenholz et al. 2017), and the measured pair correlations of
// a wide network (Simulation::pair_profile).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/simulation.h"
#include "core/sweeps/sweep_row.h"
#include "core/theory/correlation_map.h"
#include "core/theory/mean_field.h"

using namespace initscope;

namespace {

constexpr double kCorrPi = 3.14159265358979323846;

// E[φ(u₁)φ(u₂)] and E[φ'(u₁)φ'(u₂)] by the trapezoid rule on [−9, 9]² with n² points: the
// obvious way, in double (spectrally accurate for smooth φ and the Gaussian weight).
PairMoments naive_pair_moments(const Activation& act, double q, double c, int n = 1600) {
  const double h = 18.0 / n, s = std::sqrt(q), r = std::sqrt(1 - c * c);
  PairMoments m;
  for (int i = 0; i <= n; ++i) {
    const double x = -9 + i * h, wx = std::exp(-0.5 * x * x) * (i == 0 || i == n ? 0.5 : 1);
    const double u1 = s * x, a1 = act.apply(u1), d1 = act.derivative(u1);
    for (int j = 0; j <= n; ++j) {
      const double y = -9 + j * h, w = wx * std::exp(-0.5 * y * y) * (j == 0 || j == n ? 0.5 : 1);
      const double u2 = s * (c * x + r * y);
      m.cross += w * a1 * act.apply(u2);
      m.deriv_cross += w * d1 * act.derivative(u2);
    }
  }
  const double norm = h * h / (2 * kCorrPi);
  m.cross *= norm;
  m.deriv_cross *= norm;
  return m;
}

// ReLU: E[φ(u₁)φ(u₂)] = q/(2π)·(sin θ + (π − θ)·cos θ), E[φ'φ'] = (π − θ)/(2π), θ = arccos c.
PairMoments relu_arc_cosine(double q, double c) {
  const double t = std::acos(c);
  return {q / (2 * kCorrPi) * (std::sin(t) + (kCorrPi - t) * c), (kCorrPi - t) / (2 * kCorrPi)};
}

}  // namespace

TEST(CorrelationMap, PairMomentsMatchNaiveQuadratureForSmoothActivations) {
  double worst = 0;
  for (const char* name : {"tanh", "sigmoid", "gelu", "swish"}) {
    const Activation act = Activation::parse(name);
    for (double q : {0.3, 1.0, 4.0}) {
      for (double c : {-0.7, 0.0, 0.45, 0.9}) {
        const PairMoments got = pair_moments(act, q, c), ref = naive_pair_moments(act, q, c);
        const double d = std::max(std::fabs(got.cross - ref.cross),
                                  std::fabs(got.deriv_cross - ref.deriv_cross));
        worst = std::max(worst, d);
        EXPECT_LT(d, 1e-9) << name << " q=" << q << " c=" << c;
      }
    }
  }
  std::printf("pair moments vs naive 2-D trapezoid: worst difference %.3g\n", worst);
}

TEST(CorrelationMap, ReluMatchesTheArcCosineKernel) {
  const Activation relu = Activation::parse("relu");
  double worst = 0;
  for (double q : {0.1, 1.0, 7.0}) {
    for (double c : {-0.99, -0.5, 0.0, 0.3, 0.8, 0.999, 1.0}) {
      const PairMoments got = pair_moments(relu, q, c), ref = relu_arc_cosine(q, c);
      const double d = std::max(std::fabs(got.cross - ref.cross) / q,
                                std::fabs(got.deriv_cross - ref.deriv_cross));
      worst = std::max(worst, d);
      EXPECT_LT(d, 1e-11) << "q=" << q << " c=" << c;
    }
  }
  std::printf("ReLU vs arc-cosine kernel: worst difference %.3g\n", worst);
}

TEST(CorrelationMap, ReluFixedPointAndDepthScaleInClosedForm) {
  const Activation relu = Activation::parse("relu");
  // σ_w² = 1.5, σ_b² = 0.1: q* = σ_b²/(1 − σ_w²/2) = 0.4, χ₁ = σ_w²/2 = 0.75, c* = 1,
  // ξ_c = −1/ln 0.75; the c-map is the arc-cosine kernel's.
  const CorrelationFixedPoint f = correlation_fixed_point(relu, 1.5, 0.1);
  EXPECT_NEAR(f.q_star, 0.4, 1e-12);
  EXPECT_NEAR(f.chi1, 0.75, 1e-12);
  EXPECT_EQ(f.c_star, 1.0);
  EXPECT_NEAR(f.chi_c, 0.75, 1e-12);
  EXPECT_NEAR(f.xi_c, -1 / std::log(0.75), 1e-10);
  double worst = 0;
  for (double c : {0.0, 0.2, 0.5, 0.9}) {
    const double ref = (1.5 * relu_arc_cosine(0.4, c).cross + 0.1) / 0.4;
    worst = std::max(worst, std::fabs(correlation_step(relu, 1.5, 0.1, 0.4, c) - ref));
  }
  EXPECT_LT(worst, 1e-12);
  std::printf("ReLU c-map vs closed form: worst difference %.3g\n", worst);
  // Criticality σ_w² = 2, σ_b² = 0: c* = 1, χ_c = 1, ξ_c infinite.
  const CorrelationFixedPoint crit = correlation_fixed_point(relu, 2, 0);
  EXPECT_EQ(crit.c_star, 1.0);
  EXPECT_NEAR(crit.chi_c, 1, 1e-12);
  EXPECT_TRUE(std::isinf(crit.xi_c));
}

TEST(CorrelationMap, ChiCIsTheSlopeOfTheMapAtItsFixedPoint) {
  // Chaotic tanh (σ_w² = 4, σ_b² = 0.05): c* < 1 is a fixed point and χ_c = σ_w²·E[φ'φ'] is
  // dc^{l+1}/dc^l there (Price's theorem) — checked by a central difference in double.
  const Activation tanh_act = Activation::parse("tanh");
  const CorrelationFixedPoint f = correlation_fixed_point(tanh_act, 4, 0.05);
  ASSERT_GT(f.chi1, 1);
  ASSERT_LT(f.c_star, 1);
  EXPECT_NEAR(correlation_step(tanh_act, 4, 0.05, f.q_star, f.c_star), f.c_star, 1e-11);
  const double h = 1e-4;
  const double slope = (correlation_step(tanh_act, 4, 0.05, f.q_star, f.c_star + h) -
                        correlation_step(tanh_act, 4, 0.05, f.q_star, f.c_star - h)) /
                       (2 * h);
  EXPECT_NEAR(f.chi_c, slope, 1e-7);
  EXPECT_NEAR(f.xi_c, -1 / std::log(f.chi_c), 1e-12);
  std::printf("tanh σ_w²=4 σ_b²=0.05: c* = %.10f, χ_c = %.10f, central difference %.10f\n",
              f.c_star, f.chi_c, slope);
}

TEST(CorrelationMap, TanhOrderChaosBoundaryIsWhereXiCDiverges) {
  // Schoenholz et al. (2017): the boundary χ₁ = 1 is where c* = 1 stops being stable and
  // χ_c(c*) reaches 1, so ξ_c diverges there from both sides.
  const Activation tanh_act = Activation::parse("tanh");
  for (double b2 : {0.01, 0.05, 0.2}) {
    const double crit = critical_sigma_w2(tanh_act, b2);
    const CorrelationFixedPoint at = correlation_fixed_point(tanh_act, crit, b2);
    EXPECT_NEAR(at.chi_c, 1, 1e-6) << "σ_b² = " << b2;
    EXPECT_GT(at.xi_c, 1e5) << "σ_b² = " << b2;
    double below_prev = 0, above_prev = 0;
    for (double eps : {0.3, 0.1, 0.03, 0.01}) {
      const CorrelationFixedPoint below = correlation_fixed_point(tanh_act, crit - eps, b2);
      const CorrelationFixedPoint above = correlation_fixed_point(tanh_act, crit + eps, b2);
      EXPECT_EQ(below.c_star, 1.0) << "ordered side, σ_w² = " << crit - eps;
      EXPECT_LT(above.c_star, 1.0) << "chaotic side, σ_w² = " << crit + eps;
      EXPECT_GT(below.xi_c, below_prev);  // growing towards the boundary
      EXPECT_GT(above.xi_c, above_prev);
      below_prev = below.xi_c;
      above_prev = above.xi_c;
    }
    std::printf("tanh σ_b²=%.2f: critical σ_w² %.6f, ξ_c at ±0.01: %.1f / %.1f layers\n", b2, crit,
                below_prev, above_prev);
  }
}

TEST(CorrelationMap, NoCMapWithoutAFiniteFixedPoint) {
  // tanh, σ_b² = 0, σ_w² < 1: q* = 0 (collapsed): c* and ξ_c NaN, documented.
  const CorrelationFixedPoint f = correlation_fixed_point(Activation::parse("tanh"), 0.5, 0);
  EXPECT_EQ(f.q_star, 0);
  EXPECT_TRUE(std::isnan(f.c_star));
  EXPECT_TRUE(std::isnan(f.xi_c));
  EXPECT_TRUE(std::isnan(pair_moments(Activation::parse("tanh"), 0, 0.5).cross));
}

namespace {

Experiment wide_pair_experiment(double w2, double b2, int layers) {
  Experiment e;
  e.activation = Activation::parse("tanh");
  e.layers = layers;
  e.widths = {1000};
  e.batch = 200;  // 100 pairs
  e.seed = 7;
  char spec[96];
  std::snprintf(spec, sizeof spec,
                "variance_scaling:scale=%.17g,mode=fan_in,distribution=untruncated_normal", w2);
  e.inits = {InitSpec::parse(spec)};
  std::snprintf(spec, sizeof spec, "normal:std=%.17g", std::sqrt(b2));
  e.bias = InitSpec::parse(spec, "--bias");
  return e;
}

}  // namespace

TEST(CorrelationMap, MeasuredPairCorrelationFollowsTheMapInAWideNet) {
  // Width 1000, 100 pairs, seed 7: per layer |c_measured − c_theory| < 0.02 and the relative
  // error of q below 5% (one network: its weights' own fluctuation is ~1/√n per layer).
  for (double w2 : {1.5, 3.0}) {
    const double b2 = 0.05, r = 0.5;
    Simulation sim(wide_pair_experiment(w2, b2, 12));
    const Simulation::PairProfile m = sim.pair_profile(0, r);
    const double q1 = w2 + b2, c1 = (w2 * r + b2) / q1;  // input N(0, 1): E[x₁·x₂]/d0 = r
    const CorrelationProfile t = correlation_profile(Activation::parse("tanh"), w2, b2, q1, c1, 12);
    double worst_c = 0, worst_q = 0;
    for (size_t l = 0; l < m.c.size(); ++l) {
      worst_c = std::max(worst_c, std::fabs(m.c[l] - t.c[l]));
      worst_q = std::max(worst_q, std::fabs(m.q[l] - t.q[l]) / t.q[l]);
    }
    EXPECT_LT(worst_c, 0.02) << "σ_w² = " << w2;
    EXPECT_LT(worst_q, 0.05) << "σ_w² = " << w2;
    std::printf("σ_w²=%.1f width 1000: worst |Δc| %.4f, worst |Δq|/q %.4f over 12 layers\n", w2,
                worst_c, worst_q);
  }
}

TEST(CorrelationMap, MeasuredDepthScaleAwayFromCriticality) {
  // Ordered (σ_w² = 1.2) and chaotic (σ_w² = 3.5) tanh with σ_b² = 0.05, width 1000, seed 7:
  // the fitted ξ_c within 25% of the theory's (the fit also sees the first layers' transient
  // and one network's fluctuations).
  const Activation tanh_act = Activation::parse("tanh");
  for (double w2 : {1.2, 3.5}) {
    const double b2 = 0.05;
    Simulation sim(wide_pair_experiment(w2, b2, 30));
    const Simulation::PairProfile m = sim.pair_profile(0, 0.5);
    const CorrelationFixedPoint f = correlation_fixed_point(tanh_act, w2, b2, 0, w2 + b2);
    const double xi = fit_correlation_depth(m.c, f.c_star, 1000);
    EXPECT_NEAR(xi / f.xi_c, 1, 0.25) << "σ_w² = " << w2;
    std::printf("σ_w²=%.1f: ξ_c theory %.3f, measured %.3f (ratio %.3f)\n", w2, f.xi_c, xi,
                xi / f.xi_c);
  }
}

TEST(CorrelationMap, DepthFitRule) {
  // An exact exponential Δ_l = 0.4·e^{−l/5} around c* = 1 is fitted exactly; fewer than 3
  // layers above the floor give NaN; a constant gap gives +∞.
  std::vector<double> c;
  for (int l = 1; l <= 20; ++l) c.push_back(1 - 0.4 * std::exp(-l / 5.0));
  EXPECT_NEAR(fit_correlation_depth(c, 1, 1000), 5, 1e-9);
  EXPECT_TRUE(std::isnan(fit_correlation_depth({0.5, 0.99999999}, 1, 1000)));
  EXPECT_TRUE(std::isinf(fit_correlation_depth({0.5, 0.5, 0.5, 0.5}, 1, 1000)));
  EXPECT_TRUE(std::isnan(fit_correlation_depth(c, std::nan(""), 1000)));
}

TEST(CorrelationMap, SnapshotCarriesThePairLineOfPlainColumns) {
  // The depth profiles' pair line: 16 pairs (SimulationOutputs' default) of width 1000, σ_w² =
  // 1.5 and 3, σ_b² = 0.05, 12 layers: measured c^l within 0.03 of the c-map's (one network,
  // 16 pairs: (1 − c²)/√(16·1000) ≈ 0.006 of sampling, plus the weights' own fluctuation); a
  // residual column beside them gets no line and a note; without pair_correlation, no pairs.
  Experiment e = wide_pair_experiment(1.5, 0.05, 12);
  e.inits.push_back(e.inits.front());
  e.inits.push_back(InitSpec::parse("xavier_normal:residual=pre"));
  const Snapshot s = Simulation::run(e);
  ASSERT_EQ(s.pairs.size(), 3u);
  EXPECT_EQ(s.pair_count, 16);
  double worst = 0;
  for (size_t c = 0; c < 2; ++c) {
    ASSERT_EQ(s.pairs[c].measured.size(), 12u);
    ASSERT_EQ(s.pairs[c].predicted.size(), 12u);
    for (size_t l = 0; l < 12; ++l)
      worst = std::max(worst, std::fabs(s.pairs[c].measured[l] - s.pairs[c].predicted[l]));
  }
  EXPECT_LT(worst, 0.03);
  std::printf("pair line, 16 pairs, width 1000: worst |c measured − c-map| %.4f\n", worst);
  EXPECT_TRUE(s.pairs[2].measured.empty());
  EXPECT_EQ(s.pairs[2].note, "not measured for residual networks");
  // The first pairs are the same whatever their number: layer 1 of 16 pairs against all 100.
  Experiment plain = wide_pair_experiment(1.5, 0.05, 3);
  Simulation sim(plain);
  const double all = sim.pair_profile(0, 0.5).c[0], first16 = sim.pair_profile(0, 0.5, 16).c[0];
  EXPECT_NEAR(all, first16, 0.03);
  SimulationOutputs none;
  none.pair_correlation = false;
  EXPECT_TRUE(Simulation::run(plain, none).pairs.empty());
}

// The pairs are rows 2i and 2i + 1 of the pass's row panels (Simulation's add_pair_moments
// reads them packed): starting correlation 1 makes them the same input, −1 each other's
// negative, and tanh without bias keeps that through every layer — c^l = ±1 to rounding for
// all 100 pairs (13 row panels, the last one partial), which any mixed-up row would break.
TEST(CorrelationMap, PairRowsStayPairedThroughThePanels) {
  Experiment e = wide_pair_experiment(1.5, 0.05, 6);
  e.bias.reset();
  e.widths = {130};
  e.batch = 200;
  Simulation sim(e);
  double worst = 0;
  for (double r : {1.0, -1.0}) {
    const Simulation::PairProfile m = sim.pair_profile(0, r);
    ASSERT_EQ(m.c.size(), 6u);
    for (double c : m.c) worst = std::max(worst, std::fabs(c - r));
    for (double q : m.q) EXPECT_GT(q, 0);
  }
  std::printf("pairs of equal / opposite inputs: worst |c - (+-1)| %.3g\n", worst);
  EXPECT_LT(worst, 1e-12);
}

TEST(CorrelationMap, NoPredictionPastFloatRange) {
  // ReLU at N(0, 1), width 100: q grows by σ_w²/2 = 50 a layer and passes float's range
  // (3.4e38) near layer 23 — the c-map's prediction stops there (NaN) instead of grading its
  // quadrature down to the kink's width 1/√q (106 s for 200 layers before), and stays finite
  // before it.
  Experiment e;
  e.activation = Activation::parse("relu");
  e.layers = 200;
  e.widths = {100};
  e.batch = 50;
  e.inits = {InitSpec::parse("normal:std=1")};
  const Prediction p = predict(e, e.inits[0], false);
  const std::vector<double> c = predicted_pair_correlation(e, e.inits[0], p, 0.5);
  ASSERT_EQ(c.size(), 200u);
  size_t first_nan = c.size();
  for (size_t l = 0; l < c.size(); ++l)
    if (std::isnan(c[l]) && first_nan == c.size()) first_nan = l;
  std::printf("first layer without a prediction: %zu (q there %.3g)\n", first_nan + 1,
              p.layers[first_nan - 1].q);
  ASSERT_GT(first_nan, 5u);
  ASSERT_LT(first_nan, 40u);
  for (size_t l = 0; l < first_nan; ++l) EXPECT_TRUE(c[l] > 0 && c[l] <= 1 + 1e-12) << l;
  for (size_t l = first_nan; l < c.size(); ++l) EXPECT_TRUE(std::isnan(c[l])) << l;
  EXPECT_GE(p.layers[first_nan - 1].q, 3.4e38);
}
