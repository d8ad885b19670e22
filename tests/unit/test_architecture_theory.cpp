// Mean-field theory of the architectures (core/architecture_theory.h) against independent
// references: closed forms (the arc-cosine kernel of ReLU, the residual variance recursions,
// BatchNorm's π/(π−1)), a Monte-Carlo of the Gaussian cross moment in double, and a naive
// double-precision implementation of the networks (its own norm code, not BlockNet's); and the
// BatchNorm gradient rate against the engine's BlockNet.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "core/engine/block_net.h"
#include "core/theory/architecture_theory.h"
#include "core/theory/mean_field.h"

using namespace initscope;

namespace {

constexpr double kAtPi = 3.14159265358979323846;

Experiment at_experiment(const std::string& act, int layers, int width, int batch,
                         const std::string& init, Architecture arch) {
  Experiment e;
  e.activation = Activation::parse(act);
  e.layers = layers;
  e.widths = {width};
  e.batch = batch;
  e.inits = {InitSpec::parse(init)};
  e.arch = arch;
  return e;
}

Architecture at_arch(NormKind norm, ResidualKind residual, double gain = 1,
                     const std::string& scale = "1") {
  Architecture a;
  a.norm = norm;
  a.residual = residual;
  a.norm_gain = gain;
  a.scale = ResidualScale::parse(scale);
  return a;
}

// E[relu(u)relu(v)] for unit-variance-q Gaussians with correlation c (Cho & Saul 2009):
// q/(2π)·(sin θ + (π − θ)·cos θ), θ = arccos c.
double at_arccos_kernel(double q, double c) {
  const double t = std::acos(c);
  return q / (2 * kAtPi) * (std::sin(t) + (kAtPi - t) * std::cos(t));
}

}  // namespace

TEST(ArchitectureTheory, CrossMomentQuadratureMatchesTheArcCosineKernel) {
  // The quadrature (used for tanh and the smooth activations) against ReLU's and leaky ReLU's
  // closed forms, written out here: (1 + a²)·K(c) − 2a·K(−c) for leaky ReLU.
  double worst = 0;
  for (const char* name : {"relu", "leaky_relu:slope=0.2"}) {
    const Activation act = Activation::parse(name);
    const double a = act.kind == ActivationKind::Relu ? 0.0 : act.slope;
    for (double q : {1e-4, 0.5, 2.0, 1e3})
      for (double c : {-1.0, -0.3, 0.0, 0.4, 0.9, 0.999, 1.0}) {
        const double ref = (1 + a * a) * at_arccos_kernel(q, c) - 2 * a * at_arccos_kernel(q, -c);
        for (double got : {activation_cross_moment_quadrature(act, q, c * q),
                           activation_cross_moment(act, q, c * q)}) {
          // c = −1 with ReLU: exactly 0 (the closed form leaves rounding ~2e-17·q).
          const double err = std::fabs(got - ref);
          if (std::fabs(ref) > 1e-12 * q) worst = std::max(worst, err / std::fabs(ref));
          EXPECT_LT(err, 1e-9 * std::fabs(ref) + 1e-12 * q)
              << name << " q=" << q << " c=" << c << " got " << got << " ref " << ref;
        }
      }
  }
  std::printf(
      "cross moment (quadrature and closed form) vs arc-cosine kernel: worst relative "
      "error %.3g\n",
      worst);
  // Overflowed variances give NaN, not an exception.
  EXPECT_TRUE(std::isnan(activation_cross_moment(Activation::parse("tanh"), INFINITY, 1.0)));
}

