// The forward pass and its statistics against an independent double-precision reference, the
// CS231n published table, determinism, accumulation over updates and overflow handling.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/presets.h"
#include "core/simulation.h"
#include "core/stats_io.h"

using namespace initscope;

namespace {

Experiment make(const std::string& act, int layers, int width, int batch,
                std::vector<std::string> inits, uint64_t seed = 0) {
  Experiment e;
  e.activation = Activation::parse(act);
  e.layers = layers;
  e.widths = {width};
  e.batch = batch;
  e.seed = seed;
  e.inits.clear();
  for (auto& s : inits) e.inits.push_back(InitSpec::parse(s));
  return e;
}

}  // namespace

// Naive reference: loops in double over the same weights and batch; φ from the scalar
// reference; statistics by definition.
TEST(Simulation, ForwardStatisticsMatchNaiveReference) {
  for (const std::string act : {"tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu", "gelu",
                                "softplus", "swish", "linear"}) {
    Experiment e = make(act, 4, 37, 53, {"xavier_normal:gain=auto", "normal:std=0.3"}, 11);
    e.input_dim = 23;
    e.widths = {37, 29, 41, 17};
    e.bias = InitSpec::parse("normal:std=0.1", "--bias");
    Simulation sim(e);
    ASSERT_TRUE(sim.update());
    const Snapshot s = sim.snapshot();
    const Eigen::MatrixXd x = sim.batch().cast<double>();
    double worst = 0;
    std::string worst_what;
    auto check = [&](double got, double want, double scale, const std::string& what) {
      const double d = std::fabs(got - want) / (scale + 1e-12);
      if (d > worst) worst = d, worst_what = what;
    };
    for (size_t c = 0; c < e.inits.size(); ++c) {
      Eigen::MatrixXd a = x;
      for (int l = 0; l < e.layers; ++l) {
        const Eigen::MatrixXd w = sim.weight(c, l).cast<double>();
        Eigen::MatrixXd z(a.rows(), w.cols());
        for (int i = 0; i < a.rows(); ++i) {
          for (int j = 0; j < w.cols(); ++j) {
            double acc = (*sim.bias(c, l))(j);
            for (int k = 0; k < a.cols(); ++k) acc += a(i, k) * w(k, j);
            z(i, j) = acc;
          }
        }
        Eigen::MatrixXd next(z.rows(), z.cols());
        for (int i = 0; i < z.size(); ++i) next(i) = e.activation.apply(z(i));
        const LayerStats& ls = s.columns[c].layers[l];
        const double n = static_cast<double>(next.size());
        const double mean = next.sum() / n;
        const double sd = std::sqrt((next.array() - mean).square().sum() / n);
        const double zmean = z.sum() / n;
        const double zsd = std::sqrt((z.array() - zmean).square().sum() / n);
        const std::string where =
            act + " col " + std::to_string(c) + " layer " + std::to_string(l + 1);
        check(ls.act.mean, mean, sd, where + " act mean");
        check(ls.act.std, sd, sd, where + " act std");
        check(ls.preact.mean, zmean, zsd, where + " preact mean");
        check(ls.preact.std, zsd, zsd, where + " preact std");
        check(ls.act.min, next.minCoeff(), sd, where + " act min");
        check(ls.act.max, next.maxCoeff(), sd, where + " act max");
        EXPECT_EQ(ls.act.count, static_cast<uint64_t>(next.size()));
        EXPECT_EQ(ls.act.hist.total(), static_cast<uint64_t>(next.size())) << where;
        EXPECT_EQ(ls.fan_in, e.fan_in(l + 1));
        EXPECT_EQ(ls.fan_out, e.width(l + 1));
        const double wmean = w.mean();
        check(ls.weight_mean, wmean, 1, where + " weight mean");
        a = next;
      }
    }
    EXPECT_LT(worst, 1e-4) << "worst relative difference " << worst << " at " << worst_what;
  }
}

// CS231n "Weight initialization" notes: tanh, 10 layers × 500, B = 1000, X ~ N(0,1), no bias,
// W ~ 0.01·N(0,1). Published per-layer std of the activations.
TEST(Simulation, Cs231nCollapseTable) {
  const double published[5] = {0.2131, 0.0476, 0.0106, 0.00238, 0.00053};
  double sum[10] = {0};
  const int seeds = 8;
  for (int seed = 0; seed < seeds; ++seed) {
    Snapshot s = Simulation::run(make("tanh", 10, 500, 1000, {"normal:std=0.01"}, seed));
    for (int l = 0; l < 10; ++l) sum[l] += s.columns[0].layers[l].act.std;
    EXPECT_LT(s.columns[0].layers[9].act.std, 1e-5) << "seed " << seed;
  }
  double worst = 0;
  for (int l = 0; l < 5; ++l) {
    const double got = sum[l] / seeds;
    worst = std::max(worst, std::fabs(got / published[l] - 1));
    EXPECT_NEAR(got / published[l], 1.0, 0.03)
        << "layer " << l + 1 << ": mean std over " << seeds << " seeds " << got << ", published "
        << published[l];
  }
  std::printf("CS231n table: worst relative difference %.4f (tolerance 0.03)\n", worst);
}

