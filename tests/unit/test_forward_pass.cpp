// The fused forward pass: its statistics (computed tile by tile, across threads, with ranges
// agreed after each layer) against StatsAccumulator run over the very Z and A it produced,
// which test_stats_accumulator.cpp checks against a naive reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/engine/forward_pass.h"
#include "core/engine/normalization.h"
#include "core/rng.h"

using namespace initscope;

namespace {

struct Net {
  Activation act;
  Eigen::MatrixXf x;
  std::vector<Eigen::MatrixXf> w;
  std::vector<Eigen::RowVectorXf> b;
  std::vector<gemm::PackedWeights> packed;
  void pack() {
    packed.clear();
    for (size_t l = 0; l < w.size(); ++l) packed.emplace_back(w[l], &b[l]);
  }
};

// batch × widths[0] input, then layers to widths[1..]; W ~ N(0, scale²/fan_in).
Net make_net(const std::string& act, int batch, std::vector<int> widths, double scale,
             uint64_t seed) {
  Rng rng(seed);
  Net n;
  n.act = Activation::parse(act);
  n.x.resize(batch, widths[0]);
  for (int i = 0; i < n.x.size(); ++i) n.x(i) = static_cast<float>(rng.normal());
  for (size_t l = 1; l < widths.size(); ++l) {
    Eigen::MatrixXf w(widths[l - 1], widths[l]);
    for (int i = 0; i < w.size(); ++i)
      w(i) = static_cast<float>(scale / std::sqrt(widths[l - 1]) * rng.normal());
    Eigen::RowVectorXf b(widths[l]);
    for (int i = 0; i < b.size(); ++i) b(i) = static_cast<float>(0.1 * rng.normal());
    n.w.push_back(w);
    n.b.push_back(b);
  }
  n.pack();
  return n;
}

// One layer's accumulators and kept ranges, as Simulation holds them.
struct Column {
  std::vector<StatsAccumulator> pre, act;
  std::vector<Range> pre_range, act_range;
  explicit Column(size_t layers)
      : pre(layers), act(layers), pre_range(layers, {0, 0}), act_range(layers, {0, 0}) {}
  std::vector<LayerSink> sinks() {
    std::vector<LayerSink> s;
    for (size_t l = 0; l < pre.size(); ++l)
      s.push_back({&pre[l], &act[l], &pre_range[l], &act_range[l]});
    return s;
  }
  void reset() {
    for (auto& a : pre) a = StatsAccumulator{};
    for (auto& a : act) a = StatsAccumulator{};
  }
};

struct PassResult {
  Column col;
  std::vector<Eigen::MatrixXf> z, a;
  bool complete = false;
};

PassResult forward(const Net& n, int threads, Column col, int bins = 50) {
  PassResult r{std::move(col), {}, {}, false};
  ForwardPass pass;
  ForwardOptions o;
  o.threads = threads;
  o.keep_z = &r.z;
  o.keep_a = &r.a;
  r.complete = pass.run(n.x, n.packed, n.act, bins, r.col.sinks(), o);
  return r;
}

// Expect `got` to equal StatsAccumulator over m with the same range and rule.
void expect_same(const ValueStats& got, const Eigen::MatrixXf& m, const Range& range, int bins,
                 SaturationRule rule, const std::string& what) {
  StatsAccumulator ref(range.lo, range.hi, bins, rule);
  ref.add(m.data(), static_cast<size_t>(m.size()));
  const ValueStats want = ref.result();
  EXPECT_EQ(got.count, want.count) << what;
  EXPECT_EQ(got.nonfinite, want.nonfinite) << what;
  EXPECT_NEAR(got.mean, want.mean, 1e-6 * (std::fabs(want.mean) + want.std) + 1e-30) << what;
  EXPECT_NEAR(got.std, want.std, 1e-6 * want.std + 1e-30) << what;
  EXPECT_EQ(got.min, want.min) << what;
  EXPECT_EQ(got.max, want.max) << what;
  EXPECT_EQ(got.saturated, want.saturated) << what;
  EXPECT_EQ(got.zero, want.zero) << what;
  EXPECT_EQ(got.dead, want.dead) << what;
  EXPECT_EQ(got.hist.lo, want.hist.lo) << what;
  EXPECT_EQ(got.hist.hi, want.hist.hi) << what;
  EXPECT_EQ(got.hist.counts, want.hist.counts) << what;
  EXPECT_EQ(got.hist.below, want.hist.below) << what;
  EXPECT_EQ(got.hist.above, want.hist.above) << what;
}

// Every layer's statistics against the reference over the Z and A the pass kept; the ranges
// it chose against stable_range over the whole layer (and the activation's own when bounded).
void expect_matches_reference(const Net& n, const PassResult& r, Column before, int bins,
                              const std::string& what) {
  for (size_t l = 0; l < n.w.size(); ++l) {
    const std::string where = what + " layer " + std::to_string(l + 1);
    const Eigen::MatrixXf& z = r.z[l];
    const Eigen::MatrixXf& a = r.a[l];
    const Range pre_range = stable_range(before.pre_range[l], z.data(), z.size());
    const auto bounded = n.act.bounded_range();
    const Range act_range = bounded ? Range{bounded->first, bounded->second}
                                    : stable_range(before.act_range[l], a.data(), a.size());
    EXPECT_EQ(r.col.pre_range[l], pre_range) << where;
    EXPECT_EQ(r.col.act_range[l], act_range) << where;
    expect_same(r.col.pre[l].result(), z, pre_range, bins, SaturationRule::None, where + " Z");
    expect_same(r.col.act[l].result(), a, act_range, bins, saturation_rule(n.act), where + " A");
  }
}

}  // namespace

