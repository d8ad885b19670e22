// The KS machinery the init tests rely on: the Kolmogorov distribution against 40-digit
// references, calibrated p-values under the null, and tests that CAN fail.
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "kolmogorov.h"

namespace initscope {
namespace {

using test::kolmogorov_q;
using test::ks_test;

double phi(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// Q_KS(λ) = 2 Σ (-1)^(j-1) exp(-2j²λ²), from mpmath (both series branches are exercised).
TEST(Kolmogorov, TailProbabilityMatchesHighPrecisionReference) {
  const std::pair<double, double> ref[] = {
      {0.3, 0.99999069419866543338},    {0.5, 0.96394524366487509439},
      {0.8, 0.54414241157419807674},    {1.0, 0.2699996716773545212},
      {1.18, 0.12345380942976571391},   {1.2, 0.11224966667072498483},
      {1.36, 0.04948587675537788364},   {1.63, 0.009846364888486531251},
      {2.0, 0.00067092525577969534654}, {3.0, 3.0459959489425256872e-8}};
  for (const auto& [lambda, q] : ref)
    EXPECT_NEAR(kolmogorov_q(lambda), q, 1e-14 * std::max(q, 1e-2)) << "λ = " << lambda;
  // Continuity where the two series meet.
  EXPECT_NEAR(kolmogorov_q(std::nextafter(1.18, 0.0)), kolmogorov_q(1.18), 1e-14);
  EXPECT_EQ(kolmogorov_q(0.0), 1.0);
}

// Under the null the p-value is uniform: of 400 tests with n = 200, about 5 % fall below 0.05
// (binomial sd 1.1 %; the bound is ~4 sd wide) — this checks the Stephens correction too.
TEST(Kolmogorov, PValuesAreCalibratedUnderTheNull) {
  Rng rng(2024);
  int below_5 = 0, below_50 = 0;
  const int tests = 400;
  for (int t = 0; t < tests; ++t) {
    std::vector<double> x(200);
    for (auto& v : x) v = rng.normal();
    const double p = ks_test(x, phi).p;
    below_5 += p < 0.05;
    below_50 += p < 0.5;
  }
  EXPECT_NEAR(below_5 / double(tests), 0.05, 0.045) << below_5 << " of " << tests;
  EXPECT_NEAR(below_50 / double(tests), 0.5, 0.1) << below_50 << " of " << tests;
}

TEST(Kolmogorov, TestCanFail) {
  Rng rng(1);
  std::vector<double> normals(20000), wide(20000), uniforms(20000);
  for (auto& v : normals) v = rng.normal();
  for (auto& v : wide) v = 1.1 * rng.normal();
  for (auto& v : uniforms) v = rng.uniform();
  const auto uniform_cdf = [](double x) { return std::clamp(x, 0.0, 1.0); };
  // Normal samples against the uniform CDF: hopeless.
  const auto a = ks_test(normals, uniform_cdf);
  EXPECT_LT(a.p, 1e-4) << "D = " << a.d;
  // A std 10 % too large: the size of error a wrong gain or fan produces.
  const auto b = ks_test(wide, phi);
  EXPECT_LT(b.p, 1e-4) << "D = " << b.d;
  // And the right distributions pass.
  EXPECT_GT(ks_test(normals, phi).p, 1e-4);
  EXPECT_GT(ks_test(uniforms, uniform_cdf).p, 1e-4);
}

}  // namespace
}  // namespace initscope