TEST(ArchitectureTheory, TanhCrossMomentMatchesMonteCarloInDouble) {
  // 2·10⁶ pairs, seed 7: the Monte-Carlo's own standard error is ≈ 3e-4; tolerance 4 of them.
  const Activation tanh_act = Activation::parse("tanh");
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n01;
  double worst = 0;
  for (const auto& [q, c] : {std::pair{1.0, 0.5}, {4.0, -0.2}, {0.3, 0.95}}) {
    const int n = 2'000'000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      const double a = n01(rng), b = n01(rng);
      const double u = std::sqrt(q) * a, v = std::sqrt(q) * (c * a + std::sqrt(1 - c * c) * b);
      const double x = std::tanh(u) * std::tanh(v);
      sum += x;
      sum2 += x * x;
    }
    const double mc = sum / n, se = std::sqrt((sum2 / n - mc * mc) / n);
    const double got = activation_cross_moment(tanh_act, q, c * q);
    worst = std::max(worst, std::fabs(got - mc) / se);
    EXPECT_NEAR(got, mc, 4 * se) << "q=" << q << " c=" << c;
  }
  std::printf("tanh cross moment vs Monte-Carlo: worst difference %.2f standard errors\n", worst);
}

TEST(ArchitectureTheory, PreResidualWithoutNormDoublesPerBlockWithHeRelu) {
  // q_{l+1} = q_l + α²·σ_w²·E[relu(z)²] = q_l(1 + α²) with σ_w² = 2: ×2 at α = 1.
  for (const std::string scale : {"1", "0.5", "1/sqrt(L)"}) {
    const Experiment e = at_experiment("relu", 9, 100, 1000, "kaiming_normal",
                                       at_arch(NormKind::None, ResidualKind::Pre, 1, scale));
    const Prediction p = predict(e, e.inits[0]);
    ASSERT_TRUE(p.caveat.empty()) << p.caveat;
    const double a2 = std::pow(ResidualScale::parse(scale).resolve(8), 2);
    double worst = 0;
    for (int l = 1; l < 9; ++l) {
      const double ratio = std::pow(p.layers[l].act_std / p.layers[l - 1].act_std, 2);
      worst = std::max(worst, std::fabs(ratio - (1 + a2)));
      EXPECT_NEAR(p.layers[l].branch_std,
                  std::sqrt(a2 * p.layers[l - 1].act_std * p.layers[l - 1].act_std),
                  1e-12 * p.layers[l].act_std);
    }
    EXPECT_LT(worst, 1e-12) << "scale " << scale;
    // 1/√L: (1 + 1/L)^L < e — bounded whatever the depth.
    if (scale == "1/sqrt(L)") {
      EXPECT_LT(std::pow(p.layers.back().act_std / p.layers.front().act_std, 2), std::exp(1.0));
    }
  }
}

TEST(ArchitectureTheory, PreLayerNormGrowsLinearly) {
  // Each block adds α²·σ_w²·E[relu(γξ)²]·q/(q+ε) = α²·2·γ²/2 (q ≫ ε).
  const double gamma = 0.7;
  const Experiment e = at_experiment("relu", 12, 100, 1000, "kaiming_normal",
                                     at_arch(NormKind::Layer, ResidualKind::Pre, gamma));
  const Prediction p = predict(e, e.inits[0]);
  double worst = 0;
  for (int l = 1; l < 12; ++l) {
    const double q0 = std::pow(p.layers[l - 1].act_std, 2), q1 = std::pow(p.layers[l].act_std, 2);
    const double step = gamma * gamma * q0 / (q0 + kNormEpsilon);
    worst = std::max(worst, std::fabs((q1 - q0) - step));
    EXPECT_NEAR(p.layers[l].normed_std, gamma * std::sqrt(q0 / (q0 + kNormEpsilon)), 1e-12);
  }
  EXPECT_LT(worst, 1e-12);
  std::printf("pre-LN: worst difference from +γ² per block %.3g\n", worst);
}

