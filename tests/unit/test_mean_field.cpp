// Mean-field theory (core/mean_field.h) and its quadrature (core/gaussian_quadrature.h):
// closed forms, exact recursions (ReLU, linear), the published tanh critical point, the phase
// grid against the exact solver, and the prediction against wide simulated networks.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/simulation.h"
#include "core/theory/gaussian_quadrature.h"
#include "core/theory/mean_field.h"

using namespace initscope;

namespace {

constexpr double kPi = 3.14159265358979323846;

double rel_err(double x, double ref) {
  return std::fabs(x - ref) / std::fabs(ref);
}

Experiment mean_field_experiment(const std::string& act, int layers, int width, int batch,
                                 const std::string& init, const std::string& bias = "",
                                 uint64_t seed = 1) {
  Experiment e;
  e.activation = Activation::parse(act);
  e.layers = layers;
  e.widths = {width};
  e.batch = batch;
  e.seed = seed;
  e.inits = {InitSpec::parse(init)};
  if (!bias.empty()) e.bias = InitSpec::parse(bias, "--bias");
  return e;
}

double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2 * kPi);
}

}  // namespace

// ---- quadrature --------------------------------------------------------------------------

TEST(GaussianQuadrature, LegendreIsExactForDegree2nMinus1) {
  std::vector<double> x, w;
  double worst = 0;
  for (int n : {1, 2, 5, 8, 16}) {
    gauss_legendre(n, x, w);
    for (int k = 0; k <= 2 * n - 1; ++k) {
      double sum = 0;
      for (int i = 0; i < n; ++i) sum += w[i] * std::pow(x[i], k);
      const double exact = k % 2 ? 0.0 : 2.0 / (k + 1);
      worst = std::max(worst, std::fabs(sum - exact));
      EXPECT_NEAR(sum, exact, 1e-14) << "n=" << n << " ∫x^" << k;
    }
  }
  std::printf("Gauss-Legendre: worst error on monomials %.3g\n", worst);
}

TEST(GaussianQuadrature, NormalMomentsAndCosine) {
  const NormalRule r = normal_rule();
  const struct {
    const char* what;
    double got, exact;
  } cases[] = {
      {"E[1]", r.expect([](double) { return 1.0; }), 1.0},
      {"E[z^2]", r.expect([](double z) { return z * z; }), 1.0},
      {"E[z^4]", r.expect([](double z) { return z * z * z * z; }), 3.0},
      {"E[z^6]", r.expect([](double z) { return std::pow(z, 6); }), 15.0},
      {"E[cos z]", r.expect([](double z) { return std::cos(z); }), std::exp(-0.5)},
      {"E[|z|]", r.expect([](double z) { return std::fabs(z); }), std::sqrt(2 / kPi)},
      {"E[e^z]", r.expect([](double z) { return std::exp(z); }), std::exp(0.5)},
  };
  double worst = 0;
  for (const auto& c : cases) {
    const double err = rel_err(c.got, c.exact);
    worst = std::max(worst, err);
    EXPECT_LT(err, 1e-13) << c.what << " = " << c.got << ", exact " << c.exact;
  }
  std::printf("normal_rule (%zu nodes): worst relative error %.3g\n", r.nodes.size(), worst);
  // Oscillation is not what the rule is built for (panels up to width 1, 8 points each):
  // cos 3z still comes out to 2e-11.
  const double cos3 = r.expect([](double z) { return std::cos(3 * z); });
  EXPECT_LT(rel_err(cos3, std::exp(-4.5)), 1e-10) << "E[cos 3z] = " << cos3;
}

