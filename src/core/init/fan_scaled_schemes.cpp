// Samplers scaled by the fans to keep the variance of the signal (or of the gradient) through a
// layer (init_samplers.h): Xavier, Kaiming, LeCun, Keras variance scaling, orthogonal, torch's
// nn.Linear default, auto, and the residual schemes' starts. W is fan_in × fan_out, torch's
// weight is Wᵀ.
#include <cmath>
#include <string>

#include "init_samplers.h"

namespace initscope::samplers {
namespace {

// Keras: std of a standard normal truncated to [-2, 2].
constexpr double kKerasTruncatedStd = 0.87962566103423978;

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
    d = normal_std(std::sqrt(scale));
  } else {
    d = uniform_bound(std::sqrt(3.0 * scale));
  }
  d.fan_name = mode;
  d.fan = fan;
  return d;
}

// N(0, std²), or U(-√3·std, √3·std) with the same std; the fan and the gain are kept for
// describe().
WeightDistribution gain_over_fan(double std, bool is_uniform, const std::string& fan_name,
                                 double fan, double gain) {
  WeightDistribution d = is_uniform ? uniform_bound(std::sqrt(3.0) * std) : normal_std(std);
  d.fan_name = fan_name;
  d.fan = fan;
  d.has_gain = true;
  d.gain_used = gain;
  return d;
}

// torch: std = gain·√(2/(fan_in+fan_out)).
WeightDistribution xavier(const InitSpec& spec, int fan_in, int fan_out, const Activation& act,
                          bool is_uniform) {
  const double gain = spec.number("gain", act);
  return gain_over_fan(gain * std::sqrt(2.0 / double(fan_in + fan_out)), is_uniform,
                       "fan_in+fan_out", fan_in + fan_out, gain);
}

}  // namespace

WeightDistribution xavier_uniform(const InitSpec& spec, int fan_in, int fan_out,
                                  const Activation& act) {
  return xavier(spec, fan_in, fan_out, act, true);
}

WeightDistribution xavier_normal(const InitSpec& spec, int fan_in, int fan_out,
                                 const Activation& act) {
  return xavier(spec, fan_in, fan_out, act, false);
}

namespace {

// torch: std = gain/√fan, gain = calculate_gain(nonlinearity, a).
WeightDistribution kaiming(const InitSpec& spec, int fan_in, int fan_out, const Activation& act,
                           bool is_uniform) {
  const std::string& nonlinearity = spec.choice("nonlinearity");
  const double gain =
      nonlinearity == "auto" ? act.gain() : calculate_gain(nonlinearity, spec.number("a", act));
  const std::string& mode = spec.choice("mode");
  const double fan = mode == "fan_in" ? fan_in : fan_out;
  return gain_over_fan(gain / std::sqrt(fan), is_uniform, mode, fan, gain);
}

}  // namespace

WeightDistribution kaiming_uniform(const InitSpec& spec, int fan_in, int fan_out,
                                   const Activation& act) {
  return kaiming(spec, fan_in, fan_out, act, true);
}

WeightDistribution kaiming_normal(const InitSpec& spec, int fan_in, int fan_out,
                                  const Activation& act) {
  return kaiming(spec, fan_in, fan_out, act, false);
}

// GPT-2's start before its branch rule: N(0, std²).
WeightDistribution gpt2(const InitSpec& spec, int, int, const Activation& act) {
  return normal_std(spec.number("std", act));
}

// Fixup's start before its branch rule: He normal, std = gain(φ)/√fan_in.
WeightDistribution fixup(const InitSpec&, int fan_in, int, const Activation& act) {
  return gain_over_fan(act.gain() / std::sqrt(double(fan_in)), false, "fan_in", fan_in, act.gain());
}

WeightDistribution lecun_uniform(const InitSpec&, int fan_in, int fan_out, const Activation&) {
  return variance_scaling(1.0, "fan_in", "uniform", fan_in, fan_out);
}

WeightDistribution lecun_normal(const InitSpec&, int fan_in, int fan_out, const Activation&) {
  return variance_scaling(1.0, "fan_in", "truncated_normal", fan_in, fan_out);
}

WeightDistribution keras_variance_scaling(const InitSpec& spec, int fan_in, int fan_out,
                                          const Activation& act) {
  return variance_scaling(spec.number("scale", act), spec.choice("mode"),
                          spec.choice("distribution"), fan_in, fan_out);
}

WeightDistribution orthogonal(const InitSpec& spec, int, int, const Activation& act) {
  WeightDistribution d = orthogonal_with_gain(spec.number("gain", act));
  d.has_gain = true;
  d.gain_used = d.gain;
  return d;
}

// nn.Linear.reset_parameters: kaiming_uniform_(a=√5) → bound = √3·gain/√fan_in = 1/√fan_in.
WeightDistribution torch_linear_default(const InitSpec&, int fan_in, int, const Activation&) {
  const double gain = calculate_gain("leaky_relu", std::sqrt(5.0));
  WeightDistribution d = uniform_bound(std::sqrt(3.0) * (gain / std::sqrt(double(fan_in))));
  d.fan_name = "fan_in";
  d.fan = fan_in;
  return d;
}

// The notes' recipe (issue 14), per layer by the activation φ after it (`act` is the layer's own:
// init_activation in start_weights.h): He normal for a rectifier, std = gain/√fan_in with
// gain = √(2/(1+slope²)) (relu: slope 0, √2); Xavier normal for everything else, std =
// gain·√(2/(fan_in+fan_out)) with gain = calculate_gain(φ) (tanh 5/3, sigmoid and linear 1,
// selu 3/4, elu/gelu/softplus/swish 1).
WeightDistribution auto_by_activation(const InitSpec&, int fan_in, int fan_out,
                                      const Activation& act) {
  const double gain = act.gain();
  if (act.relu_like())
    return gain_over_fan(gain / std::sqrt(double(fan_in)), false, "fan_in", fan_in, gain);
  return gain_over_fan(gain * std::sqrt(2.0 / double(fan_in + fan_out)), false, "fan_in+fan_out",
                       fan_in + fan_out, gain);
}

}  // namespace initscope::samplers
