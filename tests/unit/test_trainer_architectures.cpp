// Training mode with architectures (issue 13): the block network with its classifier head
// against a naive double implementation (finite differences of softmax cross-entropy),
// BatchNorm's running moments and evaluation mode, the whole-batch task of BatchNorm columns,
// learning with residual/normed columns, and "does BatchNorm rescue N(0, 1) weights".
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "core/training/trainer.h"
#include "synthetic_images.h"

using namespace initscope;

namespace {

using ArchMatD = Eigen::MatrixXd;

// ---- A naive double reference of engine/block_net.h with head = true (tanh) ----

ArchMatD archref_norm(NormKind kind, const ArchMatD& z, const Eigen::RowVectorXd& gamma,
                      const Eigen::RowVectorXd& beta) {
  ArchMatD h(z.rows(), z.cols());
  if (kind == NormKind::Batch) {
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
      const double mu = z.col(j).mean();
      const double var = (z.col(j).array() - mu).square().mean();
      h.col(j) = ((z.col(j).array() - mu) / std::sqrt(var + kNormEpsilon)).matrix();
    }
  } else {
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double mu = kind == NormKind::Rms ? 0.0 : z.row(i).mean();
      const double var = (z.row(i).array() - mu).square().mean();
      h.row(i) = ((z.row(i).array() - mu) / std::sqrt(var + kNormEpsilon)).matrix();
    }
  }
  h.array().rowwise() *= gamma.array();
  h.rowwise() += beta;
  return h;
}

struct ArchRefParams {
  std::vector<ArchMatD> w;
  std::vector<Eigen::RowVectorXd> b, gamma, beta;
};

ArchRefParams archref_params(const MlpParams& p) {
  ArchRefParams r;
  for (int l = 0; l < p.layers(); ++l) {
    r.w.push_back(p.w[l].cast<double>());
    r.b.push_back(p.b[l].cast<double>());
    r.gamma.push_back(p.gamma[l].cast<double>());
    r.beta.push_back(p.beta[l].cast<double>());
  }
  return r;
}

// Mean −log softmax(logits)[y] of the network.
double archref_loss(const Architecture& a, double alpha, const ArchRefParams& p, const ArchMatD& x,
                    const std::vector<uint8_t>& y) {
  const int L = static_cast<int>(p.w.size());
  auto lin = [&](const ArchMatD& in, int l) {
    ArchMatD z = in * p.w[l];
    z.rowwise() += p.b[l];
    return z;
  };
  auto tanh = [](const ArchMatD& m) { return ArchMatD(m.array().tanh()); };
  ArchMatD h = x;
  for (int l = 0; l < L; ++l) {
    const bool norm = p.gamma[l].size() > 0;
    if (l == L - 1 || (a.residual_net() && l == 0)) {
      h = lin(h, l);  // head or projection
    } else if (!a.residual_net()) {
      const ArchMatD z = lin(h, l);
      h = tanh(norm ? archref_norm(a.norm, z, p.gamma[l], p.beta[l]) : z);
    } else if (a.residual == ResidualKind::Pre) {
      const ArchMatD phi = tanh(norm ? archref_norm(a.norm, h, p.gamma[l], p.beta[l]) : h);
      h = h + alpha * lin(phi, l);
    } else {
      const ArchMatD s = h + alpha * lin(tanh(h), l);
      h = norm ? archref_norm(a.norm, s, p.gamma[l], p.beta[l]) : s;
    }
  }
  double loss = 0;
  for (Eigen::Index i = 0; i < h.rows(); ++i) {
    const double m = h.row(i).maxCoeff();
    const double lse = m + std::log((h.row(i).array() - m).exp().sum());
    loss += lse - h(i, y[static_cast<size_t>(i)]);
  }
  return loss / static_cast<double>(h.rows());
}

struct ArchCase {
  const char* name;
  NormKind norm;
  ResidualKind residual;
  double alpha;
};

}  // namespace

