// G steps per second of the GAN (G 100-256-512-1024-784, D 784-512-256-1, LeakyReLU(0.2),
// batch 64, Adam, 1 D step per G step) with its 4 default columns, on 1 and 2 OpenMP threads.
// The images are random bytes: a step's cost does not depend on the pixels. The PyTorch side of
// the comparison is timed by the quality-measure branch's script.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "core/gan/gan_trainer.h"
#include "core/rng.h"

using namespace initscope;

namespace {

std::shared_ptr<const ImageDataset> gan_random_images() {
  static const auto data = [] {
    auto d = std::make_shared<ImageDataset>();
    d->folder = "(random bytes)";
    d->classes = 10;
    Rng rng(11);
    for (const auto& [set, count] : {std::pair{&d->train, 60000}, std::pair{&d->test, 100}}) {
      set->count = count;
      set->rows = set->cols = 28;
      set->pixels.resize(static_cast<size_t>(count) * 784);
      set->labels.resize(static_cast<size_t>(count));
      for (auto& p : set->pixels) p = static_cast<uint8_t>(rng.below(256));
      for (auto& l : set->labels) l = static_cast<uint8_t>(rng.below(10));
    }
    return std::shared_ptr<const ImageDataset>(d);
  }();
  return data;
}

// The best of 5 runs of 50 G steps (after 5 warm-up steps), reported per step.
constexpr int kGanSteps = 50, kGanReps = 5;

void BM_GanStep(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  GanConfig c;
  c.epochs = 1000;
  GanTrainer trainer(c, gan_random_images());
  trainer.run_steps(5);
  double best = 1e30;
  for (auto _ : state) {
    for (int r = 0; r < kGanReps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      trainer.run_steps(kGanSteps);
      best = std::min(best,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    state.SetIterationTime(best / kGanSteps);
  }
  omp_set_num_threads(saved);
  state.SetLabel("4 columns, " + std::to_string(threads) + " thread" + (threads > 1 ? "s" : ""));
  state.counters["steps/s"] = kGanSteps / best;
}
BENCHMARK(BM_GanStep)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