TEST(ForwardPass, KeepsTheProductAndItsActivation) {
  const Net n = make_net("tanh", 45, {23, 37, 29}, 1.5, 1);
  const PassResult r = forward(n, 2, Column(2));
  ASSERT_TRUE(r.complete);
  Eigen::MatrixXf in = n.x;
  for (size_t l = 0; l < n.w.size(); ++l) {
    const Eigen::MatrixXd z =
        (in.cast<double>() * n.w[l].cast<double>()).rowwise() + n.b[l].cast<double>();
    EXPECT_LT((r.z[l].cast<double>() - z).cwiseAbs().maxCoeff(), 1e-5) << "layer " << l + 1;
    Eigen::MatrixXf a;
    n.act.apply(r.z[l], a);
    EXPECT_EQ(r.a[l], a) << "layer " << l + 1;
    in = r.a[l];
  }
}

TEST(ForwardPass, StatisticsEqualTheAccumulatorOverItsOwnValues) {
  for (const std::string act : {"tanh", "sigmoid", "relu", "leaky_relu", "selu", "softplus"}) {
    // Batches that fill whole row panels, leave a partial one, or fit in one.
    for (int batch : {1, gemm::kTileRows - 3, 2 * gemm::kTileRows + 7, 203}) {
      const Net n = make_net(act, batch, {31, 40, 13, 27}, 1.3, 2);
      const PassResult r = forward(n, 2, Column(3));
      ASSERT_TRUE(r.complete);
      expect_matches_reference(n, r, Column(3), 50, act + " batch " + std::to_string(batch));
    }
  }
}

// Layers wider than two groups of tiles (forward_pass_parts.h's kStatsTiles: the plain layer's
// statistics are taken ≈ 1024 values at a time, 60 columns of the AVX2 build's 16 × 6 tiles, 24
// with AVX-512, 128 with SSE2), with a partial last group and padding columns in the last
// column panel.
TEST(ForwardPass, StatisticsOverSeveralTileGroups) {
  for (const std::string act : {"tanh", "relu"}) {
    for (int batch : {2 * gemm::kTileRows + 7, 203}) {
      const Net n = make_net(act, batch, {31, 263, 133}, 1.3, 6);
      const PassResult r = forward(n, 2, Column(2));
      ASSERT_TRUE(r.complete);
      expect_matches_reference(n, r, Column(2), 50, act + " batch " + std::to_string(batch));
    }
  }
}

// Without statistics (ForwardOptions::statistics, the pair profile's pass) the kept Z and A
// are the same bits, and the sinks stay as they were.
TEST(ForwardPass, WithoutStatisticsKeepsTheSameValuesAndLeavesTheSinks) {
  const Net n = make_net("tanh", 203, {31, 70, 45}, 1.3, 7);
  const PassResult with = forward(n, 2, Column(2));
  for (int threads : {1, 2}) {
    Column col(2);
    std::vector<Eigen::MatrixXf> z, a;
    ForwardPass pass;
    ForwardOptions o;
    o.threads = threads;
    o.keep_z = &z;
    o.keep_a = &a;
    o.statistics = false;
    int layers_done = 0;
    o.layer_done = [&] { ++layers_done; };
    ASSERT_TRUE(pass.run(n.x, n.packed, n.act, 50, col.sinks(), o));
    EXPECT_EQ(layers_done, 2);
    for (size_t l = 0; l < 2; ++l) {
      EXPECT_EQ(z[l], with.z[l]) << "layer " << l + 1 << ", " << threads << " threads";
      EXPECT_EQ(a[l], with.a[l]) << "layer " << l + 1 << ", " << threads << " threads";
      EXPECT_TRUE(col.pre[l].empty());
      EXPECT_TRUE(col.act[l].empty());
      EXPECT_EQ(col.pre_range[l], (Range{0, 0}));
      EXPECT_EQ(col.act_range[l], (Range{0, 0}));
    }
  }
}