// Integrands with a feature of width 1/s at ξ = −a/s, as φ(a + s·ξ) has; closed forms:
// E[Φ(a+sξ)] = Φ(a/√(1+s²)); E[ϕ(a+sξ)] = ϕ(a/√(1+s²))/√(1+s²);
// E[max(a+sξ, 0)²] = (a²+s²)Φ(a/s) + a·s·ϕ(a/s).
TEST(GaussianQuadrature, SharpAndKinkedIntegrands) {
  double worst = 0;
  for (double s : {0.1, 1.0, 3.0, 10.0, 100.0, 1e4, 1e8}) {
    for (double a : {0.0, 0.3, -2.0, 7.0}) {
      const NormalRule r = normal_rule(-a / s, 1 / s);
      const double r1 = std::sqrt(1 + s * s);
      const double cdf = r.expect([&](double z) { return normal_cdf(a + s * z); });
      const double pdf = r.expect([&](double z) { return normal_pdf(a + s * z); });
      const double relu2 = r.expect([&](double z) {
        const double u = std::max(a + s * z, 0.0);
        return u * u;
      });
      const double e1 = std::fabs(cdf - normal_cdf(a / r1));
      const double e2 = rel_err(pdf, normal_pdf(a / r1) / r1);
      const double ref3 = (a * a + s * s) * normal_cdf(a / s) + a * s * normal_pdf(a / s);
      // Where the whole integral lies beyond |ξ| = 10 (< 1e-23), only the absolute error counts.
      const double e3 = ref3 > 1e-20 ? rel_err(relu2, ref3) : std::fabs(relu2 - ref3);
      worst = std::max({worst, e1, e2, e3});
      EXPECT_LT(e1, 1e-13) << "E[Phi(" << a << " + " << s << " z)]";
      EXPECT_LT(e2, 1e-10) << "E[pdf(" << a << " + " << s << " z)]";
      EXPECT_LT(e3, 1e-13) << "E[relu(" << a << " + " << s << " z)^2]";
    }
  }
  std::printf("normal_rule on sharp/kinked integrands: worst error %.3g\n", worst);
}

// ---- inputs and biases ---------------------------------------------------------------------

TEST(MeanField, ValueMomentsOfDistributions) {
  auto m = [](const std::string& s) { return value_moments(InitSpec::parse(s, "--input")); };
  EXPECT_DOUBLE_EQ(m("normal:std=2,mean=0.5").mean, 0.5);
  EXPECT_DOUBLE_EQ(m("normal:std=2,mean=0.5").variance, 4);
  EXPECT_DOUBLE_EQ(m("normal:std=2,mean=0.5").second(), 4.25);
  EXPECT_DOUBLE_EQ(m("uniform:a=-1,b=3").mean, 1);
  EXPECT_DOUBLE_EQ(m("uniform:a=-1,b=3").variance, 16.0 / 12);
  // (a² + ab + b²)/3 for U(a, b).
  EXPECT_NEAR(m("uniform:a=-1,b=3").second(), (1.0 - 3 + 9) / 3, 1e-15);
  EXPECT_DOUBLE_EQ(m("constant:val=0.1").mean, 0.1);
  EXPECT_DOUBLE_EQ(m("constant:val=0.1").variance, 0);
  EXPECT_DOUBLE_EQ(m("zeros").second(), 0);
  // Half-normal: N(0, σ²) cut to [0, 40σ]: mean σ√(2/π), variance σ²(1 − 2/π).
  const ValueMoments h = m("trunc_normal:mean=0,std=0.5,a=0,b=20");
  EXPECT_NEAR(h.mean, 0.5 * std::sqrt(2 / kPi), 1e-12);
  EXPECT_NEAR(h.variance, 0.25 * (1 - 2 / kPi), 1e-12);
  EXPECT_THROW(value_moments(InitSpec::parse("kaiming_normal")), UsageError);
}

