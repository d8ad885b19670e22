// The theory side: normal_cdf / normal_quantile against 40-digit references, weight_std against
// the formulas and against the empirical std of drawn weights, describe() lines.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/init/init_sampling.h"

namespace initscope {
namespace {

// Φ(x) from mpmath (mp.dps = 40); quantile references are for the double nearest to p.
TEST(NormalMath, CdfMatchesHighPrecisionReference) {
  const std::pair<double, double> ref[] = {{-37.5, 4.6053530095819548438e-308},
                                           {-30, 4.9067139271481870595e-198},
                                           {-20, 2.7536241186062336951e-89},
                                           {-10, 7.619853024160526066e-24},
                                           {-5, 2.8665157187919391167e-7},
                                           {-3, 0.0013498980316300945267},
                                           {-1.5, 0.066807201268858066004},
                                           {-1, 0.15865525393145705141},
                                           {-0.5, 0.30853753872598689636},
                                           {-0.001, 0.49960105778608893741},
                                           {0, 0.5},
                                           {1e-8, 0.50000000398942280401},
                                           {0.3, 0.61791142218895263307},
                                           {1, 0.84134474606854294859},
                                           {1.96, 0.97500210485177956379},
                                           {3, 0.99865010196836990547},
                                           {5, 0.99999971334842812081},
                                           {8, 0.9999999999999993779}};
  double worst = 0;
  for (const auto& [x, p] : ref) {
    const double err = std::fabs(normal_cdf(x) - p) / p;
    worst = std::max(worst, err);
    EXPECT_LT(err, 2e-15) << "Φ(" << x << ") = " << normal_cdf(x) << ", reference " << p;
  }
  std::printf("normal_cdf: worst relative error %.3g\n", worst);
}

TEST(NormalMath, QuantileMatchesHighPrecisionReference) {
  const std::pair<double, double> ref[] = {
      {1e-300, -37.047096299361199237},  {1e-100, -21.273453560965324294},
      {1e-20, -9.2623400897984075796},   {1e-10, -6.3613409024040561991},
      {1e-5, -4.2648907939228246102},    {0.001, -3.0902323061678135354},
      {0.02425, -1.9729610513118848376}, {0.0243, -1.9720841590292884753},
      {0.1, -1.2815515655446004353},     {0.3, -0.52440051270804081597},
      {0.7, 0.52440051270804065631},     {0.975, 1.9599639845400538556},
      {0.999, 3.0902323061678132778}};
  double worst = 0;
  for (const auto& [p, x] : ref) {
    const double err = std::fabs(normal_quantile(p) - x) / std::fabs(x);
    worst = std::max(worst, err);
    EXPECT_LT(err, 1e-14) << "Φ⁻¹(" << p << ") = " << normal_quantile(p) << ", reference " << x;
  }
  std::printf("normal_quantile: worst relative error %.3g\n", worst);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_EQ(normal_quantile(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(normal_quantile(NAN)));
}

// Φ⁻¹(Φ(x)) = x wherever Φ(x) keeps relative precision (x ≤ 0), and Φ⁻¹(1-p) = -Φ⁻¹(p).
TEST(NormalMath, QuantileInvertsCdfAndIsSymmetric) {
  double worst = 0, worst_x = 0;
  for (double x = -37; x <= 0; x += 0.0137) {
    const double err = std::fabs(normal_quantile(normal_cdf(x)) - x) / std::max(1.0, std::fabs(x));
    if (err > worst) worst = err, worst_x = x;
  }
  EXPECT_LT(worst, 1e-14) << "worst relative difference " << worst << " at x = " << worst_x;
  for (int k = 1; k < 1024; ++k) {  // p = k/1024: 1 - p is exact
    const double p = k / 1024.0;
    EXPECT_EQ(normal_quantile(1 - p), -normal_quantile(p)) << p;
  }
}

struct StdCase {
  std::string spec, activation;
  double expect;  // for fan_in = 300, fan_out = 100
};

// The theoretical std of W for fan_in 300, fan_out 100, from the torch / Keras formulas.
TEST(WeightStd, MatchesTheFormulas) {
  const double fi = 300, fo = 100;
  const StdCase cases[] = {
      {"zeros", "tanh", 0},
      {"constant:val=3", "tanh", 0},
      {"uniform:a=-1,b=3", "tanh", 4 / std::sqrt(12.0)},
      {"normal:mean=5,std=0.25", "tanh", 0.25},
      {"trunc_normal", "tanh", 0.87962566103423978},  // Keras's constant is this std
      {"xavier_uniform", "tanh", std::sqrt(2 / (fi + fo))},
      {"xavier_normal:gain=auto", "tanh", 5.0 / 3 * std::sqrt(2 / (fi + fo))},
      {"glorot_normal:gain=3", "tanh", 3 * std::sqrt(2 / (fi + fo))},
      {"kaiming_normal", "tanh", std::sqrt(2 / fi)},
      {"he_uniform:mode=fan_out", "tanh", std::sqrt(2 / fo)},
      {"kaiming_normal:a=0.2,mode=fan_out", "tanh", std::sqrt(2 / (1.04 * fo))},
      {"kaiming_normal:nonlinearity=auto", "leaky_relu:slope=0.5", std::sqrt(2 / 1.25 / fi)},
      {"lecun_uniform", "tanh", std::sqrt(1 / fi)},
      {"lecun_normal", "tanh", std::sqrt(1 / fi)},
      {"variance_scaling:scale=2,mode=fan_avg,distribution=uniform", "tanh",
       std::sqrt(2 / ((fi + fo) / 2))},
      {"variance_scaling:mode=fan_out,distribution=untruncated_normal", "tanh", std::sqrt(1 / fo)},
      {"variance_scaling:scale=3", "tanh", std::sqrt(3 / fi)},
      {"orthogonal:gain=2", "tanh", 2 / std::sqrt(fi)},
      {"sparse:sparsity=0.25,std=2", "tanh", 2 * std::sqrt(0.75)},
      {"torch_linear_default", "tanh", 1 / std::sqrt(3 * fi)},
  };
  for (const auto& c : cases) {
    const double got =
        weight_std(InitSpec::parse(c.spec), int(fi), int(fo), Activation::parse(c.activation));
    EXPECT_NEAR(got, c.expect, 1e-12 * std::max(1e-3, c.expect)) << c.spec;
  }
  EXPECT_TRUE(std::isnan(weight_std(InitSpec::parse("eye"), 300, 100, Activation{})));
}

// Truncated std against mpmath. Far out the formula 1 + (αφ(α) - βφ(β))/Z - ((φ(α) - φ(β))/Z)²
// cancels ~α⁴ (8e5 at α = 30) — CDF errors of 1e-16 still give 1e-10 there.
TEST(WeightStd, TruncatedNormalStdInTheTails) {
  struct Tail {
    std::string spec;
    double expect, tol;
  };
  const Tail cases[] = {
      {"trunc_normal:a=3,b=5", 0.26419228995268754798, 1e-13},
      {"trunc_normal:a=-30,b=-29", 0.034360740513246878108, 1e-9},
      {"trunc_normal:mean=1,std=2,a=-1,b=4", 1.2894727700225226079, 1e-14},
  };
  for (const auto& c : cases) {
    const double got = weight_std(InitSpec::parse(c.spec), 10, 10, Activation{});
    EXPECT_NEAR(got, c.expect, c.tol * c.expect) << c.spec;
    std::printf("truncated std of %s: relative error %.3g (tolerance %.0e)\n", c.spec.c_str(),
                std::fabs(got - c.expect) / c.expect, c.tol);
  }
}

// The std of 60 000 drawn entries agrees with weight_std (3 % is ≥ 10 standard errors).
TEST(WeightStd, AgreesWithDrawnWeights) {
  const Activation act = Activation::parse("tanh");
  for (const auto& scheme : init_schemes()) {
    const InitSpec spec = InitSpec::parse(scheme.name);
    const double theory = weight_std(spec, 300, 200, act);
    if (std::isnan(theory)) continue;
    Rng rng(21);
    const Eigen::MatrixXf w = sample_weights(spec, 300, 200, act, rng);
    double sum = 0, sum2 = 0;
    for (Eigen::Index i = 0; i < w.size(); ++i) sum += w(i);
    const double mean = sum / double(w.size());
    for (Eigen::Index i = 0; i < w.size(); ++i) sum2 += (w(i) - mean) * (w(i) - mean);
    const double std = std::sqrt(sum2 / double(w.size()));
    EXPECT_NEAR(std, theory, 0.03 * theory + 1e-12)
        << scheme.name << ": drawn std " << std << ", theory " << theory;
  }
}

TEST(Describe, OneLineWithTheNumbers) {
  const Activation relu = Activation::parse("relu");
  EXPECT_EQ(describe(InitSpec::parse("he_normal"), 500, 500, relu),
            "He / Kaiming normal: W ~ N(0, 0.0632²), gain 1.41, fan_in 500, std 0.0632");
  EXPECT_EQ(
      describe(InitSpec::parse("xavier_uniform:gain=auto"), 300, 100, Activation::parse("tanh")),
      "Xavier / Glorot uniform: W ~ U(-0.204, 0.204), gain 1.67 (auto: tanh), "
      "fan_in+fan_out 400, std 0.118");
  EXPECT_EQ(describe(InitSpec::parse("normal:std=0.01"), 500, 500, relu),
            "Normal: W ~ N(0, 0.01²), std 0.01");
  EXPECT_EQ(describe(InitSpec::parse("eye"), 3, 5, relu), "Identity: W = I (3×5)");
  EXPECT_EQ(describe(InitSpec::parse("orthogonal:gain=2"), 400, 100, relu),
            "Orthogonal: W = gain·Q, Q with orthonormal columns, gain 2, std 0.1");
  EXPECT_EQ(describe(InitSpec::parse("variance_scaling:mode=fan_avg,distribution=uniform"), 1000,
                     1001, relu),
            "Variance scaling (Keras): W ~ U(-0.0548, 0.0548), fan_avg 1000.5, std 0.0316");
  for (const auto& scheme : init_schemes()) {
    const std::string line = describe(InitSpec::parse(scheme.name), 70, 30, relu);
    EXPECT_EQ(line.rfind(scheme.title + ": ", 0), 0u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace initscope
