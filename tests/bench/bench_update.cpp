// Update time for the CS231n config (10×500, B=1000, tanh) with 1 and 4 columns, GEMM GFLOP/s,
// the statistics pass as a share of the GEMM time, and the same 4-column update in numpy.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <Eigen/Core>
#include <cstdio>
#include <string>

#include "core/presets.h"
#include "core/rng.h"
#include "core/simulation.h"
#include "core/stats_accumulator.h"

using namespace initscope;

namespace {

// Runs numpy_update.py with `args`; the script times itself (best ms of its repetitions, imports
// and set-up excluded) and prints that one number.
void time_numpy_script(benchmark::State& state, const std::string& args) {
  const std::string cmd =
      std::string("/usr/bin/python3 ") + NUMPY_SCRIPT + " " + args + " 2>/dev/null";
  for (auto _ : state) {
    FILE* p = popen(cmd.c_str(), "r");
    double ms = -1;
    if (p == nullptr || std::fscanf(p, "%lf", &ms) != 1) {
      if (p) pclose(p);
      state.SkipWithError("python3 with numpy is not available (apt-get install python3-numpy)");
      return;
    }
    pclose(p);
    state.SetIterationTime(ms / 1e3);
  }
}

Experiment cs231n(int columns) {
  Experiment e = load_preset("compare");  // tanh, 10 × 500, B = 1000
  e.inits.resize(static_cast<size_t>(columns));
  return e;
}

void BM_Update(benchmark::State& state) {
  Simulation sim(cs231n(static_cast<int>(state.range(0))));
  sim.update();  // warm up: buffers allocated, histogram ranges chosen
  for (auto _ : state) {
    sim.reset_stats();
    sim.update();
  }
  // GEMM work: 2·B·500·500 per layer, 10 layers, per column.
  const double flop = 2.0 * 1000 * 500 * 500 * 10 * static_cast<double>(state.range(0));
  state.counters["GFLOP/s"] =
      benchmark::Counter(flop, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Update)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime();

// Forward + backward (sum loss) + activation- and weight-gradient statistics, one column: the
// GEMM work triples (Z = A·W, dW = Aᵀ·dZ, dA = dZ·Wᵀ per layer; layer 1 needs no dA).
void BM_UpdateWithGradients(benchmark::State& state) {
  Experiment e = cs231n(1);
  e.gradients = true;
  Simulation sim(e);
  sim.update();
  for (auto _ : state) {
    sim.reset_stats();
    sim.update();
  }
  const double gemm = 2.0 * 1000 * 500 * 500;
  state.counters["GFLOP/s"] =
      benchmark::Counter(gemm * (10 + 10 + 9), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_UpdateWithGradients)->Unit(benchmark::kMillisecond)->UseRealTime();

// numpy doing the same forward + backward + gradient statistics.
void BM_NumpyUpdateWithGradients(benchmark::State& state) {
  time_numpy_script(state, "1 5 grad");
}
BENCHMARK(BM_NumpyUpdateWithGradients)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_Gemm(benchmark::State& state) {
  Rng rng(1);
  Eigen::MatrixXf a(1000, 500), w(500, 500), z(1000, 500);
  for (int i = 0; i < a.size(); ++i) a(i) = static_cast<float>(rng.normal());
  for (int i = 0; i < w.size(); ++i) w(i) = static_cast<float>(rng.normal());
  for (auto _ : state) {
    z.noalias() = a * w;
    benchmark::DoNotOptimize(z.data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * 1000 * 500 * 500, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Gemm)->Unit(benchmark::kMillisecond)->UseRealTime();

// The machine's fp32 FMA peak, measured: every core runs 12 independent chains of 8-wide
// a = a·b + c (enough chains to cover the FMA latency on both pipes). GEMM GFLOP/s is judged
// against this number, not a data-sheet one (these virtual machines run below their nominal
// clock). GCC's vector extension becomes vfmadd*ps with -march=native (FMA), mul + add without.
void BM_FmaPeak(benchmark::State& state) {
  typedef float v8 __attribute__((vector_size(32)));
  constexpr int kChains = 12, kSteps = 1 << 20;
  int threads = 1;
  for (auto _ : state) {
#pragma omp parallel
    {
#pragma omp single
      threads = omp_get_num_threads();
      v8 acc[kChains];
      const v8 b = {0.9999f, 0.9999f, 0.9999f, 0.9999f, 0.9999f, 0.9999f, 0.9999f, 0.9999f};
      const v8 c = {1e-4f, 1e-4f, 1e-4f, 1e-4f, 1e-4f, 1e-4f, 1e-4f, 1e-4f};
      for (int k = 0; k < kChains; ++k) acc[k] = c * static_cast<float>(k + 1);
      for (int i = 0; i < kSteps; ++i) {
        for (int k = 0; k < kChains; ++k) acc[k] = acc[k] * b + c;
      }
      float sum = 0;
      for (int k = 0; k < kChains; ++k) sum += acc[k][0];
      benchmark::DoNotOptimize(sum);
    }
  }
  state.counters["threads"] = threads;
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * 8 * kChains * kSteps * threads,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FmaPeak)->Unit(benchmark::kMillisecond)->UseRealTime();

// The statistics of one layer: pre-activations and activations, 2 × 500k values, 100 bins.
void BM_LayerStats(benchmark::State& state) {
  Rng rng(2);
  Eigen::MatrixXf z(1000, 500), a(1000, 500);
  for (int i = 0; i < z.size(); ++i) z(i) = static_cast<float>(0.2 * rng.normal());
  a = z.array().tanh();
  for (auto _ : state) {
    StatsAccumulator pre(-1, 1, 100, SaturationRule::None), act(-1, 1, 100, SaturationRule::Tanh);
    double mn, mx;
    finite_extremes(z.data(), static_cast<size_t>(z.size()), mn, mx);
    pre.add(z.data(), static_cast<size_t>(z.size()));
    act.add(a.data(), static_cast<size_t>(a.size()));
    benchmark::DoNotOptimize(act.result().mean);
  }
  state.counters["ns/value"] = benchmark::Counter(
      2.0 * 500000, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LayerStats)->Unit(benchmark::kMicrosecond)->UseRealTime();

// numpy doing the same 4-column update (Debian's python3-numpy), timed by the script itself.
void BM_NumpyUpdate(benchmark::State& state) {
  time_numpy_script(state, std::to_string(state.range(0)) + " 5");
}
BENCHMARK(BM_NumpyUpdate)
    ->Arg(1)
    ->Arg(4)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
