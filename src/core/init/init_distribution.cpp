// From a spec and a layer's fans to a concrete distribution (the scheme's entry in
// init_schemes.cpp), and what follows from it: the theoretical std of W and a one-line
// description.
#include "init_distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "data_stage.h"

namespace initscope {
namespace {

using Family = WeightDistribution::Family;

std::string fmt(double x, int digits = 3) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

}  // namespace

double calculate_gain(const std::string& nonlinearity, double param) {
  if (nonlinearity == "linear" || nonlinearity == "sigmoid") return 1.0;
  if (nonlinearity == "tanh") return 5.0 / 3;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") return std::sqrt(2.0 / (1 + param * param));
  if (nonlinearity == "selu") return 3.0 / 4;
  throw std::logic_error("calculate_gain: unknown nonlinearity " + nonlinearity);
}

WeightDistribution resolve_distribution(const InitSpec& spec, int fan_in, int fan_out,
                                        const Activation& act) {
  if (!spec.scheme) throw std::logic_error("resolve_distribution: spec was not parsed");
  return spec.scheme->distribution(spec, fan_in, fan_out, act);
}

double weight_std(const InitSpec& spec, int fan_in, int fan_out, const Activation& act) {
  const WeightDistribution d = resolve_distribution(spec, fan_in, fan_out, act);
  switch (d.family) {
    case Family::Constant:
      return 0.0;
    case Family::Uniform:
      return (d.hi - d.lo) / std::sqrt(12.0);
    case Family::Normal:
      return d.std;
    case Family::TruncatedNormal:
      return truncated_normal_std(d.mean, d.std, d.lo, d.hi);
    case Family::Orthogonal:  // ‖W‖²_F = gain²·min(fans) spread over fan_in·fan_out entries
      return d.gain / std::sqrt(double(std::max(fan_in, fan_out)));
    case Family::Eye:
      return std::numeric_limits<double>::quiet_NaN();
    case Family::Sparse: {  // per row: k zeros, fan_out - k draws from N(0, std²)
      const double k = std::min<double>(fan_out, std::ceil(d.sparsity * fan_out));
      return d.std * std::sqrt(1.0 - k / fan_out);
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string describe(const InitSpec& spec, int fan_in, int fan_out, const Activation& act) {
  const WeightDistribution d = resolve_distribution(spec, fan_in, fan_out, act);
  std::string line = spec.scheme->title + ": ";
  switch (d.family) {
    case Family::Constant:
      line += "W = " + fmt(d.value);
      break;
    case Family::Uniform:
      line += "W ~ U(" + fmt(d.lo) + ", " + fmt(d.hi) + ")";
      break;
    case Family::Normal:
      line += "W ~ N(" + fmt(d.mean) + ", " + fmt(d.std) + "²)";
      break;
    case Family::TruncatedNormal:
      line += "W ~ N(" + fmt(d.mean) + ", " + fmt(d.std) + "²) cut to [" + fmt(d.lo) + ", " +
              fmt(d.hi) + "]";
      break;
    case Family::Orthogonal:
      line +=
          std::string("W = gain·Q, Q with orthonormal ") + (fan_in >= fan_out ? "columns" : "rows");
      break;
    case Family::Eye:
      line += "W = I (" + std::to_string(fan_in) + "×" + std::to_string(fan_out) + ")";
      break;
    case Family::Sparse: {
      const double k = std::min<double>(fan_out, std::ceil(d.sparsity * fan_out));
      line += "W ~ N(0, " + fmt(d.std) + "²) with " + fmt(k) + " of " + std::to_string(fan_out) +
              " per row set to 0";
      break;
    }
  }
  if (d.has_gain) {
    line += ", gain " + fmt(d.gain_used);
    for (const auto& [key, value] : spec.values) {
      if (value != "auto") continue;
      line += " (auto: " + act.name() + ")";
      break;
    }
  }
  if (!d.fan_name.empty()) line += ", " + d.fan_name + " " + fmt(d.fan, 7);
  if (spec.scheme->stage) return line + spec.scheme->stage->describe(spec);
  const double s = weight_std(spec, fan_in, fan_out, act);
  if (!std::isnan(s)) line += ", std " + fmt(s);
  return line;
}

}  // namespace initscope