// Threads split the rows; the counts cannot depend on it, the sums only within float rounding
// of their partial sums (≲ 1e-6 relative).
TEST(ForwardPass, OneThreadAndTwoAgree) {
  const Net n = make_net("tanh", 300, {64, 64, 64}, 1.0, 3);
  const PassResult one = forward(n, 1, Column(2)), two = forward(n, 2, Column(2));
  for (int l = 0; l < 2; ++l) {
    for (auto [x, y] : {std::pair{one.col.pre[l].result(), two.col.pre[l].result()},
                        std::pair{one.col.act[l].result(), two.col.act[l].result()}}) {
      EXPECT_EQ(x.hist.counts, y.hist.counts);
      EXPECT_EQ(x.min, y.min);
      EXPECT_EQ(x.max, y.max);
      EXPECT_EQ(x.zero, y.zero);
      EXPECT_NEAR(x.mean, y.mean, 1e-6 * x.std);
      EXPECT_NEAR(x.std, y.std, 1e-6 * x.std);
    }
  }
}

// A live simulation bins each tile with the range kept from the last update and checks it after
// the layer: kept, widened when the data leave it, narrowed when they shrink below a quarter.
TEST(ForwardPass, KeptRangesAreCheckedAndRebinnedWhenTheDataMove) {
  Net n = make_net("relu", 150, {40, 40, 40}, 1.4, 4);
  PassResult first = forward(n, 2, Column(2));
  const Column settled = first.col;
  for (double factor : {1.0, 30.0, 0.01}) {
    Net moved = n;
    for (auto& w : moved.w) w *= static_cast<float>(std::pow(factor, 0.5));
    moved.pack();
    Column col = settled;
    col.reset();
    const PassResult r = forward(moved, 2, col);
    expect_matches_reference(moved, r, col, 50, "weights × √" + std::to_string(factor));
  }
}

// Several batches accumulate into the same accumulators, with their ranges.
TEST(ForwardPass, SecondBatchAccumulates) {
  const Net n = make_net("tanh", 70, {20, 30}, 2.0, 5);
  PassResult r1 = forward(n, 2, Column(1));
  Net other = make_net("tanh", 70, {20, 30}, 2.0, 6);
  other.w = n.w;
  other.b = n.b;
  other.pack();
  const PassResult r2 = forward(other, 2, r1.col);
  StatsAccumulator ref(r1.col.pre[0].lo(), r1.col.pre[0].hi(), 50, SaturationRule::None);
  ref.add(r1.z[0].data(), r1.z[0].size());
  ref.add(r2.z[0].data(), r2.z[0].size());
  const ValueStats got = r2.col.pre[0].result(), want = ref.result();
  EXPECT_EQ(got.count, 2u * 70 * 30);
  EXPECT_EQ(got.hist.counts, want.hist.counts);
  EXPECT_EQ(got.hist.below + got.hist.above, want.hist.below + want.hist.above);
  EXPECT_NEAR(got.mean, want.mean, 1e-6 * want.std);
  EXPECT_NEAR(got.std, want.std, 1e-6 * want.std);
}

// Overflowing activations are counted as non-finite, never a crash; the histogram takes the
// finite ones.
TEST(ForwardPass, OverflowIsCounted) {
  Net n = make_net("relu", 50, {30, 30, 30, 30, 30, 30}, 1.0, 7);
  for (auto& w : n.w) w *= 3e9f;
  n.pack();
  const PassResult r = forward(n, 2, Column(5));
  ASSERT_TRUE(r.complete);
  expect_matches_reference(n, r, Column(5), 50, "overflow");
  EXPECT_GT(r.col.act[4].result().nonfinite, 0u);
}

