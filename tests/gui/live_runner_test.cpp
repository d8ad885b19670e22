// The simulation's worker thread (LiveRunner): start, pause, step, cancel (a new experiment
// replaces a running one), reseed, stop; every published snapshot is complete and consistent.
// Also built with -fsanitize=thread (initscope_tsan_tests), so sizes stay small. No timed
// assertions: waits have generous timeouts and only guard against hangs.
#include "core/live_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "core/init/init_spec.h"
#include "injected_failure.h"

namespace initscope {
namespace {

using test::InjectedFailure;

constexpr double kTimeout = 120;  // seconds; only reached when something hangs
constexpr int kThreads = 1;       // one compute thread: TSan sees only our threads

Experiment small(int layers = 4, int width = 24, int batch = 32) {
  Experiment e;
  e.layers = layers;
  e.widths = {width};
  e.batch = batch;
  e.bins = 20;
  e.seed = 7;
  e.activation = Activation::parse("tanh");
  e.inits = {InitSpec::parse("normal:std=0.01"), InitSpec::parse("xavier_normal")};
  return e;
}

// Every column has every layer; counts = B × width × batches; histogram (incl. outside the
// range) + NaN/Inf = count.
// Returns "" or the first inconsistency.
std::string check_snapshot(const Snapshot& s) {
  const Experiment& e = s.experiment;
  if (s.columns.size() != e.inits.size()) return "columns " + std::to_string(s.columns.size());
  for (size_t c = 0; c < s.columns.size(); ++c) {
    const ColumnStats& col = s.columns[c];
    if (col.init != e.inits[c].text) return "column " + std::to_string(c) + " init " + col.init;
    if (col.layers.size() != static_cast<size_t>(e.layers))
      return "column " + std::to_string(c) + " has " + std::to_string(col.layers.size()) +
             " layers, expected " + std::to_string(e.layers);
    for (size_t l = 0; l < col.layers.size(); ++l) {
      const LayerStats& ls = col.layers[l];
      const uint64_t expected =
          uint64_t(e.batch) * uint64_t(e.width(int(l) + 1)) * uint64_t(s.batches);
      for (const ValueStats* v : {&ls.act, &ls.preact}) {
        if (v->count != expected)
          return "column " + std::to_string(c) + " layer " + std::to_string(l + 1) + " count " +
                 std::to_string(v->count) + ", expected " + std::to_string(expected);
        // total() = Σ counts + below + above (every finite value).
        const uint64_t in_hist = v->hist.total() + v->nonfinite;
        if (in_hist != v->count)
          return "column " + std::to_string(c) + " layer " + std::to_string(l + 1) +
                 ": histogram holds " + std::to_string(in_hist) + " of " + std::to_string(v->count);
        if (v->hist.counts.size() != static_cast<size_t>(e.bins)) return "bins";
      }
    }
  }
  return "";
}

// Polls until `pred(latest)` holds; returns the snapshot (nullptr on timeout).
template <typename Pred>
// The latest snapshot is looked at first: one published before the wait began (a paused
// runner's reseed, on a worker faster than this thread) would otherwise be waited past forever
// (CI: LiveRunner.ReseedDrawsNewWeights under TSan, 120 s, once).
std::shared_ptr<const Snapshot> wait_until(const LiveRunner& r, Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(kTimeout);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto s = r.latest(); s && pred(*s)) return s;
    r.wait_for_snapshot(r.status().updates + 1, 0.05);
  }
  return nullptr;
}

TEST(LiveRunner, PublishesCompleteSnapshots) {
  LiveRunner r(small(), /*playing=*/true, kThreads);
  auto s = r.wait_for_snapshot(3, kTimeout);
  ASSERT_NE(s, nullptr) << "no snapshot within " << kTimeout << " s";
  EXPECT_EQ(check_snapshot(*s), "");
  EXPECT_GE(r.status().updates, 3u);
  r.stop();
}

