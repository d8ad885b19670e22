// Distributions of their own (zeros, ones, constant, uniform, normal, trunc_normal), their
// two-parameter checks, and the building blocks of every family's samplers (init_samplers.h).
#include "init_samplers.h"

namespace initscope::samplers {

WeightDistribution uniform_bound(double bound) {
  WeightDistribution d;
  d.family = Family::Uniform;
  d.lo = -bound;
  d.hi = bound;
  return d;
}

WeightDistribution normal_std(double std) {
  WeightDistribution d;
  d.family = Family::Normal;
  d.std = std;
  return d;
}

WeightDistribution constant_value(double value) {
  WeightDistribution d;
  d.family = Family::Constant;
  d.value = value;
  return d;
}

WeightDistribution zeros(const InitSpec&, int, int, const Activation&) {
  return constant_value(0.0);
}

WeightDistribution ones(const InitSpec&, int, int, const Activation&) {
  return constant_value(1.0);
}

WeightDistribution constant(const InitSpec& spec, int, int, const Activation& act) {
  return constant_value(spec.number("val", act));
}

WeightDistribution uniform(const InitSpec& spec, int, int, const Activation& act) {
  WeightDistribution d;
  d.family = Family::Uniform;
  d.lo = spec.number("a", act);
  d.hi = spec.number("b", act);
  return d;
}

WeightDistribution normal(const InitSpec& spec, int, int, const Activation& act) {
  WeightDistribution d = normal_std(spec.number("std", act));
  d.mean = spec.number("mean", act);
  return d;
}

WeightDistribution trunc_normal(const InitSpec& spec, int, int, const Activation& act) {
  WeightDistribution d;
  d.family = Family::TruncatedNormal;
  d.mean = spec.number("mean", act);
  d.std = spec.number("std", act);
  d.lo = spec.number("a", act);
  d.hi = spec.number("b", act);
  return d;
}

std::string uniform_check(const InitSpec& spec) {
  const Activation none;
  if (spec.number("a", none) <= spec.number("b", none)) return "";
  return "needs a <= b, got a=" + spec.values.at("a") + ", b=" + spec.values.at("b") +
         "; allowed: a <= b";
}

std::string trunc_normal_check(const InitSpec& spec) {
  const Activation none;
  const double a = spec.number("a", none), b = spec.number("b", none);
  if (!(a < b))
    return "needs a < b, got a=" + spec.values.at("a") + ", b=" + spec.values.at("b") +
           "; allowed: a < b";
  if (!(normal_interval_mass(spec.number("mean", none), spec.number("std", none), a, b) > 1e-300))
    return "[a, b] = [" + spec.values.at("a") + ", " + spec.values.at("b") +
           "] holds no probability under N(mean, std²); allowed: cut-offs less than about 37 "
           "std from the mean";
  return "";
}

WeightDistribution orthogonal_with_gain(double gain) {
  WeightDistribution d;
  d.family = Family::Orthogonal;
  d.gain = gain;
  return d;
}

}  // namespace initscope::samplers