TEST(Simulation, Cs231nSaturationWithUnitNormal) {
  Snapshot s = Simulation::run(make("tanh", 10, 500, 1000, {"normal:std=1"}, 0));
  for (const LayerStats& l : s.columns[0].layers) {
    EXPECT_NEAR(l.act.std, 0.98, 0.01) << "layer " << l.layer;
    EXPECT_GT(l.act.saturated, 0.85) << "layer " << l.layer;
  }
}

// Deep layers' spread drifts with the seed (a finite-width random walk of the layer gain), so
// the layers 1–5 figures are averages over many seeds, not one seed that happens to pass.
TEST(Simulation, KaimingNormalReluKeepsTheSpread) {
  const int seeds = 32;
  double mean[5] = {0}, sd[5] = {0};
  for (int seed = 0; seed < seeds; ++seed) {
    Snapshot s = Simulation::run(make("relu", 5, 500, 1000, {"kaiming_normal"}, seed));
    for (int l = 0; l < 5; ++l) {
      mean[l] += s.columns[0].layers[l].act.mean / seeds;
      sd[l] += s.columns[0].layers[l].act.std / seeds;
    }
  }
  for (int l = 0; l < 5; ++l) {
    std::printf("kaiming relu layer %d: mean %.4f std %.4f (over %d seeds)\n", l + 1, mean[l],
                sd[l], seeds);
    EXPECT_GE(mean[l], 0.55) << "layer " << l + 1;
    EXPECT_LE(mean[l], 0.62) << "layer " << l + 1;
    EXPECT_GE(sd[l], 0.81) << "layer " << l + 1;
    EXPECT_LE(sd[l], 0.89) << "layer " << l + 1;
  }
}

TEST(Simulation, SameSeedSameJson) {
  Experiment e = load_preset("compare");
  e.layers = 4;
  e.widths = {200};
  e.batch = 300;
  e.updates = 2;
  const std::string a = snapshot_json(Simulation::run(e)).dump();
  const std::string b = snapshot_json(Simulation::run(e)).dump();
  EXPECT_EQ(a, b);
  e.seed = 1;
  EXPECT_NE(a, snapshot_json(Simulation::run(e)).dump());
}

TEST(Simulation, ColumnsSeeTheSameBatchAndKeepTheirWeightsWhenOthersChange) {
  Experiment e = make("tanh", 2, 50, 40, {"xavier_normal", "normal:std=1"});
  Simulation a(e);
  std::swap(e.inits[0], e.inits[1]);
  Simulation b(e);
  EXPECT_TRUE(a.weight(0, 1).isApprox(b.weight(1, 1), 0));
  a.update();
  b.update();
  EXPECT_TRUE(a.batch().isApprox(b.batch(), 0));
}

// A forward-only column keeps only its packed weights (simulation.h, Column::w); what weight()
// unpacks is bit for bit what a column with gradients keeps as drawn, biases included, and both
// forward passes see the same weights: the same pre-activation statistics.
TEST(Simulation, ForwardOnlyColumnsGiveBackTheWeightsAsDrawn) {
  Experiment e = make("tanh", 3, 29, 17, {"xavier_normal", "normal:std=0.3"}, 7);
  e.bias = InitSpec::parse("normal:std=0.1");
  Simulation forward_only(e);
  e.gradients = true;
  Simulation with_gradients(e);
  for (size_t c = 0; c < e.inits.size(); ++c)
    for (int l = 0; l < e.layers; ++l) {
      EXPECT_EQ(forward_only.weight(c, l), with_gradients.weight(c, l)) << c << " " << l;
      EXPECT_EQ(*forward_only.bias(c, l), *with_gradients.bias(c, l)) << c << " " << l;
    }
  forward_only.update();
  with_gradients.update();
  // The weights' moments are taken from the same floats in the same order: equal. The
  // pre-activations' std only within float rounding (with gradients the columns take turns and
  // their rows are split: other partial sums).
  const Snapshot a = forward_only.snapshot(), b = with_gradients.snapshot();
  double worst = 0;
  for (size_t c = 0; c < a.columns.size(); ++c)
    for (size_t l = 0; l < a.columns[c].layers.size(); ++l) {
      const LayerStats &x = a.columns[c].layers[l], &y = b.columns[c].layers[l];
      EXPECT_EQ(x.weight_mean, y.weight_mean);
      EXPECT_EQ(x.weight_std, y.weight_std);
      worst = std::max(worst, std::abs(x.preact.std - y.preact.std) / y.preact.std);
    }
  std::printf("forward-only against with-gradients pre-activation std: worst relative %.3g\n",
              worst);
  EXPECT_LT(worst, 1e-5);
}

