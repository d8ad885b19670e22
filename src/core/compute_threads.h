#pragma once
// How many OpenMP threads a worker (LiveRunner, TrainingRunner) computes with.
#include <algorithm>
#include <thread>

namespace initscope {

// `requested` if positive; otherwise all cores but one, at least 1 — the UI thread keeps a core
// (on the usual 2-core machine the worker gets one, and the window stays at its frame rate).
inline int worker_compute_threads(int requested) {
  if (requested > 0) return requested;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

}  // namespace initscope