TEST(ForwardPass, CancelStopsBetweenLayers) {
  const Net n = make_net("tanh", 64, {16, 16, 16, 16}, 1.0, 8);
  Column col(3);
  std::atomic<bool> cancel{false};
  int layers = 0;
  ForwardPass pass;
  ForwardOptions o;
  o.cancel = &cancel;
  o.layer_done = [&] {
    ++layers;
    cancel = true;
  };
  const bool complete = pass.run(n.x, n.packed, n.act, 20, col.sinks(), o);
  EXPECT_FALSE(complete);
  EXPECT_EQ(layers, 1);
}

// With a norm (Linear → Norm → φ, fused per row panel or after BatchNorm's extra meeting), on
// one thread and on two, with batches that leave a partial row panel: the kept A equals φ of
// norm_forward (engine/normalization.h, the block engine's kernel) over the kept Z — LayerNorm
// and RMSNorm take the same double sums in the same order, BatchNorm a one-pass variance; within
// 2e-6 (an optimiser may contract the two codes' multiply-adds differently) — and H's
// statistics equal the accumulator's over that H (histogram counts within 2: a value on a bin
// edge).
TEST(ForwardPass, NormFusedEqualsTheNormKernel) {
  double worst_a = 0, worst_moment = 0;
  long worst_hist = 0;
  for (NormKind kind : {NormKind::Layer, NormKind::Rms, NormKind::Batch}) {
    for (int batch : {gemm::kTileRows - 3, 2 * gemm::kTileRows + 7}) {
      for (int threads : {1, 2}) {
        const Net n = make_net("tanh", batch, {31, 40, 13, 27}, 1.3, 5);
        std::vector<Eigen::RowVectorXf> gamma, beta;
        for (const Eigen::MatrixXf& w : n.w) {
          gamma.push_back(Eigen::RowVectorXf::LinSpaced(w.cols(), 0.5f, 1.5f));
          beta.push_back(Eigen::RowVectorXf::LinSpaced(w.cols(), -0.2f, 0.2f));
        }
        const size_t L = n.w.size();
        Column col(L);
        std::vector<StatsAccumulator> normed(L);
        std::vector<Range> normed_range(L, Range{0, 0});
        std::vector<LayerSink> sinks = col.sinks();
        for (size_t l = 0; l < L; ++l) {
          sinks[l].normed = &normed[l];
          sinks[l].normed_range = &normed_range[l];
        }
        std::vector<Eigen::MatrixXf> z, a;
        ForwardOptions o;
        o.threads = threads;
        o.keep_z = &z;
        o.keep_a = &a;
        o.norm = kind;
        o.gamma = &gamma;
        o.beta = &beta;
        ForwardPass pass;
        ASSERT_TRUE(pass.run(n.x, n.packed, n.act, 50, sinks, o));
        for (size_t l = 0; l < L; ++l) {
          const std::string where = std::string(norm_name(kind)) + " batch " +
                                    std::to_string(batch) + " threads " + std::to_string(threads) +
                                    " layer " + std::to_string(l + 1);
          Eigen::MatrixXf h, want_a;
          NormCache cache;
          norm_forward(kind, z[l], gamma[l], beta[l], h, cache);
          n.act.apply(h, want_a);
          worst_a = std::max(worst_a, static_cast<double>((a[l] - want_a).cwiseAbs().maxCoeff()));
          StatsAccumulator ref(normed_range[l].lo, normed_range[l].hi, 50, SaturationRule::None);
          ref.add(h.data(), static_cast<size_t>(h.size()));
          const ValueStats got = normed[l].result(), want = ref.result();
          EXPECT_EQ(got.count, want.count) << where;
          EXPECT_EQ(normed_range[l], stable_range(Range{0, 0}, h.data(), h.size())) << where;
          worst_moment = std::max({worst_moment, std::fabs(got.mean - want.mean) / want.std,
                                   std::fabs(got.std - want.std) / want.std});
          long d = 0;
          for (size_t i = 0; i < got.hist.counts.size(); ++i)
            d += std::labs(static_cast<long>(got.hist.counts[i]) -
                           static_cast<long>(want.hist.counts[i]));
          worst_hist = std::max(worst_hist, d);
        }
      }
    }
  }
  std::printf(
      "fused norm vs norm_forward: worst |ΔA| %.3g, H moments %.3g (relative to std), "
      "histogram counts %ld\n",
      worst_a, worst_moment, worst_hist);
  EXPECT_LT(worst_a, 2e-6);
  EXPECT_LT(worst_moment, 1e-5);
  EXPECT_LE(worst_hist, 2);
}
