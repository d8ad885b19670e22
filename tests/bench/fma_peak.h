#pragma once
// The machine's fp32 FMA peak, measured (BM_FmaPeak in bench_update.cpp, and the GEMM floors of
// bench_sweep.cpp): every core runs 12 independent chains of a = a·b + c on the build's widest
// vectors (16 floats with AVX-512; enough chains to cover the FMA latency on both pipes).
// GCC's vector extension becomes vfmadd*ps with -march=native (FMA), mul + add without.
#include <benchmark/benchmark.h>
#include <omp.h>
#include <time.h>

#include <algorithm>
#include <chrono>

#include "core/engine/simd.h"

namespace initscope::bench {

inline constexpr int kFmaChains = 12, kFmaSteps = 1 << 20;

// One thread's round: kFmaChains chains of kFmaSteps steps.
inline void fma_round_on_this_thread() {
  using simd::FloatVec;
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

// One round on every thread of the OpenMP pool; returns the number of threads.
inline int fma_peak_round() {
  int threads = 1;
#pragma omp parallel
  {
#pragma omp single
    threads = omp_get_num_threads();
    fma_round_on_this_thread();
  }
  return threads;
}

inline double fma_round_flop(int threads) {
  return 2.0 * simd::kWidth * kFmaChains * kFmaSteps * threads;
}

// GFLOP/s per second of CPU time, summed over the pool's threads: each thread's round against
// its own CPU clock, the best of `rounds`. On the shared VM a wall-clock peak read 22–61 GFLOP/s
// within minutes (other processes hold the cores), this one stays near the cores' own speed;
// it is the floor's measure for a run's CPU time (BM_SweepFloor's x_floor_cpu).
inline double measured_fma_peak_cpu_gflops(int rounds = 5) {
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
      timespec t0{}, t1{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
      fma_round_on_this_thread();
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
      const double s = double(t1.tv_sec - t0.tv_sec) + 1e-9 * double(t1.tv_nsec - t0.tv_nsec);
      sum += fma_round_flop(1) / s / 1e9;
    }
    best = std::max(best, sum);
  }
  return best;
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
