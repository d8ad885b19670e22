// The init scheme table: one entry per scheme — names, aliases, parameters with defaults and
// ranges, the formula text, the sampler (its distribution for a layer's fans), two-parameter
// rules and the data-driven stage (LSUV, RBM pretraining). Formulas follow torch.nn.init (and
// Keras VarianceScaling); W is fan_in × fan_out, torch's weight is Wᵀ. The samplers, checks and
// stages live by family in init_samplers.h's files.
// Adding a scheme: one entry in make_schemes() (and its sampler in its family's file, declared
// in init_samplers.h, when the existing ones do not fit), plus its test.

#include <cmath>
#include <string>

#include "init_samplers.h"
#include "init_spec.h"

namespace initscope {
namespace {

// ---- The table ----

ParamDef number(std::string name, std::string def, std::string help, double min = -1e300,
                double max = 1e300) {
  ParamDef p;
  p.name = std::move(name);
  p.kind = ParamDef::Kind::Number;
  p.default_value = std::move(def);
  p.min = min;
  p.max = max;
  p.help = std::move(help);
  return p;
}

ParamDef positive(std::string name, std::string def, std::string help) {
  ParamDef p = number(std::move(name), std::move(def), std::move(help), 0.0);
  p.min_exclusive = true;
  return p;
}

ParamDef gain_param(std::string help) {
  ParamDef p = number("gain", "1", std::move(help), 0.0);
  p.allow_auto = true;
  return p;
}

ParamDef choice(std::string name, std::string def, std::vector<std::string> choices,
                std::string help) {
  ParamDef p;
  p.name = std::move(name);
  p.kind = ParamDef::Kind::Choice;
  p.default_value = std::move(def);
  p.choices = std::move(choices);
  p.help = std::move(help);
  return p;
}

// Distributions of their own: also allowed for the inputs and the biases.
void add_distributions(std::vector<InitScheme>& s) {
  s.push_back({.name = "zeros",
               .title = "Zeros",
               .formula = "W = 0",
               .fan_based = false,
               .distribution = samplers::zeros});
  s.push_back({.name = "ones",
               .title = "Ones",
               .formula = "W = 1",
               .fan_based = false,
               .distribution = samplers::ones});
  s.push_back({.name = "constant",
               .title = "Constant",
               .formula = "W = val",
               .params = {number("val", "0", "the value")},
               .fan_based = false,
               .distribution = samplers::constant});
  s.push_back(
      {.name = "uniform",
       .title = "Uniform",
       .formula = "W ~ U(a, b)",
       .params = {number("a", "0", "lower bound (a <= b)"), number("b", "1", "upper bound")},
       .fan_based = false,
       .distribution = samplers::uniform,
       .check = samplers::uniform_check});
  s.push_back(
      {.name = "normal",
       .title = "Normal",
       .formula = "W ~ N(mean, std²)",
       .params = {number("mean", "0", "mean"), number("std", "1", "standard deviation", 0.0)},
       .fan_based = false,
       .distribution = samplers::normal});
  s.push_back(
      {.name = "trunc_normal",
       .title = "Truncated normal",
       .formula = "W ~ N(mean, std²) restricted to [a, b] (absolute cut-offs; std is the parent's)",
       .params = {number("mean", "0", "mean of the parent normal"),
                  positive("std", "1", "standard deviation of the parent normal"),
                  number("a", "-2", "lower cut-off (absolute, a < b)"),
                  number("b", "2", "upper cut-off (absolute)")},
       .fan_based = false,
       .distribution = samplers::trunc_normal,
       .check = samplers::trunc_normal_check});
}

// Scaled by the fans to keep the variance of the signal (or of the gradient) through a layer.
void add_variance_preserving(std::vector<InitScheme>& s) {
  const std::string gain_help =
      "multiplies the scale; 'auto' = calculate_gain of the network's activation";
  const ParamDef kaiming_a = number("a", "0",
                                    "negative slope of the rectifier after the layer (used when "
                                    "nonlinearity=leaky_relu)",
                                    0.0);
  const ParamDef kaiming_mode = choice("mode", "fan_in", {"fan_in", "fan_out"},
                                       "fan_in keeps the forward variance, fan_out the backward");
  const ParamDef kaiming_nonlinearity =
      choice("nonlinearity", "leaky_relu",
             {"leaky_relu", "relu", "tanh", "sigmoid", "linear", "selu", "auto"},
             "gain = calculate_gain(nonlinearity, a); 'auto' = the network's activation");
  s.push_back({.name = "xavier_uniform",
               .aliases = {"glorot_uniform"},
               .title = "Xavier / Glorot uniform",
               .formula = "W ~ U(-b, b), b = gain·√(6/(fan_in+fan_out))",
               .params = {gain_param(gain_help)},
               .distribution = samplers::xavier_uniform});
  s.push_back({.name = "xavier_normal",
               .aliases = {"glorot_normal"},
               .title = "Xavier / Glorot normal",
               .formula = "W ~ N(0, s²), s = gain·√(2/(fan_in+fan_out))",
               .params = {gain_param(gain_help)},
               .distribution = samplers::xavier_normal});
  s.push_back({.name = "kaiming_uniform",
               .aliases = {"he_uniform"},
               .title = "He / Kaiming uniform",
               .formula = "W ~ U(-b, b), b = gain·√(3/fan), gain = calculate_gain(nonlinearity, "
                          "a), fan = fan_in or fan_out (mode)",
               .params = {kaiming_a, kaiming_mode, kaiming_nonlinearity},
               .distribution = samplers::kaiming_uniform});
  s.push_back({.name = "kaiming_normal",
               .aliases = {"he_normal"},
               .title = "He / Kaiming normal",
               .formula = "W ~ N(0, s²), s = gain/√fan, gain = calculate_gain(nonlinearity, a), "
                          "fan = fan_in or fan_out (mode)",
               .params = {kaiming_a, kaiming_mode, kaiming_nonlinearity},
               .distribution = samplers::kaiming_normal});
  s.push_back({.name = "lecun_uniform",
               .title = "LeCun uniform",
               .formula = "W ~ U(-b, b), b = √(3/fan_in)",
               .distribution = samplers::lecun_uniform});
  s.push_back({.name = "lecun_normal",
               .title = "LeCun normal",
               .formula = "W ~ N(0, σ²) truncated to ±2σ, σ = √(1/fan_in)/0.87962566103423978 "
                          "(Keras; std √(1/fan_in))",
               .distribution = samplers::lecun_normal});
  s.push_back({.name = "variance_scaling",
               .title = "Variance scaling (Keras)",
               .formula = "v = scale/max(1, fan); truncated_normal: N(0, σ²) cut at ±2σ, σ = "
                          "√v/0.87962566103423978; "
                          "untruncated_normal: N(0, v); uniform: U(-√(3v), √(3v))",
               .params = {positive("scale", "1", "target variance × fan"),
                          choice("mode", "fan_in", {"fan_in", "fan_out", "fan_avg"},
                                 "fan: fan_in, fan_out or (fan_in+fan_out)/2"),
                          choice("distribution", "truncated_normal",
                                 {"truncated_normal", "untruncated_normal", "uniform"},
                                 "the distribution's shape")},
               .distribution = samplers::keras_variance_scaling});
  s.push_back({.name = "orthogonal",
               .title = "Orthogonal",
               .formula = "W = gain·Q, Q from the QR of a Gaussian matrix with columns times "
                          "sign(diag R): orthonormal rows or columns",
               .params = {gain_param(gain_help)},
               .distribution = samplers::orthogonal});
}

// Matrices with structure, not i.i.d. entries.
void add_structured(std::vector<InitScheme>& s) {
  s.push_back({.name = "eye",
               .title = "Identity",
               .formula = "W(i,j) = 1 if i = j, else 0",
               .distribution = samplers::eye});
  ParamDef sparsity = number("sparsity", "0.1", "fraction of each row set to zero", 0.0, 1.0);
  sparsity.max_exclusive = true;
  s.push_back(
      {.name = "sparse",
       .title = "Sparse",
       .formula = "W ~ N(0, std²), then ceil(sparsity·fan_out) entries of every row set to 0",
       .params = {sparsity, number("std", "0.01", "standard deviation of the non-zeros", 0.0)},
       .distribution = samplers::sparse});
}

// A random start, then fitted to data by the scheme's stage (data_stage.h).
void add_data_driven(std::vector<InitScheme>& s) {
  s.push_back(
      {.name = "lsuv",
       .title = "LSUV (layer-sequential unit variance)",
       .formula = "W = Q orthonormal, then layer by layer on the current batch: "
                  "W ← W/√Var(Z) until |Var(Z) − 1| ≤ tol (Mishkin & Matas 2016)",
       .params = {positive("tol", "0.1", "stop when |Var(Z) − 1| ≤ tol"),
                  number("max_iter", "10", "rescaling rounds per layer at most", 1.0, 100.0)},
       .distribution = samplers::lsuv_start,
       .stage = &samplers::kLsuvStage});
  s.push_back(
      {.name = "rbm",
       .aliases = {"dbn"},
       .title = "RBM / DBN pretraining",
       .formula = "W ~ N(0, std²), then greedy layer-wise: layer l trained as an RBM by CD-1 on "
                  "the hidden probabilities σ(A·W + c) of the layers below; W ← the RBM's "
                  "weights, b ← its hidden biases (Hinton et al. 2006). In training the output "
                  "layer keeps N(0, std²)",
       .params = {number("epochs", "1", "passes over the data per layer", 1.0, 1000.0),
                  positive("lr", "0.1", "CD-1 learning rate"),
                  number("batch", "100", "CD-1 mini-batch size", 1.0, 1e6),
                  positive("std", "0.01", "std of the starting weights N(0, std²) (Hinton 2010)")},
       .distribution = samplers::rbm_start,
       .stage = &samplers::kRbmStage});
}

// Inits that know the residual architecture (issue 13): they need a residual column.
void add_residual_schemes(std::vector<InitScheme>& s) {
  // Fixup (Zhang, Dauphin & Ma 2019): "initialize the last layer of each residual branch to 0;
  // scale the other weight layers inside residual branches by L^(−1/(2m−2))". Here every branch
  // has m = 1 weight layer, which is its last: the blocks start at zero (the stream is the
  // projection at init) and learn from there; the projection (layer 1) is He normal. The
  // paper's scalar multipliers and biases are not modelled.
  s.push_back({.name = "fixup",
               .title = "Fixup (residual)",
               .formula = "projection W ~ N(0, gain²/fan_in) (He); every residual branch's "
                          "(last and only) layer W = 0",
               .distribution = samplers::fixup,
               .branch = BranchRule::Zero});
  // GPT-2 (Radford et al. 2019): N(0, 0.02²) everywhere, "the weights of residual layers scaled
  // at initialization by 1/√N, N the number of residual layers" — GPT-2 has two residual
  // branches per transformer layer, N = 2L; written 1/√(2L) here with L the blocks.
  s.push_back({.name = "gpt2",
               .title = "GPT-2 (0.02, branches 1/√(2L))",
               .formula = "W ~ N(0, std²), std = 0.02; residual branches' W × 1/√(2L), L blocks",
               .params = {number("std", "0.02", "standard deviation", 0.0)},
               .distribution = samplers::gpt2,
               .branch = BranchRule::InvSqrt2L});
}

std::vector<InitScheme> make_schemes() {
  std::vector<InitScheme> s;
  add_distributions(s);
  add_variance_preserving(s);
  add_structured(s);
  add_data_driven(s);
  add_residual_schemes(s);
  s.push_back({.name = "torch_linear_default",
               .title = "PyTorch nn.Linear default",
               .formula = "W ~ U(-b, b), b = 1/√fan_in (kaiming_uniform with a = √5)",
               .distribution = samplers::torch_linear_default});
  s.push_back({.name = "auto",
               .title = "Auto: He for (leaky) ReLU layers, Xavier for the others",
               .formula = "per layer, by the activation φ after it (the training head: linear): "
                          "relu/leaky_relu → W ~ N(0, gain²/fan_in), gain = √(2/(1+slope²)) (He "
                          "normal); tanh, sigmoid, linear and the others → W ~ N(0, s²), s = "
                          "gain·√(2/(fan_in+fan_out)), gain = calculate_gain(φ): tanh 5/3, "
                          "sigmoid/linear 1, selu 3/4, elu/gelu/softplus/swish 1 (Xavier normal)",
               .distribution = samplers::auto_by_activation,
               .layer_activation = true});
  return s;
}

}  // namespace

double InitScheme::branch_factor(int blocks) const {
  switch (branch) {
    case BranchRule::Zero:
      return 0;
    case BranchRule::InvSqrt2L:
      return 1 / std::sqrt(2.0 * std::max(1, blocks));
    case BranchRule::None:
      break;
  }
  return 1;
}

const std::vector<InitScheme>& init_schemes() {
  static const std::vector<InitScheme> schemes = make_schemes();
  return schemes;
}

const InitScheme* find_init_scheme(const std::string& name_or_alias) {
  for (const auto& s : init_schemes()) {
    if (s.name == name_or_alias) return &s;
    for (const auto& a : s.aliases)
      if (a == name_or_alias) return &s;
  }
  return nullptr;
}

}  // namespace initscope
