// The training network's loss and gradients: dL/dW and dL/db of every layer against central
// finite differences of an independent double-precision forward pass, for several activations.
#include <gtest/gtest.h>

#include <cmath>

#include "core/engine/layer_kernels.h"
#include "core/engine/mlp.h"
#include "core/rng.h"

using namespace initscope;

namespace {

struct NetD {
  std::vector<Eigen::MatrixXd> w;
  std::vector<Eigen::RowVectorXd> b;
};

// Mean softmax cross-entropy, naive double loops.
double loss_double(const NetD& n, const Activation& act, const Eigen::MatrixXd& x,
                   const std::vector<uint8_t>& y) {
  Eigen::MatrixXd a = x;
  for (size_t l = 0; l < n.w.size(); ++l) {
    Eigen::MatrixXd z = a * n.w[l];
    z.rowwise() += n.b[l];
    if (l + 1 < n.w.size()) {
      for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = act.apply(z(i));
    }
    a = z;
  }
  double total = 0;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    double sum = 0;
    for (Eigen::Index j = 0; j < a.cols(); ++j) sum += std::exp(a(i, j));
    total += std::log(sum) - a(i, y[i]);
  }
  return total / static_cast<double>(a.rows());
}

}  // namespace

TEST(Mlp, GradientsMatchFiniteDifferences) {
  for (const std::string name : {"relu", "leaky_relu", "tanh", "sigmoid", "linear", "elu", "gelu",
                                 "softplus", "swish", "selu"}) {
    const Activation act = Activation::parse(name);
    Rng rng(17);
    MlpParams p;
    const std::vector<int> sizes = {6, 5, 4, 3};
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
      Eigen::MatrixXf w(sizes[l], sizes[l + 1]);
      for (Eigen::Index i = 0; i < w.size(); ++i) w(i) = static_cast<float>(0.7 * rng.normal());
      Eigen::RowVectorXf b(sizes[l + 1]);
      for (Eigen::Index i = 0; i < b.size(); ++i) b(i) = static_cast<float>(0.2 * rng.normal());
      p.w.push_back(w);
      p.b.push_back(b);
    }
    RowMatrixXf x(7, 6);
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = static_cast<float>(rng.uniform());
    const std::vector<uint8_t> y = {0, 1, 2, 0, 1, 2, 2};
    MlpPass pass;
    mlp_forward(p, act, x, pass);
    const double loss = mlp_loss_backward(p, act, x, y.data(), pass);
    NetD n;
    for (int l = 0; l < p.layers(); ++l) {
      n.w.push_back(p.w[l].cast<double>());
      n.b.push_back(p.b[l].cast<double>());
    }
    const Eigen::MatrixXd xd = x.cast<double>();
    EXPECT_NEAR(loss, loss_double(n, act, xd, y), 1e-5) << name;
    double worst = 0;
    std::string where;
    const double h = 1e-6;
    for (int l = 0; l < p.layers(); ++l) {
      const double gmax = std::max(pass.d_w[l].cwiseAbs().maxCoeff(), 1e-3f);
      for (Eigen::Index k = 0; k < n.w[l].size(); ++k) {
        NetD np = n, nm = n;
        np.w[l](k) += h;
        nm.w[l](k) -= h;
        const double fd = (loss_double(np, act, xd, y) - loss_double(nm, act, xd, y)) / (2 * h);
        const double d = std::fabs(fd - pass.d_w[l](k)) / gmax;
        if (d > worst) worst = d, where = std::string(1, 'W').append(std::to_string(l + 1));
      }
      for (Eigen::Index k = 0; k < n.b[l].size(); ++k) {
        NetD np = n, nm = n;
        np.b[l](k) += h;
        nm.b[l](k) -= h;
        const double fd = (loss_double(np, act, xd, y) - loss_double(nm, act, xd, y)) / (2 * h);
        const double d = std::fabs(fd - pass.d_b[l](k)) / gmax;
        if (d > worst) worst = d, where = std::string(1, 'b').append(std::to_string(l + 1));
      }
    }
    // float gradients against a double reference: relative to the layer's largest gradient.
    EXPECT_LT(worst, 1e-4) << name << ": worst relative difference " << worst << " in " << where
                           << " (tolerance 1e-4)";
  }
}

TEST(Mlp, SoftmaxCrossEntropyCountsCorrectAndIsStable) {
  Eigen::MatrixXf z(3, 3);
  z << 1000, 0, -1000,  // huge logits: no overflow, loss 0 for the right class
      0, 1, 2,          //
      5, 5, 5;          // ties: the first largest counts
  const std::vector<uint8_t> y = {0, 1, 0};
  int64_t correct = 0;
  Eigen::MatrixXf d;
  const double total = softmax_cross_entropy(z, y.data(), correct, &d, 1.0f);
  EXPECT_EQ(correct, 2);
  const double row2 = std::log(1 + std::exp(1.0) + std::exp(2.0)) - 1;
  EXPECT_NEAR(total, 0 + row2 + std::log(3.0), 1e-9);
  EXPECT_NEAR(d.row(0).sum(), 0, 1e-6);
  EXPECT_NEAR(d(2, 0), 1.0 / 3 - 1, 1e-6);
}
