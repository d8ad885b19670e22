#pragma once
// Activation functions φ and their derivatives φ', applied elementwise to B×n matrices.
#include <cstddef>
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

  double apply(double z) const;                          // φ(z), scalar reference
  double derivative(double z) const;                     // φ'(z), scalar reference
  void apply(const float* z, float* a, size_t n) const;  // a = φ(z) on a run
  // a = φ(z) for an Eigen matrix (a is resized unless it is z). A template so that this header
  // does not include Eigen: render and the window see activations, not matrices.
  template <class Matrix>
  void apply(const Matrix& z, Matrix& a) const {
    if (&a != &z) a.resize(z.rows(), z.cols());
    // One thread: a 500k-element apply takes ~0.2 ms, and an OpenMP region on two busy, shared
    // cores can cost 100× that when a thread is descheduled.
    apply(z.data(), a.data(), static_cast<size_t>(z.size()));
  }
};

const std::vector<std::string>& activation_names();

}  // namespace initscope
