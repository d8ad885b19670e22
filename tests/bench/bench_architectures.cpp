// Issue 13's speed goal: an update of the CS231n column (tanh, 10 × 500, B = 1000, one column,
// the `compare` preset's xavier_normal) as a plain stack through the fused forward pass, and with
// LayerNorm and BatchNorm through the block engine — in the same run, so the ratios are fair:
// goal ≤ 15% extra time for LayerNorm, ≤ 25% for BatchNorm over the plain pass. The plain stack
// through the block engine (BlockColumn, norm none) shows how much of the extra is the generic
// engine (Eigen's GEMM, separate φ and statistics passes) rather than the norm itself.
#include <benchmark/benchmark.h>

#include "core/engine/block_stats.h"
#include "core/init/start_weights.h"
#include "core/presets.h"
#include "core/simulation.h"

using namespace initscope;

namespace {

Experiment arch_bench_experiment(NormKind norm) {
  Experiment e = load_preset("compare");  // tanh, 10 × 500, B = 1000
  e.inits = {InitSpec::parse("xavier_normal")};
  e.arch.norm = norm;
  return e;
}

// Simulation::update: the fused pass (norm none) or the block engine (layer, batch).
void BM_ArchitectureUpdate(benchmark::State& state) {
  const NormKind norm = static_cast<NormKind>(state.range(0));
  Simulation sim(arch_bench_experiment(norm));
  sim.update();  // warm up: buffers allocated, histogram ranges chosen
  for (auto _ : state) {
    sim.reset_stats();
    sim.update();
  }
  state.SetLabel(norm_name(norm));
}
BENCHMARK(BM_ArchitectureUpdate)
    ->Arg(static_cast<int>(NormKind::None))
    ->Arg(static_cast<int>(NormKind::Layer))
    ->Arg(static_cast<int>(NormKind::Batch))
    ->Arg(static_cast<int>(NormKind::Rms))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The block engine alone (BlockColumn::update on a fixed batch, no input drawing), norm none
// (the plain stack, generic path), layer and batch.
void BM_BlockEngineUpdate(benchmark::State& state) {
  const NormKind norm = static_cast<NormKind>(state.range(0));
  const Experiment e = arch_bench_experiment(norm);
  std::vector<StartWeights> start = draw_start_weights(e);
  Architecture arch;
  arch.norm = norm;
  BlockColumn column(arch, e.activation, std::move(start[0].w), {});
  Simulation sim(arch_bench_experiment(NormKind::Layer));  // only for its batch
  sim.update();
  BlockUpdate u;
  u.x = &sim.batch();
  u.bins = e.bins;
  BlockScratch scratch;
  std::vector<LayerAccumulators> acc(static_cast<size_t>(e.layers));
  double loss = 0;
  column.update(u, scratch, acc, loss);
  for (auto _ : state) {
    for (LayerAccumulators& a : acc) a.reset();
    column.update(u, scratch, acc, loss);
  }
  state.SetLabel(std::string(norm_name(norm)) + " (block engine)");
}
BENCHMARK(BM_BlockEngineUpdate)
    ->Arg(static_cast<int>(NormKind::None))
    ->Arg(static_cast<int>(NormKind::Layer))
    ->Arg(static_cast<int>(NormKind::Batch))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