// With two threads, two columns run whole on one thread each; with one thread they take turns.
// Counts cannot differ; sums only within float rounding of their partial sums.
// Aliases and spellings of one spec are the same scheme: the same weights and biases (the streams
// are keyed by the canonical spec), also through a data stage (rbm pretrains from its stream);
// a different parameter draws different ones.
TEST(Simulation, AliasesDrawTheSameWeights) {
  Experiment e = make(
      "relu", 3, 24, 30,
      {"he_normal:a=0.1", "kaiming_normal:a=0.1", " kaiming_normal : a = 0.1 ", "glorot_uniform",
       "xavier_uniform", "dbn:epochs=2,lr=0.05", "rbm:lr=0.05,epochs=2", "kaiming_normal:a=0.2"},
      5);
  e.input = InitSpec::parse("uniform:a=0,b=1");
  e.bias = InitSpec::parse("normal:std=0.1");
  const Simulation sim(e);
  auto worst = [&](size_t a, size_t b) {
    double d = 0;
    for (int l = 0; l < e.layers; ++l) {
      d = std::max(d, double((sim.weight(a, l) - sim.weight(b, l)).cwiseAbs().maxCoeff()));
      d = std::max(d, double((*sim.bias(a, l) - *sim.bias(b, l)).cwiseAbs().maxCoeff()));
    }
    return d;
  };
  const std::pair<size_t, size_t> same[] = {{0, 1}, {0, 2}, {3, 4}, {5, 6}};
  for (const auto& [a, b] : same)
    EXPECT_EQ(worst(a, b), 0.0) << e.inits[a].text << " vs " << e.inits[b].text;
  EXPECT_GT(worst(1, 7), 0.0) << "a=0.1 and a=0.2 drew the same weights";
}

TEST(Simulation, WholeColumnsPerThreadAgreeWithOneThread) {
  const Experiment e = make("tanh", 3, 70, 90, {"xavier_normal", "normal:std=1"}, 4);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const Snapshot one = Simulation::run(e);
  omp_set_num_threads(2);
  const Snapshot two = Simulation::run(e);
  omp_set_num_threads(saved);
  for (size_t c = 0; c < 2; ++c) {
    for (int l = 0; l < 3; ++l) {
      const LayerStats &x = one.columns[c].layers[l], &y = two.columns[c].layers[l];
      EXPECT_EQ(x.act.hist.counts, y.act.hist.counts) << "column " << c << " layer " << l + 1;
      EXPECT_EQ(x.preact.hist.counts, y.preact.hist.counts);
      EXPECT_EQ(x.act.saturated, y.act.saturated);
      EXPECT_NEAR(x.act.std, y.act.std, 1e-6 * x.act.std);
      EXPECT_NEAR(x.preact.mean, y.preact.mean, 1e-6 * x.preact.std);
    }
  }
}

// Without the layer statistics (SimulationOutputs::layer_statistics, a sweep row's update) the
// loss and every layer's ‖dL/dW‖ are the same bits, and no layer has statistics of Z, A or the
// gradients.
TEST(Simulation, WithoutLayerStatisticsTheGradientNormsAreTheSame) {
  Experiment e = make("tanh", 4, 70, 90, {"xavier_normal", "normal:std=1"});
  e.gradients = true;
  e.updates = 2;
  const Snapshot full = Simulation::run(e);
  SimulationOutputs bare;
  bare.layer_statistics = false;
  const Snapshot lean = Simulation::run(e, bare);
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(lean.columns[c].loss, full.columns[c].loss) << "column " << c;
    for (int l = 0; l < 4; ++l) {
      const LayerStats &x = lean.columns[c].layers[l], &y = full.columns[c].layers[l];
      EXPECT_EQ(x.grad_norm, y.grad_norm) << "column " << c << " layer " << l + 1;
      EXPECT_GT(x.grad_norm, 0);
      EXPECT_EQ(x.act.count, 0u);
      EXPECT_EQ(x.preact.count, 0u);
      EXPECT_EQ(x.grad_weight.count, 0u);
      EXPECT_EQ(y.act.count, 2u * 90 * 70);
    }
  }
}

