#pragma once
// The machine's fp32 FMA peak, measured (BM_FmaPeak in bench_update.cpp, and the GEMM floors of
// bench_sweep.cpp): every core runs 12 independent chains of a = a·b + c on the build's widest
// vectors (16 floats with AVX-512; enough chains to cover the FMA latency on both pipes).
// GCC's vector extension becomes vfmadd*ps with -march=native (FMA), mul + add without.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <chrono>

#include "core/engine/simd.h"

namespace initscope::bench {

inline constexpr int kFmaChains = 12, kFmaSteps = 1 << 20;

// One round on every thread of the OpenMP pool; returns the number of threads.
inline int fma_peak_round() {
  using simd::FloatVec;
  int threads = 1;
#pragma omp parallel
  {
#pragma omp single
    threads = omp_get_num_threads();
    FloatVec acc[kFmaChains];
    const FloatVec b = simd::splat(0.9999f), c = simd::splat(1e-4f);
    for (int k = 0; k < kFmaChains; ++k) acc[k] = c * static_cast<float>(k + 1);
    for (int i = 0; i < kFmaSteps; ++i) {
      for (int k = 0; k < kFmaChains; ++k) acc[k] = acc[k] * b + c;
    }
    float sum = 0;
    for (int k = 0; k < kFmaChains; ++k) sum += acc[k][0];
    benchmark::DoNotOptimize(sum);
  }
  return threads;
}

inline double fma_round_flop(int threads) {
  return 2.0 * simd::kWidth * kFmaChains * kFmaSteps * threads;
}

// GFLOP/s: the best of `rounds` rounds (the VM is shared: the best is the machine's).
inline double measured_fma_peak_gflops(int rounds = 5) {
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const int threads = fma_peak_round();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, fma_round_flop(threads) / s / 1e9);
  }
  return best;
}

}  // namespace initscope::bench