TEST(ArchitectureTheory, PostLayerNormAndPlainNormsKeepTheForwardFixed) {
  for (NormKind norm : {NormKind::Layer, NormKind::Rms}) {
    const Experiment e =
        at_experiment("tanh", 8, 100, 500, "normal:std=1", at_arch(norm, ResidualKind::Post, 1.5));
    const Prediction p = predict(e, e.inits[0]);
    for (int l = 2; l <= 8; ++l) EXPECT_NEAR(p.layers[l - 1].act_std, 1.5, 1e-5) << l;
  }
  // Plain + BN / LN: the normalized pre-activation has std γ·√(v/(v+ε)) in every layer; ReLU's
  // output then has std γ·√(1/2 − 1/(2π)) and mean γ/√(2π).
  for (NormKind norm : {NormKind::Batch, NormKind::Layer}) {
    const Experiment e =
        at_experiment("relu", 8, 100, 1000, "normal:std=1", at_arch(norm, ResidualKind::None, 2.0));
    const Prediction p = predict(e, e.inits[0]);
    for (const LayerPrediction& lp : p.layers) {
      EXPECT_NEAR(lp.normed_std, 2.0, 1e-4) << lp.layer;
      EXPECT_NEAR(lp.act_mean, 2.0 / std::sqrt(2 * kAtPi), 1e-4) << lp.layer;
      EXPECT_NEAR(lp.act_std, 2.0 * std::sqrt(0.5 - 0.5 / kAtPi), 1e-4) << lp.layer;
    }
  }
}

TEST(ArchitectureTheory, BatchNormReluGradientGrowthAndCaveats) {
  const Experiment relu = at_experiment("relu", 6, 100, 1000, "normal:std=1",
                                        at_arch(NormKind::Batch, ResidualKind::None));
  const Prediction p = predict(relu, relu.inits[0]);
  EXPECT_NEAR(p.grad_sq_growth, 1.4669422, 1e-6);  // π/(π−1)
  EXPECT_TRUE(p.grad_note.empty());
  const Experiment tanh_bn = at_experiment("tanh", 6, 100, 1000, "normal:std=1",
                                           at_arch(NormKind::Batch, ResidualKind::None));
  const Prediction t = predict(tanh_bn, tanh_bn.inits[0]);
  EXPECT_TRUE(std::isnan(t.grad_sq_growth));
  EXPECT_NE(t.grad_note.find("ReLU"), std::string::npos) << t.grad_note;
  // A bias with a mean: no architecture prediction, a sentence instead.
  Experiment biased = relu;
  biased.bias = InitSpec::parse("constant:val=0.1", "--bias");
  EXPECT_NE(predict(biased, biased.inits[0]).caveat.find("non-zero mean"), std::string::npos);
}

TEST(ArchitectureTheory, PlainPredictionAndJsonUnchanged) {
  Experiment e = at_experiment("tanh", 4, 100, 1000, "xavier_normal", Architecture{});
  const nlohmann::ordered_json j = theory_json(e, e.inits[0]);
  EXPECT_FALSE(j.contains("architecture"));
  EXPECT_EQ(j["layers"][0].size(), 6u) << j["layers"][0].dump();
  // The column's override makes it an architecture prediction with the extra keys.
  e.inits = {InitSpec::parse("xavier_normal:norm=layer,residual=pre")};
  const nlohmann::ordered_json a = theory_json(e, e.inits[0]);
  EXPECT_EQ(a["architecture"], e.column_arch(0).summary());
  EXPECT_TRUE(a["layers"][1].contains("branch_channel_var"));
  EXPECT_TRUE(a["phase"] == "none");
}

namespace {

// The measured signal-propagation statistics of a naive double-precision network.
struct AtMeasured {
  std::vector<double> sq_mean, var, branch_var, act_std;
};

Eigen::MatrixXd at_norm(NormKind kind, const Eigen::MatrixXd& z, double gamma) {
  Eigen::MatrixXd h = z;
  if (kind == NormKind::Batch) {
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
      const double m = z.col(j).mean();
      const double v = (z.col(j).array() - m).square().mean();
      h.col(j) = gamma * (z.col(j).array() - m) / std::sqrt(v + kNormEpsilon);
    }
  } else if (kind != NormKind::None) {
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double m = kind == NormKind::Layer ? z.row(i).mean() : 0.0;
      const double v = (z.row(i).array() - m).square().mean();
      h.row(i) = gamma * (z.row(i).array() - m) / std::sqrt(v + kNormEpsilon);
    }
  }
  return h;
}

void at_channel_stats(const Eigen::MatrixXd& x, double& sq_mean, double& var) {
  const Eigen::RowVectorXd m = x.colwise().mean();
  sq_mean = m.array().square().mean();
  var = (x.rowwise() - m).array().square().colwise().mean().mean();
}

