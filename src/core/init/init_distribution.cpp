// From a spec and a layer's fans to a concrete distribution (torch.nn.init / Keras formulas),
// and what follows from it: the theoretical std of W and a one-line description.
#include "init_distribution.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace initscope {
namespace {

using Family = WeightDistribution::Family;

// Keras: std of a standard normal truncated to [-2, 2].
constexpr double kKerasTruncatedStd = 0.87962566103423978;

WeightDistribution uniform(double bound) {
  WeightDistribution d;
  d.family = Family::Uniform;
  d.lo = -bound;
  d.hi = bound;
  return d;
}

WeightDistribution normal(double std) {
  WeightDistribution d;
  d.family = Family::Normal;
  d.std = std;
  return d;
}

// keras.initializers.VarianceScaling for a Dense kernel (in × out, the same as our W).
WeightDistribution variance_scaling(double scale, const std::string& mode,
                                    const std::string& distribution, int fan_in, int fan_out) {
  double fan = fan_in;
  if (mode == "fan_out") fan = fan_out;
  if (mode == "fan_avg") fan = (fan_in + fan_out) / 2.0;
  scale /= std::max(1.0, fan);
  WeightDistribution d;
  if (distribution == "truncated_normal") {
    const double stddev = std::sqrt(scale) / kKerasTruncatedStd;
    d.family = Family::TruncatedNormal;
    d.std = stddev;
    d.lo = -2 * stddev;
    d.hi = 2 * stddev;
  } else if (distribution == "untruncated_normal") {
    d = normal(std::sqrt(scale));
  } else {
    d = uniform(std::sqrt(3.0 * scale));
  }
  d.fan_name = mode;
  d.fan = fan;
  return d;
}

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
  const std::string& name = spec.scheme->name;
  auto num = [&](const char* key) { return spec.number(key, act); };
  WeightDistribution d;
  if (name == "zeros" || name == "ones" || name == "constant") {
    d.family = Family::Constant;
    d.value = name == "ones" ? 1.0 : name == "constant" ? num("val") : 0.0;
  } else if (name == "uniform") {
    d.family = Family::Uniform;
    d.lo = num("a");
    d.hi = num("b");
  } else if (name == "normal") {
    d = normal(num("std"));
    d.mean = num("mean");
  } else if (name == "trunc_normal") {
    d.family = Family::TruncatedNormal;
    d.mean = num("mean");
    d.std = num("std");
    d.lo = num("a");
    d.hi = num("b");
  } else if (name == "xavier_uniform" || name == "xavier_normal") {
    // torch: std = gain·√(2/(fan_in+fan_out)); uniform bound = √3·std.
    const double gain = num("gain");
    const double std = gain * std::sqrt(2.0 / double(fan_in + fan_out));
    d = name == "xavier_uniform" ? uniform(std::sqrt(3.0) * std) : normal(std);
    d.fan_name = "fan_in+fan_out";
    d.fan = fan_in + fan_out;
    d.has_gain = true;
    d.gain_used = gain;
  } else if (name == "kaiming_uniform" || name == "kaiming_normal") {
    const std::string& nonlinearity = spec.choice("nonlinearity");
    const double gain =
        nonlinearity == "auto" ? act.gain() : calculate_gain(nonlinearity, num("a"));
    const std::string& mode = spec.choice("mode");
    const double fan = mode == "fan_in" ? fan_in : fan_out;
    const double std = gain / std::sqrt(fan);
    d = name == "kaiming_uniform" ? uniform(std::sqrt(3.0) * std) : normal(std);
    d.fan_name = mode;
    d.fan = fan;
    d.has_gain = true;
    d.gain_used = gain;
  } else if (name == "lecun_uniform") {
    d = variance_scaling(1.0, "fan_in", "uniform", fan_in, fan_out);
  } else if (name == "lecun_normal") {
    d = variance_scaling(1.0, "fan_in", "truncated_normal", fan_in, fan_out);
  } else if (name == "variance_scaling") {
    d = variance_scaling(num("scale"), spec.choice("mode"), spec.choice("distribution"), fan_in,
                         fan_out);
  } else if (name == "orthogonal") {
    d.family = Family::Orthogonal;
    d.gain = num("gain");
    d.has_gain = true;
    d.gain_used = d.gain;
  } else if (name == "lsuv") {
    // The data-driven rescaling happens in the simulation (lsuv.h), which has the batch.
    d.family = Family::Orthogonal;
    d.gain = 1;
  } else if (name == "rbm") {
    // The starting weights; the pretraining (rbm.h) happens where the data is.
    d = normal(num("std"));
  } else if (name == "eye") {
    d.family = Family::Eye;
  } else if (name == "sparse") {
    d.family = Family::Sparse;
    d.sparsity = num("sparsity");
    d.std = num("std");
  } else if (name == "torch_linear_default") {
    // nn.Linear.reset_parameters: kaiming_uniform_(a=√5) → bound = √3·gain/√fan_in = 1/√fan_in.
    const double gain = calculate_gain("leaky_relu", std::sqrt(5.0));
    d = uniform(std::sqrt(3.0) * (gain / std::sqrt(double(fan_in))));
    d.fan_name = "fan_in";
    d.fan = fan_in;
  } else {
    throw std::logic_error("resolve_distribution: no formula for " + name);
  }
  return d;
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
  if (spec.scheme->name == "lsuv") {
    return line + ", then rescaled until |Var(Z) − 1| ≤ " + spec.values.at("tol") + " (at most " +
           spec.values.at("max_iter") + " rounds per layer)";
  }
  if (spec.scheme->name == "rbm") {
    return line + ", then pretrained layer by layer as RBMs (CD-1, " + spec.values.at("epochs") +
           " epoch(s), lr " + spec.values.at("lr") + ", batch " + spec.values.at("batch") + ")";
  }
  const double s = weight_std(spec, fan_in, fan_out, act);
  if (!std::isnan(s)) line += ", std " + fmt(s);
  return line;
}

}  // namespace initscope