TEST(Simulation, UpdatesAccumulateEveryBatch) {
  Experiment e = make("tanh", 3, 64, 100, {"xavier_normal"});
  e.updates = 5;
  Snapshot s = Simulation::run(e);
  EXPECT_EQ(s.batches, 5);
  for (const LayerStats& l : s.columns[0].layers) {
    EXPECT_EQ(l.act.count, 5u * 100 * 64);
    EXPECT_EQ(l.act.hist.total(), 5u * 100 * 64);
  }
}

TEST(Simulation, OverflowIsCountedNotACrash) {
  Snapshot s = Simulation::run(make("relu", 200, 100, 50, {"normal:std=1"}));
  const LayerStats& last = s.columns[0].layers.back();
  EXPECT_GT(last.act.nonfinite + last.preact.nonfinite, 0u);
  EXPECT_TRUE(std::isfinite(last.act.mean));
  EXPECT_FALSE(snapshot_json(s).dump().empty());
}

TEST(Simulation, MemoryLimitRefusesWithTheEstimate) {
  Experiment e = make("tanh", 1000, 4096, 1000, {"xavier_normal"});
  e.memory_limit_gb = 1;
  try {
    Simulation sim(e);
    FAIL() << "expected a refusal";
  } catch (const std::exception& ex) {
    EXPECT_NE(std::string(ex.what()).find("GB"), std::string::npos) << ex.what();
    EXPECT_NE(std::string(ex.what()).find("--memory-limit"), std::string::npos) << ex.what();
  }
}

TEST(Simulation, CancelStopsBetweenLayers) {
  Simulation sim(make("tanh", 50, 100, 100, {"xavier_normal"}));
  std::atomic<bool> cancel{false};
  int calls = 0;
  EXPECT_FALSE(sim.update(&cancel, [&](int done, int) {
    ++calls;
    if (done == 3) cancel = true;
  }));
  EXPECT_EQ(calls, 3);
}

TEST(Presets, AllLoadAndHaveNarratives) {
  ASSERT_GE(preset_list().size(), 9u);
  for (const auto& p : preset_list()) {
    Experiment e = load_preset(p.name);
    EXPECT_FALSE(e.title.empty()) << p.name;
    EXPECT_GT(e.narrative.size(), 80u) << p.name;
    EXPECT_EQ(e.preset, p.name);
  }
  for (const char* name : {"collapse", "saturation", "xavier-tanh", "xavier-relu", "he-relu",
                           "sigmoid", "zero-init", "uniform-1", "compare"}) {
    EXPECT_NO_THROW(load_preset(name)) << name;
  }
  EXPECT_EQ(preset_list().front().name, "compare");
}

TEST(Experiment, JsonRoundTrip) {
  Experiment e = load_preset("he-relu");
  e.widths = {10, 20, 30};
  e.layers = 3;
  e.bias = InitSpec::parse("uniform:a=-0.1,b=0.1");
  const auto j = e.to_json();
  const Experiment back = Experiment::from_json(nlohmann::json::parse(j.dump()), "test");
  EXPECT_EQ(back.to_json().dump(), j.dump());
}

TEST(Experiment, BadValuesNameTheOption) {
  auto expect_error = [](auto mutate, const std::string& needle) {
    Experiment e = load_preset("compare");
    mutate(e);
    try {
      e.validate();
      ADD_FAILURE() << "no error for " << needle;
    } catch (const std::exception& ex) {
      EXPECT_NE(std::string(ex.what()).find(needle), std::string::npos) << ex.what();
    }
  };
  expect_error([](Experiment& e) { e.layers = 0; }, "--layers");
  expect_error([](Experiment& e) { e.batch = 0; }, "--batch");
  expect_error([](Experiment& e) { e.bins = 0; }, "--bins");
  expect_error([](Experiment& e) { e.widths = {1, 2}; }, "--width");
  expect_error([](Experiment& e) { e.widths = {-5}; }, "--width");
  expect_error([](Experiment& e) { e.inits.clear(); }, "--init");
  expect_error([](Experiment& e) { e.input = InitSpec::parse("xavier_normal", "--input"); },
               "--input");
}

TEST(Experiment, FromJsonRejectsUnknownKeysAndBadTypes) {
  EXPECT_THROW(Experiment::from_json(nlohmann::json::parse(R"({"layrs": 3})"), "f.json"),
               std::exception);
  EXPECT_THROW(Experiment::from_json(nlohmann::json::parse(R"({"layers": "x"})"), "f.json"),
               std::exception);
  EXPECT_THROW(Experiment::from_json(nlohmann::json::parse(R"({"inits": ["bogus"]})"), "f.json"),
               std::exception);
}
