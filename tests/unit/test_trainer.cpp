// Training mode on small generated image sets: learning, determinism, fairness between columns,
// divergence, the probe statistics and the errors for networks that do not fit the data.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "core/simulation.h"  // the weights `stats` shows
#include "core/training/trainer.h"
#include "core/training/training_io.h"
#include "synthetic_images.h"

using namespace initscope;

namespace {

// 8×8 prototype images in 4 classes; a 64-32-4 ReLU network.
Experiment small_experiment(std::vector<std::string> inits, int epochs = 2) {
  Experiment e;
  e.layers = 2;
  e.widths = {32, 4};
  e.input_dim = 64;
  e.batch = 200;  // probe batch
  e.bins = 20;
  e.activation = Activation::parse("relu");
  e.inits.clear();
  for (const auto& s : inits) e.inits.push_back(InitSpec::parse(s));
  TrainingConfig t;
  t.epochs = epochs;
  t.batch = 32;
  t.log_every = 5;
  e.training = t;
  return e;
}

std::shared_ptr<const ImageDataset> small_data() {
  static const auto data = test::prototype_dataset(2000, 500, 8, 4);
  return data;
}

// Sets the OpenMP thread count for a scope.
struct Threads {
  int saved;
  explicit Threads(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~Threads() { omp_set_num_threads(saved); }
};

void expect_same_history(const ColumnHistory& a, const ColumnHistory& b) {
  EXPECT_EQ(a.loss_step, b.loss_step);
  ASSERT_EQ(a.loss.size(), b.loss.size());
  for (size_t i = 0; i < a.loss.size(); ++i) EXPECT_EQ(a.loss[i], b.loss[i]) << "point " << i;
  ASSERT_EQ(a.epochs.size(), b.epochs.size());
  for (size_t k = 0; k < a.epochs.size(); ++k) {
    EXPECT_EQ(a.epochs[k].train_loss, b.epochs[k].train_loss);
    EXPECT_EQ(a.epochs[k].test_loss, b.epochs[k].test_loss);
    EXPECT_EQ(a.epochs[k].test_accuracy, b.epochs[k].test_accuracy);
  }
}

}  // namespace

TEST(Trainer, LearnsALearnableDataSet) {
  Trainer t(small_experiment({"kaiming_normal", "xavier_uniform"}, 3), small_data());
  EXPECT_EQ(t.steps_per_epoch(), 2000u / 32);
  while (t.run_epoch()) {
  }
  EXPECT_TRUE(t.finished());
  const TrainingSnapshot s = t.snapshot(false);
  for (const ColumnHistory& h : s.columns) {
    ASSERT_EQ(h.epochs.size(), 3u);
    EXPECT_GT(h.epochs.back().test_accuracy, 0.95) << h.init;
    EXPECT_LT(h.epochs.back().train_loss, h.epochs.front().train_loss) << h.init;
    EXPECT_LT(h.loss.back(), 0.5 * h.loss.front()) << h.init;
    // A point every 5 steps, and the last, shorter stretch.
    EXPECT_EQ(h.loss_step.front(), 5u);
    EXPECT_EQ(h.loss_step.back(), t.total_steps());
    EXPECT_FALSE(h.diverged);
  }
  // Evaluate agrees with the epoch record.
  EXPECT_EQ(t.evaluate(0).second, s.columns[0].epochs.back().test_accuracy);
}

TEST(Trainer, SameSeedSameCurvesOtherSeedOtherCurves) {
  auto run = [](uint64_t seed) {
    Experiment e = small_experiment({"kaiming_normal", "normal:std=0.5"}, 1);
    e.seed = seed;
    Trainer t(e, small_data());
    t.run_epoch();
    return t.snapshot(false);
  };
  const TrainingSnapshot a = run(3), b = run(3), c = run(4);
  for (size_t i = 0; i < a.columns.size(); ++i) expect_same_history(a.columns[i], b.columns[i]);
  EXPECT_NE(a.columns[0].loss, c.columns[0].loss);
  EXPECT_EQ(training_json(a).dump(), training_json(b).dump());
}

TEST(Trainer, SeveralColumnsGiveTheSameCurvesOnOneOrTwoThreads) {
  auto run = [](int threads) {
    Threads scope(threads);
    Trainer t(small_experiment({"kaiming_normal", "xavier_uniform", "normal:std=0.3"}, 1),
              small_data());
    t.run_epoch();
    return t.snapshot(false);
  };
  const TrainingSnapshot one = run(1), two = run(2);
  for (size_t i = 0; i < one.columns.size(); ++i) {
    expect_same_history(one.columns[i], two.columns[i]);
  }
}

TEST(Trainer, ShardedMiniBatchesGiveTheFullBatchGradientOnAnyThreadCount) {
  // Batch 128: two shards of 64 rows, back-propagated separately and added.
  auto run = [](int threads) {
    Threads scope(threads);
    Experiment e = small_experiment({"kaiming_normal"}, 1);
    e.training->batch = 128;
    e.training->optimizer.kind = OptimizerKind::Sgd;
    e.training->optimizer.lr = 0.1;
    auto t = std::make_unique<Trainer>(e, small_data());
    EXPECT_EQ(t->shards(), 2);
    return t;
  };
  auto one = run(1), two = run(2);
  const MlpParams before = one->params(0);
  {
    Threads scope(1);
    one->step();
  }
  {
    Threads scope(2);
    two->step();
  }
  for (int l = 0; l < 2; ++l) EXPECT_TRUE(one->params(0).w[l] == two->params(0).w[l]) << l;
  // The reference: the whole mini-batch in one pass, one SGD step by hand.
  const ImageDataset& d = *small_data();
  RowMatrixXf x(128, 64);
  std::vector<uint8_t> y = one->last_labels();
  std::vector<int> order(2000);
  std::iota(order.begin(), order.end(), 0);
  Rng rng = Rng::stream(0, hash_text("training order"), 0);
  for (int i = 1999; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  for (int i = 0; i < 128; ++i) {
    for (int k = 0; k < 64; ++k) x(i, k) = d.train.image(order[i])[k] / 255.0f;
    ASSERT_EQ(y[i], d.train.labels[order[i]]);
  }
  MlpPass pass;
  const Activation relu = Activation::parse("relu");
  mlp_forward(before, relu, x, pass);
  mlp_loss_backward(before, relu, x, y.data(), pass);
  double worst = 0;
  for (int l = 0; l < 2; ++l) {
    const Eigen::MatrixXf expect = before.w[l] - 0.1f * pass.d_w[l];
    worst = std::max(worst, double((one->params(0).w[l] - expect).cwiseAbs().maxCoeff()));
  }
  EXPECT_LT(worst, 1e-6) << "worst |W − reference| " << worst << " (tolerance 1e-6)";
}

TEST(Trainer, ColumnsTrainOnTheSameMiniBatchesIndependently) {
  // One thread: a lone column would otherwise use Eigen's threaded GEMM (other rounding).
  Threads scope(1);
  Trainer both(small_experiment({"kaiming_normal", "kaiming_normal", "xavier_normal"}, 1),
               small_data());
  Trainer alone(small_experiment({"xavier_normal"}, 1), small_data());
  for (int k = 0; k < 20; ++k) {
    both.step();
    alone.step();
  }
  // The same init twice learns identically: same W, same mini-batches in the same order.
  for (int l = 0; l < 2; ++l) EXPECT_TRUE(both.params(0).w[l] == both.params(1).w[l]);
  // A column's training does not depend on which other columns run.
  for (int l = 0; l < 2; ++l) EXPECT_TRUE(both.params(2).w[l] == alone.params(0).w[l]);
  EXPECT_EQ(both.last_labels(), alone.last_labels());
}

TEST(Trainer, StartsFromTheWeightsStatsShows) {
  Experiment e = small_experiment({"kaiming_normal", "orthogonal", "he_normal:a=0.1"});
  e.bias = InitSpec::parse("uniform:a=-0.1,b=0.1");
  Trainer t(e, small_data());
  Simulation sim(t.experiment());
  for (size_t c = 0; c < 3; ++c) {
    for (int l = 0; l < 2; ++l) {
      EXPECT_TRUE(t.params(c).w[l] == sim.weight(c, l)) << c << " " << l;
      EXPECT_TRUE(t.params(c).b[l] == *sim.bias(c, l)) << c << " " << l;
    }
  }
}

TEST(Trainer, ADivergingColumnStopsAndSaysSo) {
  // Linear layers with a huge learning rate: the weights grow geometrically until they overflow
  // (ReLUs would rather all die, which is not divergence). Zero weights get no gradient (only
  // the biases learn, with bounded softmax gradients): that column never diverges.
  Experiment e = small_experiment({"normal:std=3", "zeros"}, 1);
  e.activation = Activation::parse("linear");
  e.training->optimizer.kind = OptimizerKind::Sgd;
  e.training->optimizer.lr = 5;
  Trainer t(e, small_data());
  t.run_epoch();
  const TrainingSnapshot s = t.snapshot(false);
  const ColumnHistory& bad = s.columns[0];
  ASSERT_TRUE(bad.diverged);
  EXPECT_GT(bad.diverged_at, 0u);
  EXPECT_EQ(bad.loss_step.back(), bad.diverged_at);
  EXPECT_FALSE(std::isfinite(bad.loss.back()));
  EXPECT_FALSE(s.columns[1].diverged);  // the other column is not stopped
  const auto j = training_json(s);
  EXPECT_TRUE(j["columns"][0]["diverged"].get<bool>());
  EXPECT_TRUE(j["columns"][0]["train_loss"]["loss"].back().is_null());
}

TEST(Trainer, ProbeStatisticsForEveryLayer) {
  Trainer t(small_experiment({"kaiming_normal", "lsuv"}), small_data());
  t.run_steps(10);
  const TrainingSnapshot s = t.snapshot(true);
  EXPECT_EQ(s.step, 10u);
  ASSERT_EQ(s.probe.columns.size(), 2u);
  EXPECT_EQ(s.probe.columns[1].lsuv_rounds.size(), 2u);
  for (const ColumnStats& c : s.probe.columns) {
    ASSERT_EQ(c.layers.size(), 2u);
    EXPECT_GT(c.loss, 0);
    for (const LayerStats& l : c.layers) {
      EXPECT_TRUE(l.has_grad);
      EXPECT_EQ(l.act.count, 200u * l.fan_out);
      EXPECT_EQ(l.act.hist.total(), l.act.count - l.act.nonfinite);
      EXPECT_GT(l.grad_norm, 0);
      EXPECT_EQ(l.grad_weight.count, static_cast<uint64_t>(l.fan_in) * l.fan_out);
    }
    // The last layer's "activations" are the logits.
    EXPECT_EQ(c.layers[1].act.mean, c.layers[1].preact.mean);
    EXPECT_GT(c.layers[0].act.dead, 0);  // ReLU
  }
  // Histogram ranges stay put while the data stays inside them.
  const TrainingSnapshot again = t.snapshot(true);
  EXPECT_EQ(again.probe.columns[0].layers[0].act.hist.lo, s.probe.columns[0].layers[0].act.hist.lo);
  EXPECT_EQ(again.probe.columns[0].layers[0].act.hist.hi, s.probe.columns[0].layers[0].act.hist.hi);
}

TEST(Trainer, CancelStopsBetweenSteps) {
  Trainer t(small_experiment({"kaiming_normal"}), small_data());
  std::atomic<bool> cancel{true};
  EXPECT_EQ(t.run_steps(100, &cancel), 0);
  EXPECT_FALSE(t.run_epoch(&cancel));
  cancel = false;
  EXPECT_EQ(t.run_steps(7, &cancel), 7);
  EXPECT_EQ(t.steps_done(), 7u);
}

TEST(Trainer, NetworksThatDoNotFitTheDataNameTheOption) {
  auto message = [](Experiment e) {
    try {
      Trainer t(e, small_data());
    } catch (const UsageError& err) {
      return std::string(err.what());
    }
    return std::string("no error");
  };
  Experiment e = small_experiment({"kaiming_normal"});
  e.input_dim = 100;
  EXPECT_NE(message(e).find(
                "input dimension is 100 but the images of '(prototype images)' have 64 pixels"),
            std::string::npos)
      << message(e);
  e = small_experiment({"kaiming_normal"});
  e.widths = {32, 10};
  EXPECT_NE(message(e).find(
                "last layer has 10 units; training on '(prototype images)' needs one per class, 4"),
            std::string::npos)
      << message(e);
  e = small_experiment({"kaiming_normal"});
  e.input_dim = 0;  // 0: the image size
  EXPECT_EQ(message(e), "no error");
  e.training->batch = 5000;
  EXPECT_NE(message(e).find("(--train-batch) of 5000 is more than the 2000 training images"),
            std::string::npos)
      << message(e);
  e.training->batch = 32;
  e.training->epochs = 0;
  EXPECT_NE(message(e).find("--epochs 0"), std::string::npos) << message(e);
}

TEST(Trainer, LimitsUseTheFirstImages) {
  Experiment e = small_experiment({"kaiming_normal"}, 1);
  e.training->train_limit = 320;
  e.training->test_limit = 100;
  Trainer t(e, small_data());
  EXPECT_EQ(t.steps_per_epoch(), 10u);
  t.run_epoch();
  const TrainingSnapshot s = t.snapshot(false);
  EXPECT_EQ(s.train_images, 320);
  EXPECT_EQ(s.test_images, 100);
  EXPECT_TRUE(s.finished);
}
