#include "phase_point.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace initscope::app {
namespace {

// `digits` significant digits, shortest form ("2.78", "0.05", "120").
std::string rounded(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace

Experiment with_phase_point(const Experiment& e, size_t column, double sigma_w2, double sigma_b2) {
  Experiment out = e;
  if (column >= out.inits.size()) return out;
  const std::string w2 = rounded(std::max(sigma_w2, 1e-3));
  out.inits[column] = InitSpec::parse(
      "variance_scaling:scale=" + w2 + ",mode=fan_in,distribution=untruncated_normal", "--init");
  if (sigma_b2 < 5e-4) {
    out.bias.reset();
  } else {
    // The std with one digit more, so that its square is σ_b² to 3 digits.
    const double b2 = std::stod(rounded(sigma_b2));
    out.bias = InitSpec::parse("normal:std=" + rounded(std::sqrt(b2), 4), "--bias");
  }
  return out;
}

}  // namespace initscope::app
