// Issue 15's speed goals for the CLI and sweeps:
//  - `stats --preset compare` as a whole process against its warm update (goal: ≤ update +
//    50 ms), with the in-process parts that make up the difference (building the simulation:
//    weights, theory; the first update's first touch of its buffers);
//  - a sweep of 400 points (tanh, depth 50, width 500, batch 200) against its GEMM floor at the
//    machine's measured FMA peak (goal: ≤ 1.5×).
#include <benchmark/benchmark.h>
#include <omp.h>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/engine/backprop.h"
#include "core/init/start_weights.h"
#include "core/presets.h"
#include "core/simulation.h"
#include "core/sweeps/sweep_grid.h"
#include "core/sweeps/sweep_run.h"
#include "core/theory/correlation_map.h"
#include "core/theory/mean_field.h"
#include "fma_peak.h"

using namespace initscope;

namespace {

using SweepClock = std::chrono::steady_clock;

double sweep_bench_seconds(SweepClock::time_point t0) {
  return std::chrono::duration<double>(SweepClock::now() - t0).count();
}

double sweep_process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

SimulationOutputs stats_outputs() {  // what `initscope stats` computes (run_cli.cpp)
  SimulationOutputs o;
  o.signal_theory = o.pair_correlation = false;
  return o;
}

void BM_StatsProcess(benchmark::State& state) {
  const std::string cmd =
      std::string(INITSCOPE_BIN) + " stats --preset compare --format json >/dev/null 2>&1";
  for (auto _ : state) {
    const auto t0 = SweepClock::now();
    if (std::system(cmd.c_str()) != 0) {
      state.SkipWithError("`initscope stats` failed");
      return;
    }
    state.SetIterationTime(sweep_bench_seconds(t0));
  }
}
// Single runs, eleven of each, reported as mean and median (bench_window.cpp's BM_ExportProcess).
BENCHMARK(BM_StatsProcess)
    ->Iterations(1)
    ->Repetitions(11)
    ->ReportAggregatesOnly(true)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The parts of the `stats` process, in-process: the simulation's construction, its first update
// (the command's only one) and a second, warm one (the "update time" of the goal).
void BM_StatsParts(benchmark::State& state) {
  const Experiment e = load_preset("compare");
  double build = 0, first = 0, warm = 0, weights = 0, theory = 0, theory_signal = 0;
  double pairs = 0, pair_theory = 0;
  for (auto _ : state) {
    auto t0 = SweepClock::now();
    benchmark::DoNotOptimize(draw_start_weights(e, nullptr).size());
    weights += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    for (const InitSpec& spec : e.inits) benchmark::DoNotOptimize(predict(e, spec, false).layers);
    theory += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    for (const InitSpec& spec : e.inits) benchmark::DoNotOptimize(predict(e, spec, true).layers);
    theory_signal += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    Simulation sim(e, nullptr, stats_outputs());
    build += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    sim.update();
    first += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    sim.update();
    warm += sweep_bench_seconds(t0);
    // The depth profiles' pair line (SimulationOutputs' default: 16 pairs per column, once per
    // weight draw): the measurement, and the c-map's c^l per layer.
    t0 = SweepClock::now();
    for (size_t c = 0; c < e.inits.size(); ++c)
      benchmark::DoNotOptimize(sim.pair_profile(c, 0.5, SimulationOutputs{}.pairs).c);
    pairs += sweep_bench_seconds(t0);
    t0 = SweepClock::now();
    for (const InitSpec& spec : e.inits)
      benchmark::DoNotOptimize(
          predicted_pair_correlation(e, spec, predict(e, spec, false), 0.5).size());
    pair_theory += sweep_bench_seconds(t0);
  }
  const double n = static_cast<double>(state.iterations()) / 1e3;
  state.counters["draw_weights_ms"] = weights / n;
  state.counters["theory_ms"] = theory / n;
  state.counters["theory_with_signal_ms"] = theory_signal / n;
  state.counters["build_ms"] = build / n;
  state.counters["first_update_ms"] = first / n;
  state.counters["warm_update_ms"] = warm / n;
  state.counters["pairs_measured_ms"] = pairs / n;
  state.counters["pair_theory_ms"] = pair_theory / n;
}
BENCHMARK(BM_StatsParts)
    ->Iterations(1)
    ->Repetitions(11)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond);

