// Update time for the CS231n config (10×500, B=1000, tanh) with 1 and 4 columns, GEMM GFLOP/s
// (initscope's kernel and Eigen's) against the measured FMA peak, the statistics as a share of
// the GEMM time, and the same 4-column update in numpy.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/engine/forward_pass.h"
#include "core/engine/packed_gemm.h"
#include "core/engine/simd.h"
#include "core/engine/stats_accumulator.h"
#include "core/heap_pages.h"
#include "core/presets.h"
#include "core/rng.h"
#include "core/simulation.h"
#include "fma_peak.h"

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

// The CS231n layer and its operands: A (1000 × 500, N(0, 1)), W (500 × 500, Xavier-sized).
struct Cs231nLayer {
  Eigen::MatrixXf a{1000, 500}, w{500, 500};
  Cs231nLayer() {
    Rng rng(1);
    for (int i = 0; i < a.size(); ++i) a(i) = static_cast<float>(rng.normal());
    for (int i = 0; i < w.size(); ++i) w(i) = static_cast<float>(0.045 * rng.normal());
  }
};
constexpr double kLayerFlop = 2.0 * 1000 * 500 * 500;

// Eigen 3.4's GEMM (what initscope used before its own kernel), for reference.
void BM_GemmEigen(benchmark::State& state) {
  Cs231nLayer m;
  Eigen::MatrixXf z(1000, 500);
  for (auto _ : state) {
    z.noalias() = m.a * m.w;
    benchmark::DoNotOptimize(z.data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(kLayerFlop, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GemmEigen)->Unit(benchmark::kMillisecond)->UseRealTime();

// `layers` layers of Z = A·W (+ φ when `act`) through the packed kernel, every thread on its own
// row panels — the forward pass without its statistics: the baseline they are measured against.
void bare_forward(const gemm::PanelMatrix& x, const std::vector<gemm::PackedWeights>& w,
                  const Activation* act, gemm::PanelMatrix& z, gemm::PanelMatrix (&a)[2]) {
#pragma omp parallel
  {
    const int nt = omp_get_num_threads(), id = omp_get_thread_num();
    const int q0 = x.panels() * id / nt, q1 = x.panels() * (id + 1) / nt;
    for (size_t l = 0; l < w.size(); ++l) {
      const gemm::PanelMatrix& in = l == 0 ? x : a[(l + 1) % 2];
      for (int q = q0; q < q1; ++q) {
        for (int p = 0; p < w[l].panels(); ++p) {
          gemm::tile_product(w[l].rows(), in.panel(q), w[l].panel(p), w[l].bias(p), z.tile(q, p),
                             {});
          if (act) act->apply(z.tile(q, p), a[l % 2].tile(q, p), gemm::kTileSize);
        }
      }
    }
  }
}

struct PackedForward {
  gemm::PanelMatrix x, z, a[2];
  std::vector<gemm::PackedWeights> w;
  explicit PackedForward(int layers) {
    Cs231nLayer m;
    for (int l = 0; l < layers; ++l) w.emplace_back(m.w, nullptr);
    for (gemm::PanelMatrix* p : {&x, &z, &a[0], &a[1]}) p->reshape(1000, 500);
    x.pack_rows(m.a, 0, x.panels());
  }
};

// initscope's GEMM: the packed AVX-512 (or AVX2) kernel on both cores.
void BM_GemmPacked(benchmark::State& state) {
  PackedForward f(1);
  for (auto _ : state) {
    bare_forward(f.x, f.w, nullptr, f.z, f.a);
    benchmark::DoNotOptimize(f.z.panel(0));
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(kLayerFlop, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GemmPacked)->Unit(benchmark::kMillisecond)->UseRealTime();

// The machine's fp32 FMA peak, measured (fma_peak.h): GEMM GFLOP/s is judged against this
// number, not a data-sheet one (these virtual machines run below their nominal clock).
void BM_FmaPeak(benchmark::State& state) {
  int threads = 1;
  for (auto _ : state) threads = bench::fma_peak_round();
  state.counters["threads"] = threads;
  state.counters["GFLOP/s"] = benchmark::Counter(bench::fma_round_flop(threads),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FmaPeak)->Unit(benchmark::kMillisecond)->UseRealTime();

// What the statistics add to the forward pass: 10 CS231n layers (tanh) through the fused
// ForwardPass (GEMM + φ + every statistic of Z and A) against the same layers through the bare
// kernel + φ, in alternation in one run; stats_share = (fused − bare) / (bare GEMM alone).
// Arg: threads — 1 as each column runs in a multi-column update, 2 with the rows split.
void BM_StatisticsShare(benchmark::State& state) {
  constexpr int kLayers = 10;
  const int threads = static_cast<int>(state.range(0));
  const int saved_threads = omp_get_max_threads();
  omp_set_num_threads(threads);
  PackedForward f(kLayers);
  Cs231nLayer m;
  Activation tanh_act;  // tanh
  ForwardPass pass;
  std::vector<StatsAccumulator> pre(kLayers), act(kLayers);
  std::vector<Range> pre_range(kLayers, Range{0, 0}), act_range(kLayers, Range{0, 0});
  std::vector<LayerSink> sinks;
  for (int l = 0; l < kLayers; ++l)
    sinks.push_back({&pre[l], &act[l], &pre_range[l], &act_range[l]});
  auto fused = [&] {
    for (int l = 0; l < kLayers; ++l) pre[l] = act[l] = StatsAccumulator{};
    pass.run(m.a, f.w, tanh_act, 100, sinks);
  };
  fused();  // histogram ranges chosen, as in a running simulation
  double gemm_s = 0, bare_s = 0, fused_s = 0;
  auto seconds = [](auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  for (auto _ : state) {
    gemm_s += seconds([&] { bare_forward(f.x, f.w, nullptr, f.z, f.a); });
    bare_s += seconds([&] { bare_forward(f.x, f.w, &tanh_act, f.z, f.a); });
    fused_s += seconds(fused);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["gemm_ms"] = gemm_s / n * 1e3;
  state.counters["gemm_tanh_ms"] = bare_s / n * 1e3;
  state.counters["fused_ms"] = fused_s / n * 1e3;
  state.counters["stats_share"] = (fused_s - bare_s) / gemm_s;
  omp_set_num_threads(saved_threads);
}
BENCHMARK(BM_StatisticsShare)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The standalone statistics pass (the gradients' and training probes' path): one layer's
// pre-activations and activations, 2 × 500k values, 100 bins.
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

// The heap as initscope's main() sets it (core/heap_pages.h): in-process benchmarks time what
// the command and the window run.
int main(int argc, char** argv) {
  initscope::use_huge_page_heap();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
