#pragma once
// The samplers of the init-scheme table (init_schemes.cpp), one file per family of schemes:
//   fixed_schemes.cpp        distributions of their own (zeros … trunc_normal), their two-parameter
//                            checks, and the building blocks every family uses (below);
//   fan_scaled_schemes.cpp   scaled by the fans: Xavier, Kaiming, LeCun, Keras variance scaling,
//                            orthogonal, torch's nn.Linear default, auto, and the residual starts
//                            (Fixup, GPT-2);
//   structured_schemes.cpp   matrices with structure (eye, sparse) and the data-driven schemes'
//                            random starts and stages (LSUV, RBM pretraining).
// A sampler gives W's distribution (fan_in × fan_out; fans are 0 for inputs and biases) for a
// layer; formulas follow torch.nn.init (and Keras VarianceScaling). A new scheme is an entry in
// the table; it needs a sampler here only when none of these fits.
#include <string>

#include "core/engine/activation.h"
#include "data_stage.h"
#include "init_distribution.h"
#include "init_spec.h"

namespace initscope::samplers {

using Family = WeightDistribution::Family;

// ---- Building blocks (fixed_schemes.cpp) ----
WeightDistribution uniform_bound(double bound);  // U(-bound, bound)
WeightDistribution normal_std(double std);       // N(0, std²)
WeightDistribution constant_value(double value);
WeightDistribution orthogonal_with_gain(double gain);

// ---- Distributions of their own, also allowed for the inputs and the biases ----
WeightDistribution zeros(const InitSpec&, int, int, const Activation&);
WeightDistribution ones(const InitSpec&, int, int, const Activation&);
WeightDistribution constant(const InitSpec& spec, int, int, const Activation& act);
WeightDistribution uniform(const InitSpec& spec, int, int, const Activation& act);
WeightDistribution normal(const InitSpec& spec, int, int, const Activation& act);
WeightDistribution trunc_normal(const InitSpec& spec, int, int, const Activation& act);
// Rules that involve two parameters: "" or what is wrong.
std::string uniform_check(const InitSpec& spec);
std::string trunc_normal_check(const InitSpec& spec);

// ---- Scaled by the fans (fan_scaled_schemes.cpp) ----
WeightDistribution xavier_uniform(const InitSpec& spec, int fan_in, int fan_out,
                                  const Activation& act);
WeightDistribution xavier_normal(const InitSpec& spec, int fan_in, int fan_out,
                                 const Activation& act);
WeightDistribution kaiming_uniform(const InitSpec& spec, int fan_in, int fan_out,
                                   const Activation& act);
WeightDistribution kaiming_normal(const InitSpec& spec, int fan_in, int fan_out,
                                  const Activation& act);
WeightDistribution lecun_uniform(const InitSpec&, int fan_in, int fan_out, const Activation&);
WeightDistribution lecun_normal(const InitSpec&, int fan_in, int fan_out, const Activation&);
WeightDistribution keras_variance_scaling(const InitSpec& spec, int fan_in, int fan_out,
                                          const Activation& act);
WeightDistribution orthogonal(const InitSpec& spec, int, int, const Activation& act);
WeightDistribution torch_linear_default(const InitSpec&, int fan_in, int, const Activation&);
WeightDistribution auto_by_activation(const InitSpec&, int fan_in, int fan_out,
                                      const Activation& act);
WeightDistribution fixup(const InitSpec&, int fan_in, int, const Activation& act);
WeightDistribution gpt2(const InitSpec& spec, int, int, const Activation& act);

// ---- Structured, and the data-driven schemes' starts and stages (structured_schemes.cpp) ----
WeightDistribution eye(const InitSpec&, int, int, const Activation&);
WeightDistribution sparse(const InitSpec& spec, int, int, const Activation& act);
WeightDistribution lsuv_start(const InitSpec&, int, int, const Activation&);
WeightDistribution rbm_start(const InitSpec& spec, int, int, const Activation& act);
extern const DataStage kLsuvStage;
extern const DataStage kRbmStage;

}  // namespace initscope::samplers