// Arg: points (400 for the goal). σ_w² from 1 in steps of 0.01, σ_b² = 0.05, tanh 50 × 500,
// batch 200, one seed: every point has the same shape. Its GEMM floor: per point the forward
// pass (B·Σ fan_in·fan_out multiply-adds), the backward pass's dL/dW and dL/dA (twice that; layer
// 1 has no dL/dA) and the pair forward pass (⌊B/2⌋ pairs = B rows), at the FMA peak measured in
// the same run: x_floor in wall-clock time, x_floor_cpu in the process's CPU time against the
// peak per CPU second (the shared VM's other processes move the first, not the second).
void BM_SweepFloor(benchmark::State& state) {
  const int points = static_cast<int>(state.range(0));
  Experiment base;
  base.activation = Activation::parse("tanh");
  base.layers = 50;
  base.widths = {500};
  base.batch = 200;
  base.bias = InitSpec::parse("normal:std=0.2236068", "--bias");  // σ_b² = 0.05
  base.inits = {InitSpec::parse("xavier_normal")};
  std::string values;
  for (int i = 0; i < points; ++i) {
    if (i > 0) values += ',';
    values += std::to_string(1 + 0.01 * i);
  }
  const SweepGrid grid = SweepGrid::make(base, {"sigma_w2=" + values}, 1, 0.5, 0);
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / "initscope-bench-sweep.csv";
  SweepRunOptions opt;
  opt.out = out.string();
  opt.force = true;
  const double peak = bench::measured_fma_peak_gflops();
  double fma = 0;
  for (int l = 1; l <= base.layers; ++l) {
    const double layer = double(base.batch) * base.fan_in(l) * base.width(l);
    fma += layer * (l == 1 ? 3 : 4);  // forward, pairs, dL/dW (and dL/dA above layer 1)
  }
  const double floor_s = 2 * fma * points / (peak * 1e9);
  // The same in CPU time: the process's CPU seconds against the floor at the peak per CPU
  // second (fma_peak.h), which other processes on the shared VM do not move.
  const double peak_cpu = bench::measured_fma_peak_cpu_gflops();
  const double floor_cpu_s = 2 * fma * points / (peak_cpu * 1e9) * omp_get_max_threads();
  for (auto _ : state) {
    const auto t0 = SweepClock::now();
    const double cpu0 = sweep_process_cpu_seconds();
    run_sweep(grid, opt);
    const double s = sweep_bench_seconds(t0);
    const double cpu = sweep_process_cpu_seconds() - cpu0;
    state.SetIterationTime(s);
    state.counters["floor_s"] = floor_s;
    state.counters["x_floor"] = s / floor_s;
    state.counters["cpu_s"] = cpu;
    state.counters["floor_cpu_s"] = floor_cpu_s;
    state.counters["x_floor_cpu"] = cpu / floor_cpu_s;
  }
  state.counters["fma_peak_GFLOP/s"] = peak;
  state.counters["fma_peak_cpu_GFLOP/s"] = peak_cpu;
  std::filesystem::remove(out);
}
BENCHMARK(BM_SweepFloor)
    ->Arg(40)
    ->Arg(400)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

// A sweep point's two backward products of one layer (dW = A_prevᵀ·dZ, dA_prev = dZ·Wᵀ; 500 ×
// 500, batch 200) on one thread, as a sweep row runs them: Arg 0 Eigen's products (before
// issue 15), Arg 1 the packed kernel (engine/packed_product.h). Counters: GFLOP/s and one
// core's FMA peak in the same run (fma_peak.h's measure over the pool, divided by its threads).
void BM_BackwardProducts(benchmark::State& state) {
  const bool packed = state.range(0) == 1;
  const int batch = 200, in = 500, out = 500;
  const Eigen::MatrixXf a_prev = Eigen::MatrixXf::Random(batch, in);
  const Eigen::MatrixXf d_z = Eigen::MatrixXf::Random(batch, out);
  const Eigen::MatrixXf w = Eigen::MatrixXf::Random(in, out);
  Eigen::MatrixXf d_w(in, out), d_a_prev(batch, in);
  gemm::ProductScratch scratch;
  const int pool = omp_get_max_threads();
  const double core_peak = bench::measured_fma_peak_gflops() / pool;
  omp_set_num_threads(1);
  for (auto _ : state) {
    if (packed) {
      gemm::product(gemm::transposed_view_of(a_prev), gemm::view_of(d_z), gemm::result_view_of(d_w),
                    scratch, 1);
      gemm::product(gemm::view_of(w), gemm::transposed_view_of(d_z),
                    gemm::transposed_result_view_of(d_a_prev), scratch, 1);
    } else {
      d_w.noalias() = a_prev.transpose() * d_z;
      d_a_prev.noalias() = d_z * w.transpose();
    }
    benchmark::DoNotOptimize(d_w.data());
    benchmark::DoNotOptimize(d_a_prev.data());
  }
  omp_set_num_threads(pool);
  const double flop = 2.0 * 2 * batch * in * out;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flop, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["core_peak_GFLOP/s"] = core_peak;
  state.SetLabel(packed ? "packed kernel" : "Eigen");
}
BENCHMARK(BM_BackwardProducts)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