TEST(MeanField, EffectiveInitPerLayer) {
  Experiment e =
      mean_field_experiment("tanh", 3, 100, 10, "xavier_normal:gain=1.2", "uniform:a=-0.3,b=0.5");
  e.widths = {200, 50, 80};
  e.input_dim = 30;
  for (int l = 1; l <= 3; ++l) {
    const EffectiveInit init = effective_init(e, e.inits[0], l);
    const double fi = e.fan_in(l), fo = e.width(l);
    EXPECT_NEAR(init.sigma_w2, 1.44 * 2 * fi / (fi + fo), 1e-12) << "layer " << l;
    EXPECT_NEAR(init.sigma_b2, 0.64 / 12, 1e-15);
    EXPECT_NEAR(init.bias_mean, 0.1, 1e-15);
    EXPECT_EQ(init.weight_mean, 0);
  }
  // Orthogonal: σ_w² = gain² when fan_in ≥ fan_out, gain²·fan_in/fan_out otherwise.
  EXPECT_NEAR(effective_init(e, InitSpec::parse("orthogonal:gain=2"), 2).sigma_w2, 4, 1e-12);
  EXPECT_NEAR(effective_init(e, InitSpec::parse("orthogonal:gain=2"), 3).sigma_w2, 4 * 50.0 / 80,
              1e-12);
  EXPECT_TRUE(std::isnan(effective_init(e, InitSpec::parse("eye"), 2).sigma_w2));
}

// ---- exact recursions ----------------------------------------------------------------------

// ReLU: E[relu(√q ξ)²] = q/2, so q^l = σ_w²/2·q^{l−1} + σ_b² exactly; act mean √(q/2π), act
// std √(q/2 − q/2π). Non-square layers exercise the per-layer σ_w².
TEST(MeanField, ReluRecursionIsExact) {
  Experiment e =
      mean_field_experiment("relu", 12, 300, 10, "kaiming_normal:a=0.7", "normal:std=0.3");
  e.widths = {300, 400, 250, 300, 300, 300, 300, 300, 300, 300, 300, 300};
  e.input = InitSpec::parse("uniform:a=-1,b=2", "--input");
  const Prediction p = predict(e, e.inits[0]);
  ASSERT_EQ(p.layers.size(), 12u);
  double worst = 0, q_prev = 0;
  for (const LayerPrediction& lp : p.layers) {
    const double w2 = effective_init(e, e.inits[0], lp.layer).sigma_w2;
    EXPECT_NEAR(w2, 2 / (1 + 0.49), 1e-12);                // kaiming: gain²·fan_in/fan_in
    const double expect = lp.layer == 1 ? w2 * 1.0 + 0.09  // E[x²] of U(−1, 2) = (1−2+4)/3
                                        : w2 / 2 * q_prev + 0.09;
    const double mean = std::sqrt(lp.q / (2 * kPi));
    const double std = std::sqrt(lp.q / 2 - lp.q / (2 * kPi));
    worst = std::max(
        {worst, rel_err(lp.q, expect), rel_err(lp.act_mean, mean), rel_err(lp.act_std, std)});
    EXPECT_LT(rel_err(lp.q, expect), 1e-10) << "layer " << lp.layer;
    EXPECT_LT(rel_err(lp.act_mean, mean), 1e-10) << "layer " << lp.layer;
    EXPECT_LT(rel_err(lp.act_std, std), 1e-10) << "layer " << lp.layer;
    EXPECT_DOUBLE_EQ(lp.preact_std, std::sqrt(lp.q));
    q_prev = lp.q;
  }
  std::printf("relu recursion: worst relative error %.3g\n", worst);
  const std::vector<double> q = predicted_preact_variance(e, e.inits[0]);
  ASSERT_EQ(q.size(), 12u);
  EXPECT_EQ(q[5], p.layers[5].q);
}

// A non-zero bias mean shifts the Gaussian: for ReLU with z ~ N(μ, q),
// E[relu(z)²] = (μ² + q)Φ(μ/√q) + μ√q·ϕ(μ/√q).
TEST(MeanField, ReluWithBiasMeanMatchesClosedForm) {
  const Experiment e =
      mean_field_experiment("relu", 6, 100, 10, "kaiming_normal", "normal:mean=0.2,std=0.1");
  const Prediction p = predict(e, e.inits[0]);
  double worst = 0;
  for (size_t l = 1; l < p.layers.size(); ++l) {
    const double q = p.layers[l - 1].q, s = std::sqrt(q), mu = 0.2;
    const double second = (mu * mu + q) * normal_cdf(mu / s) + mu * s * normal_pdf(mu / s);
    const double expect = 2 * second + 0.01;
    worst = std::max(worst, rel_err(p.layers[l].q, expect));
    EXPECT_LT(rel_err(p.layers[l].q, expect), 1e-12) << "layer " << l + 1;
  }
  std::printf("relu with bias mean: worst relative error %.3g\n", worst);
}

