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

// Ticks of a log axis [lo, hi] (log10): 1, 2, 5 × 10^k where they are few, decades where they
// are many, a linear nice step where the range is within one decade and misses them all.
std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> all, decades;
  for (int k = static_cast<int>(std::floor(lo)); k <= static_cast<int>(std::ceil(hi)); ++k)
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, k), lv = std::log10(v);
      if (lv < lo - 1e-9 || lv > hi + 1e-9) continue;
      all.push_back(v);
      if (m == 1.0) decades.push_back(v);
    }
  if (all.size() > 7) {
    if (decades.size() <= 7) return decades;
    std::vector<double> out;  // every other decade
    const int every = static_cast<int>(decades.size() + 5) / 6;
    for (size_t i = 0; i < decades.size(); i += static_cast<size_t>(every))
      out.push_back(decades[i]);
    return out;
  }
  if (all.size() >= 2) return all;
  std::vector<double> out;
  for (double v : nice_ticks(std::pow(10.0, lo), std::pow(10.0, hi), 3))
    if (v > 0) out.push_back(v);
  return out;
}

}  // namespace initscope::render
