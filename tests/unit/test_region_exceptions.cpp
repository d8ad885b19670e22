// An exception thrown inside an OpenMP region reaches the caller (and from there the worker's
// catch) instead of terminating the process: RegionExceptions itself, the forward pass's
// meeting points with two threads, and Simulation's columns run in parallel. After a failure
// the same objects run on; their results equal those of fresh objects (the reference).
#include <gtest/gtest.h>
#include <omp.h>

#include <stdexcept>
#include <string>

#include "core/engine/forward_pass.h"
#include "core/init/init_spec.h"
#include "core/region_exceptions.h"
#include "core/rng.h"
#include "core/simulation.h"

using namespace initscope;

namespace {

// Restores the OpenMP pool size when the test ends.
struct PoolSize {
  const int saved = omp_get_max_threads();
  explicit PoolSize(int threads) { omp_set_num_threads(threads); }
  ~PoolSize() { omp_set_num_threads(saved); }
};

// An experiment of two columns: Simulation::update runs them one per thread with 2 threads.
Experiment two_columns() {
  Experiment e;
  e.layers = 3;
  e.widths = {40};
  e.batch = 64;
  e.bins = 20;
  e.seed = 11;
  e.activation = Activation::parse("tanh");
  e.inits = {InitSpec::parse("xavier_normal"), InitSpec::parse("normal:std=0.05")};
  return e;
}

// count, mean and std of every layer of every column equal (they do not depend on the
// histogram ranges a failed update may have moved); "" or the first difference.
std::string same_moments(const Snapshot& got, const Snapshot& want) {
  for (size_t c = 0; c < want.columns.size(); ++c) {
    for (size_t l = 0; l < want.columns[c].layers.size(); ++l) {
      const LayerStats& g = got.columns[c].layers[l];
      const LayerStats& w = want.columns[c].layers[l];
      for (auto [gv, wv] : {std::pair{&g.preact, &w.preact}, std::pair{&g.act, &w.act}}) {
        if (gv->count != wv->count || gv->mean != wv->mean || gv->std != wv->std)
          return "column " + std::to_string(c) + " layer " + std::to_string(l + 1) + ": mean " +
                 std::to_string(gv->mean) + " vs " + std::to_string(wv->mean);
      }
    }
  }
  return "";
}

}  // namespace

TEST(RegionExceptions, TheFirstExceptionLeavesTheRegionAfterIt) {
  RegionExceptions errors;
  int ran = 0;
#pragma omp parallel for num_threads(2) reduction(+ : ran)
  for (int i = 0; i < 8; ++i) {
    errors.capture([&] {
      ++ran;
      if (i % 3 == 1) throw std::runtime_error("task " + std::to_string(i));
    });
  }
  EXPECT_EQ(ran, 8) << "a failing task stopped the others";
  EXPECT_TRUE(errors.failed());
  EXPECT_THROW(errors.rethrow(), std::runtime_error);
  RegionExceptions none;
  none.capture([] {});
  EXPECT_FALSE(none.failed());
  EXPECT_NO_THROW(none.rethrow());
}

TEST(RegionExceptions, AForwardPassThatThrowsAtAMeetingPointRunsAgain) {
  Rng rng(3);
  Eigen::MatrixXf x(200, 30);  // 200 rows: several row panels, so both threads take some
  for (int i = 0; i < x.size(); ++i) x(i) = static_cast<float>(rng.normal());
  std::vector<gemm::PackedWeights> w;
  for (int l = 0; l < 3; ++l) {
    Eigen::MatrixXf wl(30, 30);
    for (int i = 0; i < wl.size(); ++i) wl(i) = static_cast<float>(0.2 * rng.normal());
    w.emplace_back(wl, nullptr);
  }
  const Activation tanh_act = Activation::parse("tanh");
  auto run = [&](ForwardPass& pass, int throw_at_layer, std::vector<StatsAccumulator>& acc) {
    acc.assign(6, StatsAccumulator{});
    std::vector<Range> ranges(6, Range{0, 0});
    std::vector<LayerSink> sinks;
    for (int l = 0; l < 3; ++l) sinks.push_back({&acc[l], &acc[3 + l], &ranges[l], &ranges[3 + l]});
    ForwardOptions o;
    o.threads = 2;
    int layer = 0;
    o.layer_done = [&] {
      if (++layer == throw_at_layer) throw std::runtime_error("layer_done failed");
    };
    return pass.run(x, w, tanh_act, 20, sinks, o);
  };
  ForwardPass pass;
  std::vector<StatsAccumulator> acc, fresh_acc;
  EXPECT_THROW(run(pass, 2, acc), std::runtime_error);
  ASSERT_TRUE(run(pass, 0, acc)) << "the pass did not run again after the exception";
  ForwardPass fresh;
  ASSERT_TRUE(run(fresh, 0, fresh_acc));
  for (size_t k = 0; k < acc.size(); ++k) {
    const ValueStats got = acc[k].result(), want = fresh_acc[k].result();
    EXPECT_EQ(got.count, want.count) << "accumulator " << k;
    EXPECT_EQ(got.mean, want.mean) << "accumulator " << k;
    EXPECT_EQ(got.hist.counts, want.hist.counts) << "accumulator " << k;
  }
}

TEST(RegionExceptions, AColumnThatThrowsInsideTheParallelUpdateReachesTheCaller) {
  PoolSize pool(2);  // two columns on two threads: one column per thread, in the region
  Simulation sim(two_columns());
  int calls = 0;
  EXPECT_THROW(sim.update(nullptr,
                          [&](int, int) {
                            if (++calls == 3) throw std::runtime_error("progress failed");
                          }),
               std::runtime_error);
  // The simulation runs on: its next update equals a fresh simulation's first.
  sim.reset_stats();
  ASSERT_TRUE(sim.update());
  Simulation fresh(two_columns());
  ASSERT_TRUE(fresh.update());
  EXPECT_EQ(same_moments(sim.snapshot(), fresh.snapshot()), "");
}
