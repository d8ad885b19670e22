// G steps per second of the GAN (G 100-256-512-1024-784, D 784-512-256-1, LeakyReLU(0.2),
// batch 64, Adam lr 2e-4 β (0.5, 0.999), 1 D step per G step) on 1 and 2 OpenMP threads: ONE
// column (torch_linear_default, what a PyTorch run trains: one GAN) and the 4 default columns —
// against the same GAN in PyTorch (Debian's python3-torch, CPU, its default init), timed in the
// same run by torch_gan.py. The goal: one column ≥ 1.5× PyTorch's steps/s with 2
// threads; the "x_torch" counter is initscope's steps/s over PyTorch's best (of its defaults and
// set_num_threads(2)) measured earlier in this run. The images are random bytes: a step's cost
// does not depend on the pixels.
// Measured 2026-12-07 on the 2-core shared build machine (znver3), 4 columns: 10.5 G steps/s on
// 1 thread, 19.8 on 2 (≈ 4.0 GFLOP per G step: ~42 GFLOP/s per core; GEMMs ≈ 73%, Adam ≈ 12% of
// the time by perf). Against PyTorch: README, "The GAN against PyTorch".
// After a lone column left the OpenMP region (Eigen-threaded GEMMs), measured 2026-12-07 08:03
// UTC on the same shared machine (load average ≈ 2): 1 column 55.7 G steps/s on 2 threads,
// PyTorch 40.0: 1.39×. With a lone column's rows split over one team of threads
// (gan_trainer.h), 2026-12-07 13:00 UTC (load 1.8–4): 1 column 49.6 and 53.7 G steps/s on 2
// threads against PyTorch's 27.4 and 25.5 in the same runs: 1.81× and 2.10× (goal 1.5×); 4
// columns 14.4 and 15.0 G steps/s on 2 threads = 2.11× and 2.35× per GAN trained.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "core/gan/gan_trainer.h"
#include "core/rng.h"
#include "torch_reference.h"

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

// Timed like torch_gan.py, so that the two figures compare on a noisy machine: the best of 5
// runs of 50 G steps (after 5 warm-up steps), reported per step.
constexpr int kGanSteps = 50, kGanReps = 5;

// PyTorch's best steps/s in this run (0: not measured, e.g. filtered out or no torch).
double g_torch_gan_best = 0;

// The same GAN step in PyTorch. Arg threads: 0 = PyTorch's defaults (one torch thread here,
// OpenBLAS's GEMMs on both cores), 2 = torch.set_num_threads(2). Registered before BM_GanStep
// so that its ratio has the reference.
void BM_TorchGanStep(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::string cmd = bench::torch_command(
      TORCH_GAN_SCRIPT, "64 " + std::to_string(kGanSteps) + " " + std::to_string(kGanReps),
      threads);
  int torch_threads = 0;
  const double rate = bench::time_torch_steps(state, cmd, torch_threads);
  if (rate < 0) return;
  g_torch_gan_best = std::max(g_torch_gan_best, rate);
  state.SetLabel(threads == 0 ? std::string("PyTorch defaults")
                              : "torch threads " + std::to_string(torch_threads));
}
BENCHMARK(BM_TorchGanStep)
    ->Arg(0)
    ->Arg(2)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Args: threads, columns (1: torch_linear_default; 4: GanConfig::default_inits()).
void BM_GanStep(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int columns = static_cast<int>(state.range(1));
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  GanConfig c;
  c.epochs = 1000;
  if (columns == 1) c.inits = {InitSpec::parse("torch_linear_default")};
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
  state.SetLabel(std::to_string(columns) + " column" + (columns > 1 ? "s, " : ", ") +
                 std::to_string(threads) + " thread" + (threads > 1 ? "s" : ""));
  state.counters["steps/s"] = kGanSteps / best;
  // A step of 4 columns is 4 GANs' steps: the ratio is per GAN trained.
  if (g_torch_gan_best > 0)
    state.counters["x_torch"] = columns * kGanSteps / best / g_torch_gan_best;
}
BENCHMARK(BM_GanStep)
    ->ArgsProduct({{1, 2}, {1, 4}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
