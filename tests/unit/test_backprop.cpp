// The backward pass against central finite differences of an independent double-precision
// forward pass, for every activation and every loss.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/engine/backprop.h"
#include "core/simulation.h"

using namespace initscope;

namespace {

// L = (1/B)·Σ A_L for the given weights (double, naive loops).
double sum_loss(const Activation& act, const Eigen::MatrixXd& x,
                const std::vector<Eigen::MatrixXd>& w) {
  Eigen::MatrixXd a = x;
  for (const auto& wl : w) {
    Eigen::MatrixXd z = a * wl;
    for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = act.apply(z(i));
    a = z;
  }
  return a.sum() / static_cast<double>(x.rows());
}

}  // namespace

TEST(Backprop, WeightGradientsMatchFiniteDifferencesForEveryActivation) {
  for (const std::string& name : activation_names()) {
    Experiment e;
    e.activation = Activation::parse(name);
    e.layers = 3;
    e.widths = {5, 4, 3};
    e.input_dim = 6;
    e.batch = 7;
    e.seed = 3;
    e.gradients = true;
    e.loss = "sum";
    e.inits = {InitSpec::parse("xavier_normal:gain=1.3")};
    Simulation sim(e);
    ASSERT_TRUE(sim.update());
    const Snapshot s = sim.snapshot();
    const Eigen::MatrixXd x = sim.batch().cast<double>();
    std::vector<Eigen::MatrixXd> w;
    for (int l = 0; l < e.layers; ++l) w.push_back(sim.weight(0, l).cast<double>());
    double worst = 0;
    int worst_layer = 0;
    for (int l = 0; l < e.layers; ++l) {
      // Finite-difference gradient of layer l, then its norm, mean and std.
      Eigen::MatrixXd g(w[l].rows(), w[l].cols());
      const double h = 1e-6;
      for (Eigen::Index k = 0; k < w[l].size(); ++k) {
        auto wp = w, wm = w;
        wp[l](k) += h;
        wm[l](k) -= h;
        g(k) = (sum_loss(e.activation, x, wp) - sum_loss(e.activation, x, wm)) / (2 * h);
      }
      const LayerStats& ls = s.columns[0].layers[l];
      ASSERT_TRUE(ls.has_grad);
      const double norm = g.norm();
      const double mean = g.mean();
      const double sd = std::sqrt((g.array() - mean).square().mean());
      for (double d :
           {std::fabs(ls.grad_norm - norm) / norm, std::fabs(ls.grad_weight.mean - mean) / norm,
            std::fabs(ls.grad_weight.std - sd) / norm}) {
        if (d > worst) worst = d, worst_layer = l + 1;
      }
    }
    EXPECT_LT(worst, 1e-4) << name << ": worst relative difference " << worst << " at layer "
                           << worst_layer << " (tolerance 1e-4)";
  }
}

TEST(Backprop, LossGradientsMatchFiniteDifferences) {
  Rng init(5);
  Eigen::MatrixXf a(4, 6);
  for (Eigen::Index i = 0; i < a.size(); ++i) a(i) = static_cast<float>(init.normal());
  for (const std::string loss : {"sum", "mse", "xent"}) {
    Eigen::MatrixXf d;
    Rng r0(9);
    loss_gradient(loss, a, r0, d);
    double worst = 0;
    for (Eigen::Index k = 0; k < a.size(); ++k) {
      // float inputs: a step of 1e-2 with a quadratic-accurate central difference.
      const float h = 1e-2f;
      Eigen::MatrixXf ap = a, am = a, scratch;
      ap(k) += h;
      am(k) -= h;
      Rng rp(9), rm(9);
      const double fd =
          (loss_gradient(loss, ap, rp, scratch) - loss_gradient(loss, am, rm, scratch)) / (2 * h);
      worst = std::max(worst, std::fabs(fd - d(k)));
    }
    EXPECT_LT(worst, 2e-4) << loss << ": worst absolute difference " << worst;
  }
}

TEST(Backprop, VanishingGradientsUnderCollapse) {
  // tanh with N(0, 0.01): the gradient norm shrinks by ~0.22 per layer going backwards... and the
  // first layer's dW is orders of magnitude below the last layer's.
  Experiment e;
  e.layers = 6;
  e.widths = {200};
  e.batch = 100;
  e.gradients = true;
  e.inits = {InitSpec::parse("normal:std=0.01"), InitSpec::parse("xavier_normal")};
  const Snapshot s = Simulation::run(e);
  const auto& collapse = s.columns[0].layers;
  const auto& xavier = s.columns[1].layers;
  EXPECT_LT(collapse.back().grad_act.std, collapse.front().grad_act.std);
  EXPECT_GT(xavier.front().grad_ratio, 100 * collapse.front().grad_ratio);
}

// The vectorised tanh and sigmoid derivatives against closed forms in double that do not cancel
// — tanh' = 1/cosh², σ' = σ(z)·σ(−z) — over [−20, 20], saturated units included (where
// 1 − tanh² cancels to 0, even in double beyond |z| ≈ 19), and NaN/±Inf.
TEST(Backprop, VectorisedDerivativesMatchClosedForms) {
  for (const char* name : {"tanh", "sigmoid"}) {
    const Activation act = Activation::parse(name);
    Eigen::MatrixXf z(1, 4001 + 3);
    for (int i = 0; i <= 4000; ++i) z(0, i) = -20.0f + 0.01f * static_cast<float>(i);
    z(0, 4001) = std::numeric_limits<float>::quiet_NaN();
    z(0, 4002) = std::numeric_limits<float>::infinity();
    z(0, 4003) = -std::numeric_limits<float>::infinity();
    Eigen::MatrixXf d;
    activation_derivative(act, z, d);
    double worst = 0;
    for (int i = 0; i <= 4000; ++i) {
      const double x = z(0, i);
      const double ref = act.kind == ActivationKind::Tanh
                             ? 1.0 / (std::cosh(x) * std::cosh(x))
                             : 1.0 / (1.0 + std::exp(-x)) / (1.0 + std::exp(x));
      worst = std::max(worst, std::abs(d(0, i) - ref) / ref);
    }
    EXPECT_LT(worst, 1e-5) << name << ": worst relative difference " << worst
                           << " (tolerance 1e-5)";
    EXPECT_TRUE(std::isnan(d(0, 4001))) << name;
    EXPECT_EQ(d(0, 4002), 0.0f) << name;
    EXPECT_EQ(d(0, 4003), 0.0f) << name;
  }
}