TEST(MeanField, LinearRecursionIsExact) {
  const Experiment e =
      mean_field_experiment("linear", 10, 200, 10, "normal:std=0.08", "normal:std=0.5");
  const Prediction p = predict(e, e.inits[0]);
  const double w2 = 0.0064 * 200;
  double q = w2 * 1 + 0.25, worst = 0;
  for (const LayerPrediction& lp : p.layers) {
    worst = std::max(worst, rel_err(lp.q, q));
    EXPECT_LT(rel_err(lp.q, q), 1e-13) << "layer " << lp.layer;
    EXPECT_LT(rel_err(lp.act_std, std::sqrt(q)), 1e-13);
    // E[√q·z] = 0: the quadrature's round-off over its nodes, ≲ 1e-14·√q in every build.
    EXPECT_NEAR(lp.act_mean, 0, 1e-14 * std::sqrt(q));
    q = w2 * q + 0.25;
  }
  std::printf("linear recursion: worst relative error %.3g\n", worst);
  // Fixed point σ_b²/(1 − σ_w²) and χ₁ = σ_w² (ordered).
  const FixedPoint fp = fixed_point(Activation::parse("linear"), 0.5, 0.25);
  EXPECT_NEAR(fp.q_star, 0.5, 1e-13);
  EXPECT_NEAR(fp.chi1, 0.5, 1e-14);
  EXPECT_EQ(fp.phase, "ordered");
  EXPECT_NEAR(fp.depth_scale, 1 / std::log(2.0), 1e-12);
  EXPECT_NEAR(critical_sigma_w2(Activation::parse("linear"), 0.3), 1, 1e-10);
}

// ---- fixed points and phases -----------------------------------------------------------

TEST(MeanField, ReluIsCriticalAtSigmaW2Two) {
  const Activation relu = Activation::parse("relu");
  const FixedPoint crit = fixed_point(relu, 2, 0);
  EXPECT_NEAR(crit.chi1, 1, 1e-14);
  EXPECT_EQ(crit.phase, "critical");
  EXPECT_TRUE(std::isinf(crit.depth_scale) || crit.depth_scale > 1e12);
  // σ_w² < 2: q* = σ_b²/(1 − σ_w²/2), χ₁ = σ_w²/2 (also at q* = 0: the q → 0⁺ limit).
  const FixedPoint ord = fixed_point(relu, 1.5, 0.1);
  EXPECT_NEAR(ord.q_star, 0.1 / 0.25, 1e-12);
  EXPECT_NEAR(ord.chi1, 0.75, 1e-14);
  EXPECT_EQ(ord.phase, "ordered");
  const FixedPoint collapsed = fixed_point(relu, 1.5, 0);
  EXPECT_EQ(collapsed.q_star, 0);
  EXPECT_NEAR(collapsed.chi1, 0.75, 1e-14);
  // σ_w² > 2: the variance grows without bound.
  const FixedPoint boom = fixed_point(relu, 2.5, 0);
  EXPECT_TRUE(std::isinf(boom.q_star));
  EXPECT_NEAR(boom.chi1, 1.25, 1e-14);
  EXPECT_EQ(boom.phase, "exploding");
  // σ_w² = 2 with a bias: q grows linearly (q* = ∞) but χ₁ = 1: critical.
  const FixedPoint edge = fixed_point(relu, 2, 0.1);
  EXPECT_TRUE(std::isinf(edge.q_star)) << edge.q_star;
  EXPECT_EQ(edge.phase, "critical");
  // σ_w² = 2, σ_b² = 0: every q is a fixed point; the iteration stays where it starts.
  EXPECT_NEAR(fixed_point(relu, 2, 0, 0, 3.5).q_star, 3.5, 1e-12);
  for (double b2 : {0.0, 0.05, 0.5})
    EXPECT_NEAR(critical_sigma_w2(relu, b2), 2, 1e-9) << "σ_b² = " << b2;
  // Leaky ReLU (slope α): E[φ'²] = (1 + α²)/2.
  EXPECT_NEAR(critical_sigma_w2(Activation::parse("leaky_relu:slope=0.2"), 0.1), 2 / 1.04, 1e-9);
}

