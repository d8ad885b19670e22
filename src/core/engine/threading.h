#pragma once
// How many threads a piece of work gets. An OpenMP region costs microseconds while the other
// core is idle, and up to milliseconds while it is busy: a worker spinning at a barrier waits
// for a core another process holds. Measured on the 2-core EPYC with the other core busy: a
// 3 × 16 net (batch 64) took 2.0 ms per update on two threads, 0.18 ms on one. Below
// kSerialWork (≈ 1 ms of one core's arithmetic and statistics) work runs on one thread — no
// region, nothing spins — so sweeps of thousands of small networks pay nothing for threads.
#include <omp.h>

#include <cstdint>

namespace initscope {

// Multiply-adds plus values visited (the unit of `work` below).
inline constexpr int64_t kSerialWork = int64_t{1} << 22;

// 1 below kSerialWork, else the OpenMP pool's size.
inline int threads_for_work(int64_t work) {
  return work < kSerialWork ? 1 : omp_get_max_threads();
}

// Creates the calling thread's OpenMP team now (libgomp keeps one per thread that starts
// regions). `export` calls it on its worker before the main thread loads Mesa: creating a thread
// waits for the dynamic loader's lock, which dlopen holds for tens of milliseconds, and the
// worker's first region otherwise began only after the driver had loaded (perf: ≈ 45 ms of one
// thread alone at the start of `export --preset compare`).
inline void start_thread_team() {
#pragma omp parallel
  {}
}

}  // namespace initscope
