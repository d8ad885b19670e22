#include "ticks.h"

#include <cmath>

namespace initscope::render {

double nice_step(double span, int intervals) {
  if (!(span > 0) || intervals < 1) return 1;
  const double raw = span / intervals, mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

long long nice_integer_step(double span, int intervals) {
  if (!(span > 0) || intervals < 1) return 1;
  const double raw = span / intervals;
  for (long long mag = 1;; mag *= 10)
    for (long long m : {1, 2, 5})
      if (double(m * mag) >= raw) return m * mag;
}

double nice_ceil(double x) {
  const double mag = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= x * (1 - 1e-12)) return m * mag;
  return 10 * mag;
}

std::vector<double> nice_ticks(double lo, double hi, int intervals) {
  std::vector<double> out;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return out;
  const double step = nice_step(hi - lo, intervals);
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1) {
    const double v = k * step;
    out.push_back(std::fabs(v) < 1e-9 * step ? 0.0 : v);
  }
  return out;
}

}  // namespace initscope::render
