#pragma once
// The one-sample Kolmogorov–Smirnov test, as PyTorch's init tests use it (scipy.stats.kstest):
// D = sup |F_n(x) - F(x)| and its p-value from the Kolmogorov distribution.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numbers>
#include <vector>

namespace initscope::test {

// Q_KS(λ) = P(K > λ) for the limiting Kolmogorov distribution K = sup |Brownian bridge|:
//   Q = 2 Σ_{j≥1} (-1)^{j-1} exp(-2 j² λ²)                       (fast for λ ≥ 1.18)
//   Q = 1 - √(2π)/λ Σ_{j≥1} exp(-(2j-1)² π² / (8 λ²))             (fast for λ < 1.18)
// Both series converge in a few terms on their side; accuracy ~1e-16.
inline double kolmogorov_q(double lambda) {
  if (!(lambda > 0)) return 1.0;
  if (lambda < 1.18) {
    const double y = std::exp(-std::numbers::pi * std::numbers::pi / (8 * lambda * lambda));
    double sum = 0;
    for (int j = 1; j <= 50; ++j) {
      const double term = std::pow(y, double((2 * j - 1) * (2 * j - 1)));
      sum += term;
      if (term < 1e-300) break;
    }
    return 1.0 - std::sqrt(2 * std::numbers::pi) / lambda * sum;
  }
  double sum = 0;
  for (int j = 1; j <= 100; ++j) {
    const double term = std::exp(-2.0 * j * j * lambda * lambda);
    sum += (j % 2 ? term : -term);
    if (term < 1e-300) break;
  }
  return std::clamp(2 * sum, 0.0, 1.0);
}

// p-value of the statistic D for n samples, with Stephens' (1970) small-n correction
// λ = (√n + 0.12 + 0.11/√n)·D, accurate to a few percent of p for n ≥ 5.
inline double ks_pvalue(double d, size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  return kolmogorov_q((sn + 0.12 + 0.11 / sn) * d);
}

struct KsResult {
  double d = 0;  // sup |F_n - F|
  double p = 1;  // p-value
  size_t n = 0;
};

// One-sample KS against a continuous CDF. Ties are handled exactly (the ECDF jumps at once).
inline KsResult ks_test(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, (i + 1) / n - f, f - i / n});
  }
  return {d, ks_pvalue(d, x.size()), x.size()};
}

}  // namespace initscope::test