TEST(MeanField, TanhWithoutBiasCollapsesUpToSigmaW2One) {
  const Activation tanh_act = Activation::parse("tanh");
  for (double w2 : {0.25, 0.5, 0.9, 0.99, 1.0}) {
    const FixedPoint fp = fixed_point(tanh_act, w2, 0);
    EXPECT_EQ(fp.q_star, 0) << "σ_w² = " << w2;
    EXPECT_NEAR(fp.chi1, w2, 1e-12) << "σ_w² = " << w2;  // φ'(0)² = 1
    EXPECT_EQ(fp.phase, w2 == 1.0 ? "critical" : "ordered") << "σ_w² = " << w2;
  }
  const FixedPoint fp = fixed_point(tanh_act, 1.5, 0);
  EXPECT_GT(fp.q_star, 0.1);
  // It is a fixed point: σ_w²·E[tanh(√q* ξ)²] = q*.
  EXPECT_LT(rel_err(1.5 * activation_moments(tanh_act, fp.q_star).second, fp.q_star), 1e-12);
  EXPECT_GT(fp.chi1, 1);
  EXPECT_EQ(fp.phase, "chaotic");
  EXPECT_NEAR(critical_sigma_w2(tanh_act, 0), 1, 1e-6);
}

// Schoenholz et al. 2017 (Fig. 1 and text; also Poole et al. 2016): for tanh with σ_b² = 0.05
// the order-to-chaos transition is at σ_w² ≈ 1.76.
TEST(MeanField, TanhPublishedCriticalPoint) {
  const Activation tanh_act = Activation::parse("tanh");
  const double w2 = critical_sigma_w2(tanh_act, 0.05);
  std::printf("tanh critical σ_w² at σ_b² = 0.05: %.6f (published ≈ 1.7609)\n", w2);
  EXPECT_NEAR(w2, 1.7609, 0.005);
  const FixedPoint at = fixed_point(tanh_act, w2, 0.05);
  EXPECT_NEAR(at.chi1, 1, 1e-9);
  EXPECT_EQ(at.phase, "critical");
  EXPECT_EQ(fixed_point(tanh_act, w2 - 0.1, 0.05).phase, "ordered");
  EXPECT_EQ(fixed_point(tanh_act, w2 + 0.1, 0.05).phase, "chaotic");
  // The critical line rises with σ_b².
  EXPECT_GT(critical_sigma_w2(tanh_act, 0.2), w2);
}

// The tabulated grid agrees with the exact solver; every activation gives a finite grid.
TEST(MeanField, PhaseGridMatchesExactSolver) {
  const GridAxis w2{0.1, 4.0, 100}, b2{0.0, 0.5, 100};
  for (const std::string& name : activation_names()) {
    const Activation act = Activation::parse(name);
    const auto t0 = std::chrono::steady_clock::now();
    const PhaseGrid g = phase_grid(act, w2, b2);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(g.chi1.size(), 10000u);
    ASSERT_EQ(g.critical_sigma_w2.size(), 100u);
    double worst = 0, worst_crit = 0;
    for (int ib = 0; ib < 100; ib += 11) {
      for (int iw = 0; iw < 100; iw += 7) {
        const FixedPoint fp = fixed_point(act, w2.value(iw), b2.value(ib));
        const double chi = g.chi1[ib * 100 + iw];
        ASSERT_TRUE(std::isfinite(chi)) << name << " at " << iw << "," << ib;
        const double err = rel_err(chi, fp.chi1);
        worst = std::max(worst, err);
        EXPECT_LT(err, 1e-5) << name << " σ_w²=" << w2.value(iw) << " σ_b²=" << b2.value(ib)
                             << ": grid " << chi << ", exact " << fp.chi1;
      }
      if (ib == 0 || ib == 66) {
        const double exact = critical_sigma_w2(act, b2.value(ib));
        const double grid = g.critical_sigma_w2[ib];
        const double err = std::isnan(exact) ? (std::isnan(grid) ? 0 : 1) : rel_err(grid, exact);
        worst_crit = std::max(worst_crit, err);
        EXPECT_LT(err, 1e-5) << name << " critical line at σ_b²=" << b2.value(ib) << ": grid "
                             << grid << ", exact " << exact;
      }
    }
    std::printf("phase grid %-10s 100x100 in %6.1f ms; worst χ₁ error %.2g, critical %.2g\n",
                name.c_str(), ms, worst, worst_crit);
  }
}

