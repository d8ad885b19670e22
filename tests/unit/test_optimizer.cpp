// The optimizers against hand-written updates (torch.optim's formulas, in double) on a tiny
// network's real gradients, over three steps so that momentum and Adam's state and bias
// corrections are exercised. Prints the worst difference and the tolerance.
#include <gtest/gtest.h>

#include <cmath>

#include "core/engine/mlp.h"
#include "core/rng.h"
#include "core/training/optimizer.h"

using namespace initscope;

namespace {

MlpParams tiny_net(Rng& rng) {
  MlpParams p;
  for (auto [in, out] : {std::pair{5, 4}, std::pair{4, 3}}) {
    Eigen::MatrixXf w(in, out);
    for (Eigen::Index i = 0; i < w.size(); ++i) w(i) = static_cast<float>(0.5 * rng.normal());
    Eigen::RowVectorXf b(out);
    for (Eigen::Index i = 0; i < b.size(); ++i) b(i) = static_cast<float>(0.1 * rng.normal());
    p.w.push_back(w);
    p.b.push_back(b);
  }
  return p;
}

// The hand-written reference: one tensor's θ and state, in double.
struct Reference {
  std::vector<double> theta, m, v;
  void step(const OptimizerConfig& c, const float* g, int t) {
    if (m.empty()) m.assign(theta.size(), 0.0), v.assign(theta.size(), 0.0);
    for (size_t i = 0; i < theta.size(); ++i) {
      const double gi = g[i];
      switch (c.kind) {
        case OptimizerKind::Sgd:
          theta[i] -= c.lr * gi;
          break;
        case OptimizerKind::Momentum:
          m[i] = c.momentum * m[i] + gi;
          theta[i] -= c.lr * m[i];
          break;
        case OptimizerKind::Adam: {
          m[i] = c.beta1 * m[i] + (1 - c.beta1) * gi;
          v[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi;
          const double m_hat = m[i] / (1 - std::pow(c.beta1, t));
          const double v_hat = v[i] / (1 - std::pow(c.beta2, t));
          theta[i] -= c.lr * m_hat / (std::sqrt(v_hat) + c.eps);
          break;
        }
      }
    }
  }
};

}  // namespace

TEST(Optimizer, ThreeStepsEqualTheHandWrittenUpdates) {
  const Activation relu = Activation::parse("relu");
  for (const OptimizerKind kind :
       {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam}) {
    Rng rng(11);
    MlpParams p = tiny_net(rng);
    RowMatrixXf x(6, 5);
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = static_cast<float>(rng.uniform());
    const std::vector<uint8_t> labels = {0, 1, 2, 2, 1, 0};
    OptimizerConfig config;
    config.kind = kind;
    config.lr = OptimizerConfig::default_lr(kind);
    std::vector<Eigen::Index> sizes;
    std::vector<Reference> ref;
    for (int l = 0; l < p.layers(); ++l) {
      sizes.push_back(p.w[l].size());
      sizes.push_back(p.b[l].size());
      ref.push_back({std::vector<double>(p.w[l].data(), p.w[l].data() + p.w[l].size()), {}, {}});
      ref.push_back({std::vector<double>(p.b[l].data(), p.b[l].data() + p.b[l].size()), {}, {}});
    }
    Optimizer opt(config, sizes);
    MlpPass pass;
    double worst = 0, scale = 0;
    for (int t = 1; t <= 3; ++t) {
      mlp_forward(p, relu, x, pass);
      mlp_loss_backward(p, relu, x, labels.data(), pass);
      opt.begin_step();
      for (int l = 0; l < p.layers(); ++l) {
        ref[2 * l].step(config, pass.d_w[l].data(), t);
        ref[2 * l + 1].step(config, pass.d_b[l].data(), t);
        opt.update(2 * l, p.w[l].data(), pass.d_w[l].data());
        opt.update(2 * l + 1, p.b[l].data(), pass.d_b[l].data());
      }
      for (int l = 0; l < p.layers(); ++l) {
        for (auto [got, want] :
             {std::pair{p.w[l].data(), &ref[2 * l]}, std::pair{p.b[l].data(), &ref[2 * l + 1]}}) {
          for (size_t i = 0; i < want->theta.size(); ++i) {
            worst = std::max(worst, std::fabs(got[i] - want->theta[i]));
            scale = std::max(scale, std::fabs(want->theta[i]));
          }
        }
      }
    }
    // float arithmetic on θ of size ≤ `scale`: a few float ulps.
    const double tol = 4e-7 * scale;
    EXPECT_LT(worst, tol) << OptimizerConfig::kind_name(kind) << ": worst |θ − reference| " << worst
                          << " after 3 steps (tolerance " << tol << ")";
  }
}

TEST(Optimizer, AdamsFirstStepIsLrTimesTheSignOfTheGradient) {
  // m̂ = g, v̂ = g²: Δθ = −lr·g/(|g| + ε) — whatever the gradient's scale.
  OptimizerConfig c;
  c.kind = OptimizerKind::Adam;
  c.lr = 0.01;
  Optimizer opt(c, {4});
  float theta[4] = {1, 1, 1, 1};
  const float g[4] = {1e-3f, -5.f, 200.f, -1e-2f};
  opt.begin_step();
  opt.update(0, theta, g);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(theta[i], 1 - 0.01 * (g[i] > 0 ? 1 : -1), 1e-6) << "g = " << g[i];
  }
}