TEST(TrainerArchitectures, HeadNetGradientsMatchDoubleFiniteDifferences) {
  const ArchCase cases[] = {
      {"plain+batch", NormKind::Batch, ResidualKind::None, 1},
      {"plain+layer", NormKind::Layer, ResidualKind::None, 1},
      {"plain+rms", NormKind::Rms, ResidualKind::None, 1},
      {"pre", NormKind::None, ResidualKind::Pre, 0.5},
      {"pre+layer", NormKind::Layer, ResidualKind::Pre, 1},
      {"pre+batch", NormKind::Batch, ResidualKind::Pre, 0.7},
      {"post+layer", NormKind::Layer, ResidualKind::Post, 1},
      {"post+batch", NormKind::Batch, ResidualKind::Post, 0.5},
      {"post+rms", NormKind::Rms, ResidualKind::Post, 1},
  };
  const int B = 7, d0 = 5, n = 6, classes = 3, L = 4;
  const Activation act = Activation::parse("tanh");
  for (const ArchCase& k : cases) {
    Architecture a;
    a.norm = k.norm;
    a.residual = k.residual;
    a.scale.value = k.alpha;
    Rng rng(42);
    auto gauss = [&](Eigen::Index r, Eigen::Index c, double s) {
      Eigen::MatrixXf m(r, c);
      for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(s * rng.normal());
      return m;
    };
    MlpParams p;
    for (int l = 0; l < L; ++l) {
      const int in = l == 0 ? d0 : n, out = l == L - 1 ? classes : n;
      p.w.push_back(gauss(in, out, 1.0 / std::sqrt(in)));
      p.b.push_back(gauss(1, out, 0.1));
    }
    init_norm_params(a, true, p);
    for (int l = 0; l < L; ++l) {  // γ, β away from 1, 0: their gradients count
      if (p.gamma[l].size() == 0) continue;
      p.gamma[l] = (gauss(1, n, 0.2).array() + 1.0f).matrix();
      p.beta[l] = gauss(1, n, 0.2);
    }
    const RowMatrixXf x = gauss(B, d0, 1.0);
    std::vector<uint8_t> y(B);
    for (int i = 0; i < B; ++i) y[i] = static_cast<uint8_t>(rng.below(classes));
    const BlockNet net(a, act, L, true);
    BlockPass pass;
    block_forward(net, p, x, pass);
    const double loss = block_loss_backward(net, p, y.data(), pass);
    ArchRefParams ref = archref_params(p);
    const ArchMatD xd = x.cast<double>();
    EXPECT_NEAR(loss, archref_loss(a, net.alpha(), ref, xd, y), 1e-5) << k.name;
    // Central differences in double, h = 1e-5: truncation ~1e-10; the float gradients carry
    // ~1e-6 relative rounding. Allowed: 1e-4·(1 + |g|).
    double worst = 0;
    auto check = [&](double& theta, float analytic, const char* what, int l) {
      const double keep = theta, h = 1e-5;
      theta = keep + h;
      const double up = archref_loss(a, net.alpha(), ref, xd, y);
      theta = keep - h;
      const double down = archref_loss(a, net.alpha(), ref, xd, y);
      theta = keep;
      const double fd = (up - down) / (2 * h);
      const double err = std::abs(fd - analytic) / (1 + std::abs(fd));
      worst = std::max(worst, err);
      EXPECT_LT(err, 1e-4) << k.name << " " << what << " layer " << l << ": fd " << fd
                           << " analytic " << analytic;
    };
    for (int l = 0; l < L; ++l) {
      for (Eigen::Index i = 0; i < ref.w[l].size(); ++i)
        check(ref.w[l].data()[i], pass.grads.w[l].data()[i], "W", l);
      for (Eigen::Index i = 0; i < ref.b[l].size(); ++i)
        check(ref.b[l].data()[i], pass.grads.b[l].data()[i], "b", l);
      for (Eigen::Index i = 0; i < ref.gamma[l].size(); ++i) {
        check(ref.gamma[l].data()[i], pass.grads.gamma[l].data()[i], "gamma", l);
        check(ref.beta[l].data()[i], pass.grads.beta[l].data()[i], "beta", l);
      }
    }
    std::printf("%-11s worst relative gradient difference %.2e\n", k.name, worst);
  }
}