// ---- JSON and caveats ------------------------------------------------------------------

TEST(MeanField, TheoryJson) {
  const Experiment e = mean_field_experiment("relu", 4, 100, 10, "kaiming_normal");
  const nlohmann::ordered_json j = theory_json(e, e.inits[0]);
  for (const char* key :
       {"sigma_w2", "sigma_b2", "bias_mean", "q_star", "chi1", "phase", "depth_scale", "note"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["phase"], "critical");
  EXPECT_TRUE(j["depth_scale"].is_null());  // infinite at criticality
  EXPECT_EQ(j["note"], "");
  ASSERT_EQ(j["layers"].size(), 4u);
  EXPECT_EQ(j["layers"][0]["layer"], 1);
  for (const char* key : {"sigma_w2", "q", "preact_std", "act_mean", "act_std"})
    EXPECT_TRUE(j["layers"][3][key].is_number()) << key;
  EXPECT_NEAR(j["layers"][3]["q"].get<double>(), 2.0, 1e-12);

  const Experiment boom = mean_field_experiment("relu", 4, 100, 10, "normal:std=1");
  const nlohmann::ordered_json jb = theory_json(boom, boom.inits[0]);
  EXPECT_EQ(jb["phase"], "exploding");
  EXPECT_TRUE(jb["q_star"].is_null());
}

TEST(MeanField, CaveatsForNonZeroMeanAndEye) {
  const Experiment e =
      mean_field_experiment("tanh", 3, 50, 10, "uniform");  // torch default U(0, 1)
  EXPECT_NE(theory_caveat(e, e.inits[0]).find("mean of 0.5"), std::string::npos)
      << theory_caveat(e, e.inits[0]);
  const Prediction eye = predict(e, InitSpec::parse("eye"));
  EXPECT_FALSE(eye.caveat.empty());
  EXPECT_EQ(eye.fixed.phase, "none");
  EXPECT_TRUE(theory_json(eye)["layers"][0]["q"].is_null());
  EXPECT_EQ(theory_caveat(e, InitSpec::parse("xavier_uniform")), "");
  EXPECT_EQ(theory_caveat(e, InitSpec::parse("trunc_normal:std=0.1")), "");
}

// ---- against simulation ------------------------------------------------------------------

// A wide net (width 1000, batch 1000, 8 layers) with zero-mean activations: the empirical
// per-layer pre-activation variance (over all B × width values) agrees with q^l, and the
// activation std with the predicted one. Observed worst ≈ 1%; tolerance 3%.
TEST(MeanField, PredictionMatchesWideSimulation) {
  struct Case {
    std::string act, init, bias;
  };
  const Case cases[] = {
      {"tanh", "xavier_normal:gain=1.2", ""},
      {"tanh", "xavier_normal:gain=1.2", "normal:std=0.2"},
      {"tanh", "normal:std=0.1", ""},  // σ_w² = 10: saturated, |z| ≫ 1
      {"selu", "lecun_normal", ""},
  };
  constexpr double kTol = 0.03;
  double worst_all = 0;
  for (const Case& c : cases) {
    const Experiment e = mean_field_experiment(c.act, 8, 1000, 1000, c.init, c.bias, 7);
    const Snapshot snap = Simulation::run(e);
    const Prediction p = predict(e, e.inits[0]);
    double worst = 0;
    int worst_layer = 0;
    for (int l = 0; l < 8; ++l) {
      const LayerStats& s = snap.columns[0].layers[l];
      const double var = s.preact.std * s.preact.std;
      const double err_q = rel_err(var, p.layers[l].q);
      const double err_a = rel_err(s.act.std, p.layers[l].act_std);
      if (std::max(err_q, err_a) > worst) {
        worst = std::max(err_q, err_a);
        worst_layer = l + 1;
      }
      EXPECT_LT(err_q, kTol) << c.act << " " << c.init << " bias '" << c.bias << "' layer " << l + 1
                             << ": empirical var " << var << ", predicted " << p.layers[l].q;
      EXPECT_LT(err_a, kTol) << c.act << " " << c.init << " bias '" << c.bias << "' layer " << l + 1
                             << ": empirical act std " << s.act.std << ", predicted "
                             << p.layers[l].act_std;
    }
    worst_all = std::max(worst_all, worst);
    std::printf("%-5s %-24s bias %-15s worst rel. diff %.4f (layer %d), phase %s\n", c.act.c_str(),
                c.init.c_str(), c.bias.empty() ? "-" : c.bias.c_str(), worst, worst_layer,
                p.fixed.phase.c_str());
  }
  std::printf("single wide net: worst relative difference %.4f (tolerance %.2f)\n", worst_all,
              kTol);
}

// With a non-zero activation mean (ReLU, sigmoid, a biased mean) one network wanders from the
// prediction: each unit has a fixed offset (Σ_i E[a_i]·W_ij, the same for every input) and the
// layer's variance then rests on only `width` such offsets — about √(2/width) ≈ 4.5% noise per
// layer, compounding with depth (≈ ±14% by layer 8 for ReLU at width 1000, in either
// direction). The theory is the average over weight draws, so the test averages the variance
// of 12 networks (seeds 100..111) over 4 layers; standard error ≤ 1.5%, tolerance 5%.
TEST(MeanField, PredictionMatchesAverageOfWideNetworks) {
  struct Case {
    std::string act, init, bias;
  };
  const Case cases[] = {
      {"relu", "kaiming_normal", ""},
      {"relu", "kaiming_uniform", "normal:mean=0.1,std=0.2"},
      {"sigmoid", "xavier_normal:gain=2", "normal:std=0.2"},
  };
  constexpr int kNets = 12, kLayers = 4;
  constexpr double kTol = 0.05;
  double worst_all = 0;
  for (const Case& c : cases) {
    std::vector<double> mean_ratio(kLayers, 0), mean_sq(kLayers, 0);
    Prediction p;
    for (int k = 0; k < kNets; ++k) {
      const Experiment e =
          mean_field_experiment(c.act, kLayers, 1000, 100, c.init, c.bias, 100 + k);
      const Snapshot snap = Simulation::run(e);
      p = predict(e, e.inits[0]);  // the same for every seed
      for (int l = 0; l < kLayers; ++l) {
        const double sd = snap.columns[0].layers[l].preact.std;
        const double r = sd * sd / p.layers[l].q;
        mean_ratio[l] += r / kNets;
        mean_sq[l] += r * r / kNets;
      }
    }
    double worst = 0;
    for (int l = 0; l < kLayers; ++l) {
      const double err = std::fabs(mean_ratio[l] - 1);
      worst = std::max(worst, err);
      EXPECT_LT(err, kTol) << c.act << " " << c.init << " bias '" << c.bias << "' layer " << l + 1
                           << ": mean empirical var / predicted = " << mean_ratio[l];
    }
    const double spread = std::sqrt(
        std::max(0.0, mean_sq[kLayers - 1] - mean_ratio[kLayers - 1] * mean_ratio[kLayers - 1]));
    worst_all = std::max(worst_all, worst);
    std::printf(
        "%-7s %-16s bias %-24s mean of %d nets: worst rel. diff %.4f; one net's spread "
        "at layer %d: %.3f\n",
        c.act.c_str(), c.init.c_str(), c.bias.empty() ? "-" : c.bias.c_str(), kNets, worst, kLayers,
        spread);
  }
  std::printf("average of wide nets: worst relative difference %.4f (tolerance %.2f)\n", worst_all,
              kTol);
}
