// RBM pretraining (the `rbm` init): one CD-1 step against a naive double-precision reference
// drawing the same uniforms, the reconstruction error falling as the RBMs learn, and the scheme
// in the stats simulation and in training.
#include <gtest/gtest.h>

#include <cmath>

#include "core/init/init_sampling.h"
#include "core/init/rbm.h"
#include "core/init/start_weights.h"
#include "core/simulation.h"
#include "core/training/trainer.h"
#include "synthetic_images.h"

using namespace initscope;

namespace {

double sigmoid(double x) {
  return 1 / (1 + std::exp(-x));
}

}  // namespace

TEST(Rbm, Cd1StepMatchesNaiveReference) {
  const int B = 5, V = 6, H = 4;
  Rng init(3);
  Rbm rbm;
  rbm.w.resize(V, H);
  for (Eigen::Index i = 0; i < rbm.w.size(); ++i) rbm.w(i) = static_cast<float>(init.normal());
  rbm.a = Eigen::RowVectorXf::Zero(V);
  rbm.c = Eigen::RowVectorXf::Zero(H);
  for (int j = 0; j < V; ++j) rbm.a(j) = static_cast<float>(0.3 * init.normal());
  for (int j = 0; j < H; ++j) rbm.c(j) = static_cast<float>(0.3 * init.normal());
  Eigen::MatrixXf v0(B, V);
  for (Eigen::Index i = 0; i < v0.size(); ++i) v0(i) = static_cast<float>(init.uniform());
  const double lr = 0.5;

  // Reference: the formulas of rbm.h with loops in double; u in column-major order of B×H.
  const Eigen::MatrixXd w = rbm.w.cast<double>(), v = v0.cast<double>();
  const Eigen::RowVectorXd a = rbm.a.cast<double>(), c = rbm.c.cast<double>();
  Rng ref_rng(99);
  Eigen::MatrixXd ph0(B, H), h0(B, H), pv1(B, V), ph1(B, H);
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < H; ++j) {
      double s = c(j);
      for (int k = 0; k < V; ++k) s += v(i, k) * w(k, j);
      ph0(i, j) = sigmoid(s);
    }
  for (int j = 0; j < H; ++j)
    for (int i = 0; i < B; ++i) h0(i, j) = ref_rng.uniform() < ph0(i, j) ? 1 : 0;
  for (int i = 0; i < B; ++i)
    for (int k = 0; k < V; ++k) {
      double s = a(k);
      for (int j = 0; j < H; ++j) s += h0(i, j) * w(k, j);
      pv1(i, k) = sigmoid(s);
    }
  for (int i = 0; i < B; ++i)
    for (int j = 0; j < H; ++j) {
      double s = c(j);
      for (int k = 0; k < V; ++k) s += pv1(i, k) * w(k, j);
      ph1(i, j) = sigmoid(s);
    }
  Eigen::MatrixXd w1 = w;
  Eigen::RowVectorXd a1 = a, c1 = c;
  double err = 0;
  for (int k = 0; k < V; ++k)
    for (int j = 0; j < H; ++j) {
      double pos = 0, neg = 0;
      for (int i = 0; i < B; ++i) pos += v(i, k) * ph0(i, j), neg += pv1(i, k) * ph1(i, j);
      w1(k, j) += lr * (pos - neg) / B;
    }
  for (int k = 0; k < V; ++k)
    for (int i = 0; i < B; ++i) {
      a1(k) += lr * (v(i, k) - pv1(i, k)) / B;
      err += (v(i, k) - pv1(i, k)) * (v(i, k) - pv1(i, k)) / B;
    }
  for (int j = 0; j < H; ++j)
    for (int i = 0; i < B; ++i) c1(j) += lr * (ph0(i, j) - ph1(i, j)) / B;

  Rng rng(99);
  Cd1Scratch scratch;
  const double got_err = cd1_step(rbm, v0, static_cast<float>(lr), rng, scratch);
  EXPECT_TRUE((scratch.h0.cast<double>().array() == h0.array()).all()) << "hidden samples differ";
  const double worst =
      std::max({(rbm.w.cast<double>() - w1).cwiseAbs().maxCoeff(),
                (rbm.a.cast<double>() - a1).cwiseAbs().maxCoeff(),
                (rbm.c.cast<double>() - c1).cwiseAbs().maxCoeff(), std::fabs(got_err - err)});
  EXPECT_LT(worst, 1e-5) << "worst |difference| " << worst << " (tolerance 1e-5)";
}