TEST(TrainerArchitectures, BatchNormRunningMomentsConvergeAndEvaluationUsesThem) {
  // One plain BatchNorm layer with W = I, b = 0: z = x, so the running moments must approach
  // the data's per-feature mean and variance. Momentum 0.1 averages ~19 batches of 64: the
  // running mean's standard error is ~σ/√1200 ≈ 0.03σ; allowed 0.15σ, and 15% of the variance.
  Architecture a;
  a.norm = NormKind::Batch;
  const BlockNet net(a, Activation::parse("relu"), 1, false);
  MlpParams p;
  p.w = {Eigen::MatrixXf::Identity(3, 3)};
  p.b = {Eigen::RowVectorXf::Zero(3)};
  init_norm_params(a, false, p);
  const double mean[3] = {1, -2, 0.5}, sd[3] = {1, 2, 0.5};
  Rng rng(7);
  std::vector<BlockLayer> layers;
  BlockNetOptions train;
  train.update_running = true;
  for (int step = 0; step < 300; ++step) {
    Eigen::MatrixXf x(64, 3);
    for (int i = 0; i < 64; ++i)
      for (int j = 0; j < 3; ++j) x(i, j) = static_cast<float>(mean[j] + sd[j] * rng.normal());
    net.forward(p, x, layers, train);
  }
  for (int j = 0; j < 3; ++j) {
    std::printf("feature %d: running mean %.4f (data %.1f), running var %.4f (data %.2f)\n", j,
                p.running[0].mean[j], mean[j], p.running[0].var[j], sd[j] * sd[j]);
    EXPECT_NEAR(p.running[0].mean[j], mean[j], 0.15 * sd[j]) << j;
    EXPECT_NEAR(p.running[0].var[j], sd[j] * sd[j], 0.15 * sd[j] * sd[j]) << j;
  }
  // Evaluation mode: a batch of one image is normalized with the running moments — the same
  // values the image gets inside a larger batch — where training mode would give β exactly.
  const RunningMoments kept = p.running[0];
  Eigen::MatrixXf ten(10, 3);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 3; ++j) ten(i, j) = static_cast<float>(mean[j] + sd[j] * rng.normal());
  BlockNetOptions eval;
  eval.use_running = true;
  net.forward(p, ten, layers, eval);
  const Eigen::RowVectorXf in_batch = layers[0].normed.row(3);
  const Eigen::MatrixXf one = ten.row(3);
  net.forward(p, one, layers, eval);
  EXPECT_TRUE(layers[0].normed.row(0) == in_batch);
  for (int j = 0; j < 3; ++j) {
    const double expected = (one(0, j) - kept.mean[j]) / std::sqrt(kept.var[j] + kNormEpsilon);
    EXPECT_NEAR(layers[0].normed(0, j), expected, 1e-5) << j;
  }
  EXPECT_TRUE(p.running[0].mean == kept.mean && p.running[0].var == kept.var);
  // Training mode on one row: z − μ = 0, so β = 0 up to float rounding of z·s − μ·s
  // (s = 1/√ε ≈ 316; measured 1.9e-6).
  net.forward(p, one, layers, {});
  EXPECT_LT(layers[0].normed.cwiseAbs().maxCoeff(), 1e-4f);
}

namespace {

// 8×8 prototype images in 4 classes; a 64-32-32-32-4 network (residual nets: the projection,
// two blocks and the head).
Experiment arch_experiment(std::vector<std::string> inits, int epochs = 2,
                           const char* activation = "relu") {
  Experiment e;
  e.layers = 4;
  e.widths = {32, 32, 32, 4};
  e.input_dim = 64;
  e.batch = 200;  // probe batch
  e.bins = 20;
  e.activation = Activation::parse(activation);
  e.inits.clear();
  for (const auto& s : inits) e.inits.push_back(InitSpec::parse(s));
  TrainingConfig t;
  t.epochs = epochs;
  t.batch = 32;
  t.log_every = 5;
  e.training = t;
  return e;
}

std::shared_ptr<const ImageDataset> arch_data() {
  static const auto data = test::prototype_dataset(2000, 500, 8, 4);
  return data;
}

// Rows of `set` as the trainer feeds them: pixels / 255.
RowMatrixXf arch_gather(const LabelledImages& set, const int* rows, int n) {
  RowMatrixXf x(n, set.dim());
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < set.dim(); ++k)
      x(i, k) = static_cast<float>(set.image(rows[i])[k]) * (1.0f / 255.0f);
  return x;
}

