// The init scheme table: names, aliases, parameters with defaults and ranges, and formulas.
// Formulas follow torch.nn.init (and Keras VarianceScaling); W is fan_in × fan_out, torch's
// weight is Wᵀ.

#include "init_spec.h"

namespace initscope {
namespace {

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

std::vector<InitScheme> make_schemes() {
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

  std::vector<InitScheme> s;
  s.push_back({"zeros", {}, "Zeros", "W = 0", {}, false});
  s.push_back({"ones", {}, "Ones", "W = 1", {}, false});
  s.push_back({"constant", {}, "Constant", "W = val", {number("val", "0", "the value")}, false});
  {
    ParamDef a = number("a", "0", "lower bound (a <= b)");
    ParamDef b = number("b", "1", "upper bound");
    s.push_back({"uniform", {}, "Uniform", "W ~ U(a, b)", {a, b}, false});
  }
  s.push_back({"normal",
               {},
               "Normal",
               "W ~ N(mean, std²)",
               {number("mean", "0", "mean"), number("std", "1", "standard deviation", 0.0)},
               false});
  s.push_back({"trunc_normal",
               {},
               "Truncated normal",
               "W ~ N(mean, std²) restricted to [a, b] (absolute cut-offs; std is the parent's)",
               {number("mean", "0", "mean of the parent normal"),
                positive("std", "1", "standard deviation of the parent normal"),
                number("a", "-2", "lower cut-off (absolute, a < b)"),
                number("b", "2", "upper cut-off (absolute)")},
               false});
  s.push_back({"xavier_uniform",
               {"glorot_uniform"},
               "Xavier / Glorot uniform",
               "W ~ U(-b, b), b = gain·√(6/(fan_in+fan_out))",
               {gain_param(gain_help)},
               true});
  s.push_back({"xavier_normal",
               {"glorot_normal"},
               "Xavier / Glorot normal",
               "W ~ N(0, s²), s = gain·√(2/(fan_in+fan_out))",
               {gain_param(gain_help)},
               true});
  s.push_back({"kaiming_uniform",
               {"he_uniform"},
               "He / Kaiming uniform",
               "W ~ U(-b, b), b = gain·√(3/fan), gain = calculate_gain(nonlinearity, a), "
               "fan = fan_in or fan_out (mode)",
               {kaiming_a, kaiming_mode, kaiming_nonlinearity},
               true});
  s.push_back({"kaiming_normal",
               {"he_normal"},
               "He / Kaiming normal",
               "W ~ N(0, s²), s = gain/√fan, gain = calculate_gain(nonlinearity, a), "
               "fan = fan_in or fan_out (mode)",
               {kaiming_a, kaiming_mode, kaiming_nonlinearity},
               true});
  s.push_back({"lecun_uniform", {}, "LeCun uniform", "W ~ U(-b, b), b = √(3/fan_in)", {}, true});
  s.push_back({"lecun_normal",
               {},
               "LeCun normal",
               "W ~ N(0, σ²) truncated to ±2σ, σ = √(1/fan_in)/0.87962566103423978 "
               "(Keras; std √(1/fan_in))",
               {},
               true});
  s.push_back(
      {"variance_scaling",
       {},
       "Variance scaling (Keras)",
       "v = scale/max(1, fan); truncated_normal: N(0, σ²) cut at ±2σ, σ = √v/0.87962566103423978; "
       "untruncated_normal: N(0, v); uniform: U(-√(3v), √(3v))",
       {positive("scale", "1", "target variance × fan"),
        choice("mode", "fan_in", {"fan_in", "fan_out", "fan_avg"},
               "fan: fan_in, fan_out or (fan_in+fan_out)/2"),
        choice("distribution", "truncated_normal",
               {"truncated_normal", "untruncated_normal", "uniform"}, "the distribution's shape")},
       true});
  s.push_back({"orthogonal",
               {},
               "Orthogonal",
               "W = gain·Q, Q from the QR of a Gaussian matrix with columns times sign(diag R): "
               "orthonormal rows or columns",
               {gain_param(gain_help)},
               true});
  s.push_back({"eye", {}, "Identity", "W(i,j) = 1 if i = j, else 0", {}, true});
  {
    ParamDef sparsity = number("sparsity", "0.1", "fraction of each row set to zero", 0.0, 1.0);
    sparsity.max_exclusive = true;
    s.push_back({"sparse",
                 {},
                 "Sparse",
                 "W ~ N(0, std²), then ceil(sparsity·fan_out) entries of every row set to 0",
                 {sparsity, number("std", "0.01", "standard deviation of the non-zeros", 0.0)},
                 true});
  }
  {
    ParamDef tol = positive("tol", "0.1", "stop when |Var(Z) − 1| ≤ tol");
    ParamDef iters = number("max_iter", "10", "rescaling rounds per layer at most", 1.0, 100.0);
    s.push_back({"lsuv",
                 {},
                 "LSUV (layer-sequential unit variance)",
                 "W = Q orthonormal, then layer by layer on the current batch: "
                 "W ← W/√Var(Z) until |Var(Z) − 1| ≤ tol (Mishkin & Matas 2016)",
                 {tol, iters},
                 true});
  }
  {
    // Data-dependent like lsuv: the pretraining runs where the data is (trainer.h: the training
    // images; simulation.h: the experiment's input batch).
    ParamDef epochs = number("epochs", "1", "passes over the data per layer", 1.0, 1000.0);
    ParamDef lr = positive("lr", "0.1", "CD-1 learning rate");
    ParamDef batch = number("batch", "100", "CD-1 mini-batch size", 1.0, 1e6);
    ParamDef std = positive("std", "0.01", "std of the starting weights N(0, std²) (Hinton 2010)");
    s.push_back({"rbm",
                 {"dbn"},
                 "RBM / DBN pretraining",
                 "W ~ N(0, std²), then greedy layer-wise: layer l trained as an RBM by CD-1 on "
                 "the hidden probabilities σ(A·W + c) of the layers below; W ← the RBM's "
                 "weights, b ← its hidden biases (Hinton et al. 2006). In training the output "
                 "layer keeps N(0, std²)",
                 {epochs, lr, batch, std},
                 true});
  }
  s.push_back({"torch_linear_default",
               {},
               "PyTorch nn.Linear default",
               "W ~ U(-b, b), b = 1/√fan_in (kaiming_uniform with a = √5)",
               {},
               true});
  return s;
}

}  // namespace

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