AtMeasured at_simulate(const Experiment& e, const Architecture& a, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01;
  const int n = e.widths[0], B = e.batch;
  const double alpha = a.scale.resolve(a.blocks(e.layers));
  auto gaussian = [&](int r, int c, double std) {
    Eigen::MatrixXd m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = std * n01(rng);
    return m;
  };
  auto phi = [&](const Eigen::MatrixXd& z) {
    return z.unaryExpr([&](double v) { return e.activation.apply(v); }).eval();
  };
  Eigen::MatrixXd x = gaussian(B, n, 1.0);
  AtMeasured out;
  for (int l = 1; l <= e.layers; ++l) {
    const double w_std = std::sqrt(effective_init(e, e.inits[0], l).sigma_w2 / n);
    const Eigen::MatrixXd w = gaussian(n, n, w_std);
    double branch_var = NAN;
    if (a.has_branch(l)) {
      const bool pre = a.residual == ResidualKind::Pre;
      const Eigen::MatrixXd r = alpha * (phi(pre ? at_norm(a.norm, x, a.norm_gain) : x) * w);
      double unused;
      at_channel_stats(r, unused, branch_var);
      x = pre ? Eigen::MatrixXd(x + r) : at_norm(a.norm, x + r, a.norm_gain);
    } else if (a.residual_net()) {
      x = x * w;
    } else {
      x = phi(at_norm(a.norm, x * w, a.norm_gain));
    }
    double sq, var;
    at_channel_stats(x, sq, var);
    out.sq_mean.push_back(sq);
    out.var.push_back(var);
    out.branch_var.push_back(branch_var);
    const double mean = x.mean();
    out.act_std.push_back(std::sqrt((x.array() - mean).square().mean()));
  }
  return out;
}

}  // namespace

TEST(ArchitectureTheory, SignalPropagationMatchesNaiveWideNetworksInDouble) {
  // Width 1000, batch 64, 4 layers, the average of seeds 1–3. Tolerances: 8% on variances and
  // stds (a single ReLU net wanders by ≈ √(2/n) per layer, see test_mean_field.cpp), 15% on the
  // channels' squared means (for a zero-mean tanh stream these are q/B: an average of 1000
  // χ²-like values, ±4.5% each seed).
  struct Case {
    const char* act;
    const char* init;
    Architecture arch;
  };
  const Case cases[] = {
      {"relu", "kaiming_normal", at_arch(NormKind::None, ResidualKind::Pre)},
      {"tanh", "xavier_normal", at_arch(NormKind::Layer, ResidualKind::Pre, 1.0, "0.5")},
      {"relu", "kaiming_normal", at_arch(NormKind::Layer, ResidualKind::Post)},
      {"relu", "normal:std=1", at_arch(NormKind::Batch, ResidualKind::None, 1.5)},
      {"tanh", "normal:std=0.1", at_arch(NormKind::Rms, ResidualKind::None)},
      {"relu", "kaiming_normal", Architecture{}},
  };
  double worst_var = 0, worst_sq = 0;
  for (const Case& c : cases) {
    const Experiment e = at_experiment(c.act, 4, 1000, 64, c.init, c.arch);
    const Prediction p = predict(e, e.inits[0]);
    AtMeasured avg;
    const int seeds = 3;
    for (int s = 1; s <= seeds; ++s) {
      const AtMeasured m = at_simulate(e, c.arch, s);
      if (avg.var.empty())
        avg = AtMeasured{std::vector<double>(4), std::vector<double>(4), std::vector<double>(4),
                         std::vector<double>(4)};
      for (int l = 0; l < 4; ++l) {
        avg.sq_mean[l] += m.sq_mean[l] / seeds;
        avg.var[l] += m.var[l] / seeds;
        avg.branch_var[l] += m.branch_var[l] / seeds;
        avg.act_std[l] += m.act_std[l] / seeds;
      }
    }
    for (int l = 0; l < 4; ++l) {
      const LayerPrediction& lp = p.layers[l];
      const std::string where =
          std::string(c.act) + " " + c.arch.summary() + " layer " + std::to_string(l + 1);
      const double ev = std::fabs(avg.var[l] / lp.channel_var - 1);
      const double es = std::fabs(avg.sq_mean[l] / lp.channel_sq_mean - 1);
      worst_var = std::max(worst_var, ev);
      worst_sq = std::max(worst_sq, es);
      EXPECT_LT(ev, 0.08) << where << ": var " << avg.var[l] << " vs " << lp.channel_var;
      EXPECT_LT(es, 0.15) << where << ": sq mean " << avg.sq_mean[l] << " vs "
                          << lp.channel_sq_mean;
      EXPECT_LT(std::fabs(avg.act_std[l] / lp.act_std - 1), 0.08) << where;
      if (std::isfinite(lp.branch_channel_var)) {
        EXPECT_LT(std::fabs(avg.branch_var[l] / lp.branch_channel_var - 1), 0.08) << where;
      }
    }
  }
  std::printf(
      "signal propagation vs naive double nets: worst relative difference %.3f "
      "(channel variance), %.3f (squared channel mean)\n",
      worst_var, worst_sq);
}