struct ArchThreads {
  int saved;
  explicit ArchThreads(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ArchThreads() { omp_set_num_threads(saved); }
};

}  // namespace

TEST(TrainerArchitectures, BatchNormColumnStepsOnTheWholeMiniBatchNotOnShards) {
  // Batch 128 = two shards of 64 for plain and LayerNorm columns; the BatchNorm column must
  // take one step on all 128 rows: its update is the whole batch's SGD step.
  Experiment e = arch_experiment({"kaiming_normal:norm=batch"}, 1);
  e.training->batch = 128;
  e.training->optimizer.kind = OptimizerKind::Sgd;
  e.training->optimizer.lr = 0.1;
  const Trainer before(e, arch_data());
  Trainer t(e, arch_data());
  ASSERT_TRUE(t.step());
  ASSERT_EQ(t.shards(), 2);
  // The first mini-batch: epoch 0's Fisher–Yates order of the training images (trainer.cpp).
  const LabelledImages& train = arch_data()->train;
  std::vector<int> order(static_cast<size_t>(train.count));
  std::iota(order.begin(), order.end(), 0);
  Rng rng = Rng::stream(e.seed, hash_text("training order"), 0);
  for (int i = train.count - 1; i > 0; --i)
    std::swap(order[i], order[rng.below(static_cast<uint64_t>(i) + 1)]);
  std::vector<uint8_t> y(128);
  for (int i = 0; i < 128; ++i) y[i] = train.labels[static_cast<size_t>(order[i])];
  ASSERT_EQ(y, t.last_labels());
  const RowMatrixXf x = arch_gather(train, order.data(), 128);
  const Architecture a = t.experiment().column_arch(0);
  const BlockNet net(a, t.experiment().activation, 4, true);
  MlpParams p = before.params(0);
  BlockPass whole;
  BlockNetOptions o;
  o.update_running = true;
  block_forward(net, p, x, whole, o);
  block_loss_backward(net, p, y.data(), whole, true, 128);
  const MlpParams& got = t.params(0);
  double worst = 0;
  auto compare = [&](const Eigen::MatrixXf& start, const Eigen::MatrixXf& grad,
                     const Eigen::MatrixXf& after) {
    worst = std::max(worst, double((start - 0.1f * grad - after).cwiseAbs().maxCoeff()));
  };
  for (int l = 0; l < 4; ++l) {
    compare(p.w[l], whole.grads.w[l], got.w[l]);
    compare(p.b[l], whole.grads.b[l], got.b[l]);
    if (p.gamma[l].size() == 0) continue;
    compare(p.gamma[l], whole.grads.gamma[l], got.gamma[l]);
    compare(p.beta[l], whole.grads.beta[l], got.beta[l]);
    EXPECT_TRUE(got.running[l].mean == p.running[l].mean) << l;
    EXPECT_TRUE(got.running[l].var == p.running[l].var) << l;
  }
  // Two shards with their own batch statistics give another gradient, far outside that.
  MlpParams q = before.params(0);
  BlockPass half;
  double shard_gap = 0;
  Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(q.w[0].rows(), q.w[0].cols());
  for (int s = 0; s < 2; ++s) {
    block_forward(net, q, x.middleRows(64 * s, 64), half);
    block_loss_backward(net, q, y.data() + 64 * s, half, true, 128);
    sum += half.grads.w[0];
  }
  shard_gap = (sum - whole.grads.w[0]).cwiseAbs().maxCoeff();
  std::printf("whole-batch step: worst difference %.2e; sharded gradient differs by %.2e\n", worst,
              shard_gap);
  EXPECT_LT(worst, 1e-6);
  EXPECT_GT(shard_gap, 100 * std::max(worst, 1e-7));
}