TEST(LiveRunner, PausedRunsExactlyOneUpdatePerStep) {
  LiveRunner r(small(), /*playing=*/false, kThreads);
  // A new experiment is shown once even when paused.
  auto first = r.wait_for_snapshot(1, kTimeout);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(check_snapshot(*first), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const uint64_t before = r.status().updates;
  EXPECT_EQ(before, 1u) << "updates ran while paused";
  EXPECT_FALSE(r.playing());

  r.step();
  auto second = r.wait_for_snapshot(before + 1, kTimeout);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second.get(), first.get());
  EXPECT_EQ(check_snapshot(*second), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(r.status().updates, before + 1) << "a step ran more than one update";

  r.set_playing(true);
  EXPECT_NE(r.wait_for_snapshot(before + 4, kTimeout), nullptr);
  r.set_playing(false);
  r.stop();
}

TEST(LiveRunner, NewExperimentCancelsTheRunningOne) {
  // A slow experiment is replaced by a small one; the small one must appear (the slow update
  // is cancelled between layers, not finished) and every snapshot stays consistent.
  LiveRunner r(small(/*layers=*/60, /*width=*/256, /*batch=*/256), true, kThreads);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Experiment next = small(/*layers=*/3, /*width=*/16, /*batch=*/8);
  r.set_experiment(next);
  auto s = wait_until(r, [](const Snapshot& s) { return s.experiment.layers == 3; });
  ASSERT_NE(s, nullptr) << "the new experiment never showed up";
  EXPECT_EQ(check_snapshot(*s), "");
  EXPECT_EQ(s->experiment.widths, next.widths);
  r.stop();
}

TEST(LiveRunner, ReseedDrawsNewWeights) {
  LiveRunner r(small(), false, kThreads);
  auto a = r.wait_for_snapshot(1, kTimeout);
  ASSERT_NE(a, nullptr);
  r.reseed(1234);
  auto b = wait_until(r, [](const Snapshot& s) { return s.experiment.seed == 1234; });
  ASSERT_NE(b, nullptr) << "no snapshot with the new seed";
  EXPECT_EQ(check_snapshot(*b), "");
  // Different weights → (almost surely) a different weight std in layer 1 of column 2.
  EXPECT_NE(a->columns[1].layers[0].weight_std, b->columns[1].layers[0].weight_std);
  r.stop();
}

TEST(LiveRunner, RefusedExperimentKeepsTheOldOneRunning) {
  LiveRunner r(small(), true, kThreads);
  ASSERT_NE(r.wait_for_snapshot(1, kTimeout), nullptr);
  Experiment huge = small(/*layers=*/1000, /*width=*/4096, /*batch=*/1000);
  huge.memory_limit_gb = 0.001;  // 1 MB: refused, whatever the machine
  r.set_experiment(huge);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (r.status().error.empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(r.status().error, "") << "the memory limit was not reported";
  const uint64_t n = r.status().updates;
  auto s = r.wait_for_snapshot(n + 2, kTimeout);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->experiment.layers, 4) << "the refused experiment replaced the running one";
  EXPECT_EQ(check_snapshot(*s), "");
  r.stop();
}

TEST(LiveRunner, AnUpdateThatThrowsIsReportedAndTheWorkerGoesOn) {
  InjectedFailure inject{WorkerStage::Update};
  LiveRunner r(small(), true, kThreads, inject.hook());
  ASSERT_NE(r.wait_for_snapshot(1, kTimeout), nullptr);
  inject.failures.store(3);
  const std::string error = test::wait_for_error(r, "injected failure", kTimeout);
  EXPECT_EQ(error, "the update failed: injected failure");
  // Still alive: once the failures are spent, snapshots come again, complete.
  const uint64_t n = r.status().updates;
  auto s = r.wait_for_snapshot(n + 3, kTimeout);
  ASSERT_NE(s, nullptr);
  EXPECT_GE(r.status().updates, n + 3) << "no snapshots after the failing updates";
  EXPECT_EQ(inject.thrown.load(), 3);
  EXPECT_EQ(check_snapshot(*s), "");
  // And it takes the next request: an accepted experiment clears the error.
  r.set_experiment(small(/*layers=*/3));
  s = wait_until(r, [](const Snapshot& s) { return s.experiment.layers == 3; });
  ASSERT_NE(s, nullptr) << "the worker took no request after the failure";
  EXPECT_EQ(check_snapshot(*s), "");
  EXPECT_EQ(r.status().error, "");
  r.stop();
}

TEST(LiveRunner, AReseedThatThrowsKeepsTheRunningWeights) {
  InjectedFailure inject{WorkerStage::Reseed};
  LiveRunner r(small(), true, kThreads, inject.hook());
  auto a = r.wait_for_snapshot(1, kTimeout);
  ASSERT_NE(a, nullptr);
  inject.failures.store(1);
  r.reseed(1234);
  EXPECT_EQ(test::wait_for_error(r, "injected failure", kTimeout),
            "drawing new weights failed: injected failure");
  const uint64_t n = r.status().updates;
  auto s = r.wait_for_snapshot(n + 2, kTimeout);
  ASSERT_NE(s, nullptr);
  EXPECT_GE(s->update_index, a->update_index + 2);
  EXPECT_EQ(s->experiment.seed, 7u) << "the failed reseed changed the running experiment";
  EXPECT_EQ(s->columns[1].layers[0].weight_std, a->columns[1].layers[0].weight_std);
  EXPECT_EQ(check_snapshot(*s), "");
  // The next reseed succeeds.
  r.reseed(1234);
  auto b = wait_until(r, [](const Snapshot& s) { return s.experiment.seed == 1234; });
  ASSERT_NE(b, nullptr) << "no snapshot with the new seed";
  EXPECT_EQ(check_snapshot(*b), "");
  r.stop();
}

TEST(LiveRunner, AnExperimentThatThrowsWhileBuiltKeepsTheOldOneRunning) {
  InjectedFailure inject{WorkerStage::Build};
  LiveRunner r(small(), true, kThreads, inject.hook());
  ASSERT_NE(r.wait_for_snapshot(1, kTimeout), nullptr);
  inject.failures.store(1);
  r.set_experiment(small(/*layers=*/3));
  EXPECT_EQ(test::wait_for_error(r, "injected failure", kTimeout), "injected failure");
  const uint64_t n = r.status().updates;
  auto s = r.wait_for_snapshot(n + 2, kTimeout);
  ASSERT_NE(s, nullptr);
  EXPECT_GE(r.status().updates, n + 2) << "no snapshots after the refused experiment";
  EXPECT_EQ(s->experiment.layers, 4) << "the refused experiment replaced the running one";
  EXPECT_EQ(check_snapshot(*s), "");
  r.stop();
}

TEST(LiveRunner, StopIsIdempotentAndLatestSurvives) {
  LiveRunner r(small(), true, kThreads);
  ASSERT_NE(r.wait_for_snapshot(1, kTimeout), nullptr);
  r.stop();
  r.stop();
  auto s = r.latest();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(check_snapshot(*s), "");
  // Requests after stop are harmless.
  r.step();
  r.set_playing(true);
  r.set_experiment(small(2));
}

TEST(LiveRunner, ReadersSeeOnlyCompleteSnapshotsWhileRequestsFly) {
  // The UI's pattern: one thread reads latest()/status() every "frame" while another sends
  // edits, steps, pauses and reseeds. Each snapshot a reader holds must stay complete.
  LiveRunner r(small(), true, kThreads);
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, seen{0};
  std::string first_error;
  std::thread reader([&] {
    std::shared_ptr<const Snapshot> prev;
    while (!done.load()) {
      auto s = r.latest();
      const RunnerStatus st = r.status();
      (void)st;
      if (s && s != prev) {
        ++seen;
        const std::string err = check_snapshot(*s);
        if (!err.empty() && bad.fetch_add(1) == 0) first_error = err;
        prev = s;
      }
      std::this_thread::yield();
    }
  });
  for (int i = 0; i < 30; ++i) {
    switch (i % 5) {
      case 0:
        r.set_experiment(small(2 + i % 4, 8 + 4 * (i % 3), 16));
        break;
      case 1:
        r.step();
        break;
      case 2:
        r.set_playing(i % 2 == 0);
        break;
      case 3:
        r.reseed(100 + i);
        break;
      case 4:
        r.wait_for_snapshot(r.status().updates + 1, 0.2);
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  r.set_playing(true);
  ASSERT_NE(r.wait_for_snapshot(r.status().updates + 2, kTimeout), nullptr);
  // Under TSan on a loaded machine the first snapshots may only arrive now: give the reader
  // the time to take one before it is told to stop (it failed 2 runs in 6 at load 4 without).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(int(kTimeout));
  while (seen.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  done.store(true);
  reader.join();
  r.stop();
  EXPECT_EQ(bad.load(), 0) << "first inconsistency: " << first_error;
  EXPECT_GT(seen.load(), 0);
}

}  // namespace
}  // namespace initscope
