#pragma once
// Activation functions φ and their derivatives φ', applied elementwise to B×n matrices.
#include <Eigen/Core>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace initscope {

enum class ActivationKind {
  Tanh,
  Sigmoid,
  Relu,
  LeakyRelu,
  Linear,
  Elu,
  Selu,
  Gelu,
  Softplus,
  Swish
};

struct Activation {
  ActivationKind kind = ActivationKind::Tanh;
  double slope = 0.01;  // leaky_relu negative slope (torch default 0.01); elu alpha = 1

  // "tanh", "leaky_relu", "leaky_relu:slope=0.2". Throws UsageError naming `option`.
  static Activation parse(const std::string& text, const std::string& option = "--activation");
  std::string name() const;  // canonical text, parseable by parse()
  // torch.nn.init.calculate_gain; activations torch has no gain for (elu, gelu, softplus,
  // swish) get 1.
  double gain() const;
  // The value range of φ when it is bounded on both sides (tanh [-1,1], sigmoid [0,1]).
  std::optional<std::pair<double, double>> bounded_range() const;
  bool relu_like() const;  // relu / leaky_relu: exact zeros mean dead units
  // Whether a is saturated: tanh |a|>0.99; sigmoid a<0.01 or a>0.99; never for others.
  bool has_saturation() const;

  double apply(double z) const;                                    // φ(z), scalar reference
  double derivative(double z) const;                               // φ'(z), scalar reference
  void apply(const Eigen::MatrixXf& z, Eigen::MatrixXf& a) const;  // a = φ(z), vectorised
  void apply(const float* z, float* a, size_t n) const;            // the same on a run
};

const std::vector<std::string>& activation_names();

}  // namespace initscope