TEST(TrainerArchitectures, PlainColumnTrainsAsAloneNextToBlockColumns) {
  // The plain column keeps the MLP path and its shards whatever the other columns are.
  auto run = [](std::vector<std::string> inits) {
    Experiment e = arch_experiment(std::move(inits), 1);
    e.training->batch = 128;
    Trainer t(e, arch_data());
    t.run_epoch();
    return std::make_pair(t.snapshot(false).columns[0], t.params(0));
  };
  const auto alone = run({"xavier_uniform"});
  const auto mixed =
      run({"xavier_uniform", "xavier_uniform:norm=batch", "xavier_uniform:residual=pre"});
  EXPECT_EQ(alone.first.loss, mixed.first.loss);
  EXPECT_EQ(alone.first.epochs[0].test_loss, mixed.first.epochs[0].test_loss);
  for (int l = 0; l < 4; ++l) EXPECT_TRUE(alone.second.w[l] == mixed.second.w[l]) << l;
  EXPECT_TRUE(mixed.second.gamma.empty());  // no γ, β: the MLP path
}

TEST(TrainerArchitectures, ColumnsGiveTheSameCurvesOnOneOrTwoThreads) {
  auto run = [](int threads) {
    ArchThreads scope(threads);
    Experiment e = arch_experiment(
        {"kaiming_normal", "kaiming_normal:norm=batch", "kaiming_normal:norm=layer,residual=pre"},
        1);
    e.training->batch = 128;  // shards for the plain and LayerNorm columns
    Trainer t(e, arch_data());
    t.run_epoch();
    return t.snapshot(false);
  };
  const TrainingSnapshot one = run(1), two = run(2);
  for (size_t c = 0; c < one.columns.size(); ++c) {
    EXPECT_EQ(one.columns[c].loss, two.columns[c].loss) << c;
    ASSERT_EQ(one.columns[c].epochs.size(), 1u);
    EXPECT_EQ(one.columns[c].epochs[0].test_loss, two.columns[c].epochs[0].test_loss) << c;
  }
}

TEST(TrainerArchitectures, ResidualAndNormedColumnsLearnAndShowTheirProbeStatistics) {
  Trainer t(arch_experiment({"kaiming_normal:norm=layer,residual=pre,scale=1/sqrt(L)",
                             "kaiming_normal:norm=batch", "kaiming_normal:norm=batch,residual=post",
                             "kaiming_normal:norm=rms"},
                            2),
            arch_data());
  while (t.run_epoch()) {
  }
  const std::vector<RunningMoments> running = t.params(1).running;
  TrainingSnapshot s = t.snapshot(true);
  for (const ColumnHistory& h : s.columns) {
    std::printf("%-50s loss %.3f → %.3f, test accuracy %.3f\n", h.init.c_str(), h.loss.front(),
                h.loss.back(), h.epochs.back().test_accuracy);
    EXPECT_FALSE(h.diverged) << h.init;
    EXPECT_LT(h.loss.back(), 0.5 * h.loss.front()) << h.init;
    EXPECT_GT(h.epochs.back().test_accuracy, 0.9) << h.init;
  }
  // The probe: training-mode statistics, the running moments untouched.
  for (int l = 0; l < 4; ++l) {
    EXPECT_TRUE(t.params(1).running[l].mean == running[l].mean) << l;
    EXPECT_TRUE(t.params(1).running[l].var == running[l].var) << l;
  }
  ASSERT_EQ(s.probe.columns.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    const Architecture a = t.experiment().column_arch(c);
    const std::vector<LayerStats>& layers = s.probe.columns[c].layers;
    ASSERT_EQ(layers.size(), 4u);
    EXPECT_TRUE(std::isfinite(s.probe.columns[c].loss));
    for (int l = 0; l < 4; ++l) {
      const LayerStats& ls = layers[l];
      const bool head = l == 3;
      EXPECT_EQ(ls.has_normed, !head && a.has_norm(l + 1)) << c << " layer " << l + 1;
      EXPECT_EQ(ls.has_branch, !head && a.has_branch(l + 1)) << c << " layer " << l + 1;
      EXPECT_TRUE(ls.has_grad);
      EXPECT_GT(ls.grad_norm, 0) << c << " layer " << l + 1;
      EXPECT_TRUE(std::isfinite(ls.channel_var) && std::isfinite(ls.channel_sq_mean));
      EXPECT_EQ(std::isfinite(ls.branch_channel_var), ls.has_branch);
      EXPECT_EQ(ls.normed.count > 0, ls.has_normed);
      EXPECT_EQ(ls.branch.count > 0, ls.has_branch);
      // A BatchNorm layer with training-mode statistics: each feature of normed has mean β_j
      // and variance γ_j² v/(v + ε) over the probe batch.
    }
  }
}