TEST(ArchitectureTheory, BatchNormReluGradientGrowthInTheBlockNet) {
  // The engine's plain BatchNorm ReLU net (width 512, batch 512, 24 layers, seed 3), dL/d(out)
  // of the last layer N(0, 1): E‖dL/dA_l‖² per layer from layer 20 down to 4, against π/(π−1).
  const int n = 512, B = 512, L = 24;
  const Architecture arch = at_arch(NormKind::Batch, ResidualKind::None);
  const BlockNet net(arch, Activation::parse("relu"), L, false);
  std::mt19937_64 rng(3);
  std::normal_distribution<float> n01;
  auto gaussian = [&](int r, int c, float std) {
    Eigen::MatrixXf m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = std * n01(rng);
    return m;
  };
  BlockNetParams p;
  for (int l = 0; l < L; ++l) p.w.push_back(gaussian(n, n, 1.0f / std::sqrt(float(n))));
  init_norm_params(arch, false, p);
  const Eigen::MatrixXf x = gaussian(B, n, 1.0f);
  std::vector<BlockLayer> layers;
  net.forward(p, x, layers);
  BlockNet::Grads g;
  std::vector<double> sq(L);
  net.backward(p, x, layers, gaussian(B, n, 1.0f), g,
               [&](int l, const Eigen::MatrixXf& d, const Eigen::MatrixXf&) {
                 sq[l] = d.cast<double>().squaredNorm();
               });
  const double rate = std::pow(sq[3] / sq[19], 1.0 / 16);
  std::printf("BatchNorm ReLU: E|dL/dA|^2 grows by %.4f per layer (theory %.4f)\n", rate,
              batchnorm_relu_grad_sq_growth());
  EXPECT_NEAR(rate, batchnorm_relu_grad_sq_growth(), 0.05);
}

TEST(ArchitectureTheory, DeepPredictionsCoverEveryLayer) {
  // 1000-layer predictions (tanh: the quadrature path, ~300 × 300 evaluations per layer) are
  // made once per experiment on the worker thread, before its first update. Their time is
  // printed, not asserted (speed belongs in tests/bench): 1.8–2.5 s each on a loaded 2-core
  // machine, ≈ 8 s under AddressSanitizer.
  for (const auto& [init, arch] :
       {std::pair{"xavier_normal", Architecture{}},
        std::pair{"xavier_normal", at_arch(NormKind::Layer, ResidualKind::Pre)},
        std::pair{"normal:std=1", Architecture{}}}) {
    const Experiment e = at_experiment("tanh", 1000, 100, 1000, init, arch);
    const auto t0 = std::chrono::steady_clock::now();
    const Prediction p = predict(e, e.inits[0]);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("predict, tanh, 1000 layers, %s, %s: %.3f s\n", init, arch.summary().c_str(), s);
    ASSERT_EQ(p.layers.size(), 1000u);
    for (const LayerPrediction& l : p.layers) ASSERT_TRUE(std::isfinite(l.q)) << l.layer;
  }
}
