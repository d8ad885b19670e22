// The live simulation as the window runs it (LiveRunner, one worker thread): updates per second
// with the `compare` preset running continuously, and the latency from an edit to the first
// snapshot of the edited experiment — what a user waits for after moving a knob.
// compute_threads = 1 is what the window uses on a 2-core machine (the UI keeps a core).
#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

#include "core/live_runner.h"
#include "core/presets.h"

using namespace initscope;
using Clock = std::chrono::steady_clock;

namespace {

// Updates per second over 4 s of continuous running (after the first snapshot).
void BM_LiveUpdatesPerSecond(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    LiveRunner runner(load_preset("compare"), true, threads);
    const auto first = runner.wait_for_snapshot(1, 60);
    if (!first) {
      state.SkipWithError("no snapshot within 60 s");
      return;
    }
    const uint64_t n0 = first->update_index;
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(4));
    const auto last = runner.latest();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(s);
    state.counters["updates/s"] = static_cast<double>(last->update_index - n0) / s;
    state.counters["update_ms"] = last->update_ms;
  }
}
BENCHMARK(BM_LiveUpdatesPerSecond)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Edit → first snapshot of the edited experiment (a new seed: new weights, new batch), while
// the runner is busy with the previous one. Each iteration is one edit; time is the latency.
void BM_EditToFirstSnapshot(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  Experiment e = load_preset("compare");
  LiveRunner runner(e, true, threads);
  if (!runner.wait_for_snapshot(1, 60)) {
    state.SkipWithError("no snapshot within 60 s");
    return;
  }
  for (auto _ : state) {
    e.seed += 1;
    const auto t0 = Clock::now();
    runner.set_experiment(e);
    while (true) {
      const auto s = runner.latest();
      if (s && s->experiment.seed == e.seed) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
    // Let the next edit land in the middle of an update, as a user's would.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
}
BENCHMARK(BM_EditToFirstSnapshot)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(8)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