TEST(TrainerArchitectures, TestSetOfOneImageIsEvaluatedWithTheRunningMoments) {
  Experiment e = arch_experiment({"kaiming_normal:norm=batch"}, 1);
  e.training->test_limit = 1;  // evaluation chunks of one image
  Trainer t(e, arch_data());
  t.run_epoch();
  const double loss = t.evaluate(0).first;
  // The same image through the trained network, by hand, in both modes.
  const int first = 0;
  const RowMatrixXf x = arch_gather(arch_data()->test, &first, 1);
  const uint8_t y = arch_data()->test.labels[0];
  const BlockNet net(t.experiment().column_arch(0), t.experiment().activation, 4, true);
  MlpParams p = t.params(0);
  BlockPass pass;
  BlockNetOptions eval;
  eval.use_running = true;
  block_forward(net, p, x, pass, eval);
  const double by_hand = block_loss_backward(net, p, &y, pass, false);
  block_forward(net, p, x, pass);
  const double batch_mode = block_loss_backward(net, p, &y, pass, false);
  std::printf("one test image: loss %.6f (running moments %.6f, its own moments %.6f)\n", loss,
              by_hand, batch_mode);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_NEAR(loss, by_hand, 1e-6);
  EXPECT_GT(std::abs(loss - batch_mode), 1e-3);
  EXPECT_EQ(t.snapshot(false).columns[0].epochs[0].test_loss, loss);
}

TEST(TrainerArchitectures, BatchNormRescuesUnitNormalWeights) {
  // normal:std=1 in a deep tanh net: pre-activations of std ~√fan_in·0.5 saturate every
  // unit; the same weights with BatchNorm after each linear layer start at unit variance.
  Experiment e = arch_experiment({"normal:std=1", "normal:std=1,norm=batch"}, 1, "tanh");
  e.layers = 8;
  e.widths = {64, 64, 64, 64, 64, 64, 64, 4};
  e.training->optimizer.kind = OptimizerKind::Sgd;
  e.training->optimizer.lr = 0.05;
  Trainer t(e, arch_data());
  while (t.run_epoch()) {
  }
  const TrainingSnapshot s = t.snapshot(false);
  const double plain = s.columns[0].epochs.back().test_accuracy;
  const double bn = s.columns[1].epochs.back().test_accuracy;
  std::printf("N(0,1) weights, test accuracy: without BatchNorm %.3f, with %.3f\n", plain, bn);
  // Measured (seed 1): 0.208 and 0.984; chance is 0.25.
  EXPECT_LT(plain, 0.5);
  EXPECT_GT(bn, 0.9);
}

TEST(TrainerArchitectures, ExperimentArchitectureAppliesToEveryColumnButOverrides) {
  // --norm layer for the experiment; the second column overrides it back to plain.
  Experiment e = arch_experiment({"kaiming_normal", "kaiming_normal:norm=none"}, 1);
  e.arch.norm = NormKind::Layer;
  Trainer t(e, arch_data());
  ASSERT_EQ(t.params(0).gamma.size(), 4u);
  for (int l = 0; l < 3; ++l) EXPECT_EQ(t.params(0).gamma[l].size(), 32) << l;
  EXPECT_EQ(t.params(0).gamma[3].size(), 0);  // the head has no norm
  EXPECT_TRUE(t.params(1).gamma.empty());
  // The weights are the same draw: overrides change no weight.
  for (int l = 0; l < 4; ++l) EXPECT_TRUE(t.params(0).w[l] == t.params(1).w[l]) << l;
  t.run_epoch();
  const TrainingSnapshot s = t.snapshot(true);
  EXPECT_TRUE(s.probe.columns[0].layers[0].has_normed);
  EXPECT_FALSE(s.probe.columns[1].layers[0].has_normed);
}