TEST(Rbm, ReconstructionErrorFallsAsTheStackLearns) {
  const LabelledImages images = test::prototype_images(1000, 8, 4, 5);
  RbmData data;
  data.count = images.count;
  data.dim = images.dim();
  data.gather = [&](const int* rows, int n, Eigen::MatrixXf& out) {
    out.resize(n, data.dim);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < data.dim; ++k) out(i, k) = images.image(rows[i])[k] / 255.0f;
  };
  std::vector<Eigen::MatrixXf> w(2);
  Rng rng(8);
  for (auto [l, in, out] : {std::tuple{0, 64, 32}, std::tuple{1, 32, 16}}) {
    w[l].resize(in, out);
    for (Eigen::Index i = 0; i < w[l].size(); ++i)
      w[l](i) = static_cast<float>(0.01 * rng.normal());
  }
  std::vector<Eigen::RowVectorXf> b(2);
  RbmSettings settings;
  settings.epochs = 5;
  settings.batch = 20;
  const auto errors = pretrain_rbm_stack(w, &b, 2, data, settings, 1, 2);
  ASSERT_EQ(errors.size(), 2u);
  for (size_t l = 0; l < 2; ++l) {
    ASSERT_EQ(errors[l].size(), 5u);
    std::string curve;
    for (double e : errors[l]) curve.append(" ").append(std::to_string(e));
    // Every epoch improves on the one before, and the last is well below the first.
    for (size_t k = 1; k < errors[l].size(); ++k) {
      EXPECT_LT(errors[l][k], errors[l][k - 1]) << "layer " << l + 1 << ":" << curve;
    }
    EXPECT_LT(errors[l].back(), 0.7 * errors[l].front()) << "layer " << l + 1 << ":" << curve;
  }
  EXPECT_EQ(b[0].size(), 32);
  EXPECT_EQ(b[1].size(), 16);
}

TEST(Rbm, SchemeInTheSimulationAndInTraining) {
  const InitSpec spec = InitSpec::parse("rbm:epochs=5,lr=0.1,batch=10");
  const Activation relu = Activation::parse("relu");
  EXPECT_NE(describe(spec, 64, 32, relu)
                .find("then pretrained layer by layer as RBMs (CD-1, 5 "
                      "epoch(s), lr 0.1, batch 10)"),
            std::string::npos)
      << describe(spec, 64, 32, relu);
  EXPECT_THROW(InitSpec::parse("rbm:epochs=0"), std::exception);
  EXPECT_THROW(InitSpec::parse("rbm:lr=0"), std::exception);
  EXPECT_EQ(find_init_scheme("dbn"), spec.scheme);

  // stats: every layer pretrained on the input batch; W is no longer the N(0, 0.01²) start.
  Experiment e;
  e.layers = 3;
  e.widths = {40};
  e.batch = 300;
  e.input = InitSpec::parse("uniform:a=0,b=1");
  e.activation = relu;
  e.inits = {spec};
  Simulation sim(e);
  for (int l = 0; l < e.layers; ++l) {
    // The N(0, 0.01²) start, from the column's stream (as Simulation draws it).
    Rng start_rng = Rng::stream(e.seed, weight_stream(spec), static_cast<uint64_t>(l));
    const Eigen::MatrixXf start =
        sample_weights(spec, e.fan_in(l + 1), e.width(l + 1), relu, start_rng);
    EXPECT_GT((sim.weight(0, l) - start).cwiseAbs().maxCoeff(), 1e-3)
        << "layer " << l + 1 << ": W did not move from its start";
  }
  EXPECT_NE(theory_caveat(e, spec).find("learns its weights from data"), std::string::npos);

  // training: the hidden layers are pretrained on the training images, the output layer not.
  Experiment t;
  t.layers = 3;
  t.widths = {24, 16, 4};
  t.input_dim = 64;
  t.batch = 100;
  t.activation = relu;
  t.inits = {spec, InitSpec::parse("kaiming_normal")};
  TrainingConfig tc;
  tc.epochs = 2;
  tc.batch = 32;
  t.training = tc;
  Trainer trainer(t, test::prototype_dataset(1000, 300, 8, 4));
  const TrainingSnapshot before = trainer.snapshot(false);
  ASSERT_EQ(before.columns[0].rbm_reconstruction.size(), 2u);
  EXPECT_EQ(before.columns[0].rbm_reconstruction[0].size(), 5u);
  EXPECT_TRUE(before.columns[1].rbm_reconstruction.empty());
  const double out_std = std::sqrt((trainer.params(0).w[2].array().square()).mean());
  EXPECT_NEAR(out_std, 0.01, 0.003);  // the output layer keeps N(0, 0.01²)
  EXPECT_GT(trainer.params(0).b[0].cwiseAbs().maxCoeff(), 0);  // hidden biases from the RBM
  while (trainer.run_epoch()) {
  }
  EXPECT_GT(trainer.snapshot(false).columns[0].epochs.back().test_accuracy, 0.9);
}
