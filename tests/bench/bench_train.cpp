// Training steps per second of the network (784-256-256-10, ReLU, softmax cross-entropy,
// batch 128, one column) with SGD / momentum / Adam, on 1 and 2 OpenMP threads, against the same
// loop in PyTorch (Debian's python3-torch, CPU), timed in the same run by torch_train.py. The
// images are random bytes: a step's cost does not depend on the pixels.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "core/rng.h"
#include "core/training/trainer.h"
#include "torch_reference.h"

using namespace initscope;

namespace {

constexpr int kBatch = 128;

// 60000 training images of 28×28 random bytes with random labels; a small test set, so the
// evaluation at each epoch's end (every 468 steps) costs < 0.1% of the steps.
std::shared_ptr<const ImageDataset> random_images() {
  static const auto data = [] {
    auto d = std::make_shared<ImageDataset>();
    d->folder = "(random bytes)";
    d->classes = 10;
    Rng rng(7);
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

Experiment network(OptimizerKind kind) {
  Experiment e;
  e.layers = 3;
  e.widths = {256, 256, 10};
  e.input_dim = 784;
  e.batch = 100;  // probe batch (not used here)
  e.activation = Activation::parse("relu");
  e.inits = {InitSpec::parse("kaiming_normal")};
  TrainingConfig t;
  t.epochs = 10000;
  t.batch = kBatch;
  t.optimizer.kind = kind;
  t.optimizer.lr = OptimizerConfig::default_lr(kind) * 0.1;  // random labels: keep it tame
  e.training = t;
  return e;
}

// Multiply-adds of one step: forward Σ B·in·out, backward dW the same again, dA for layers 2..L.
double step_flop() {
  const double fwd = 2.0 * kBatch * (784 * 256 + 256 * 256 + 256 * 10);
  const double back_a = 2.0 * kBatch * (256 * 256 + 256 * 10);
  return 2 * fwd + back_a;
}

// Timed like torch_train.py, so that the two figures compare on a noisy machine: the best of 5
// runs of 200 steps (after 20 warm-up steps), reported per step.
constexpr int kSteps = 200, kReps = 5;

void BM_TrainStep(benchmark::State& state) {
  const auto kind = static_cast<OptimizerKind>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  Trainer trainer(network(kind), random_images());
  trainer.run_steps(20);  // warm up: buffers sized, pages touched
  double best = 1e30;
  for (auto _ : state) {
    for (int r = 0; r < kReps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      trainer.run_steps(kSteps);
      best = std::min(best,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    state.SetIterationTime(best / kSteps);
  }
  omp_set_num_threads(saved);
  state.SetLabel(OptimizerConfig::kind_name(kind) + ", " + std::to_string(threads) + " thread" +
                 (threads > 1 ? "s" : ""));
  state.counters["steps/s"] = kSteps / best;
  state.counters["GFLOP/s"] = kSteps / best * step_flop() / 1e9;
}
BENCHMARK(BM_TrainStep)
    ->ArgsProduct({{static_cast<int>(OptimizerKind::Sgd), static_cast<int>(OptimizerKind::Momentum),
                    static_cast<int>(OptimizerKind::Adam)},
                   {1, 2}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The same step in PyTorch: torch_train.py prints the best of 5 runs of 200 steps (steps/s).
// Arg 1, threads: 0 = PyTorch's defaults (here one thread of its own, while its BLAS, OpenBLAS,
// runs the GEMMs on both cores); 1 = one thread in all (OPENBLAS_NUM_THREADS=1 too), to compare
// with initscope on one thread; 2 = torch.set_num_threads(2) (its OpenMP pool then competes
// with OpenBLAS's threads).
void BM_TorchTrainStep(benchmark::State& state) {
  const auto kind = static_cast<OptimizerKind>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const std::string cmd = bench::torch_command(
      TORCH_SCRIPT, OptimizerConfig::kind_name(kind) + " " + std::to_string(kBatch) + " 200 5",
      threads, /*one_blas_thread=*/threads == 1);
  int torch_threads = 0;
  const double rate = bench::time_torch_steps(state, cmd, torch_threads);
  if (rate < 0) return;
  state.SetLabel(OptimizerConfig::kind_name(kind) + ", " +
                 (threads == 0   ? std::string("PyTorch defaults")
                  : threads == 1 ? std::string("1 thread (OpenBLAS too)")
                                 : "torch threads " + std::to_string(torch_threads)));
  state.counters["GFLOP/s"] = rate * step_flop() / 1e9;
}
BENCHMARK(BM_TorchTrainStep)
    ->ArgsProduct({{static_cast<int>(OptimizerKind::Sgd), static_cast<int>(OptimizerKind::Momentum),
                    static_cast<int>(OptimizerKind::Adam)},
                   {0, 1, 2}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
