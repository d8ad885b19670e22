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

}  // namespace initscope
