#include "experiment_worker.h"

#include <omp.h>

#include <algorithm>

namespace initscope {
int worker_compute_threads(int requested) {
  if (requested > 0) return requested;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

std::thread start_worker_thread(int compute_threads, std::function<void()> loop) {
  return std::thread([compute_threads, loop = std::move(loop)] {
    omp_set_num_threads(compute_threads);  // this thread's parallel regions (Eigen's too)
    loop();
  });
}

std::string failure_message(WorkerStage stage, const std::string& what) {
  switch (stage) {
    case WorkerStage::Build:
      return what;
    case WorkerStage::Reseed:
      return "drawing new weights failed: " + what;
    case WorkerStage::Update:
      return "the update failed: " + what;
    case WorkerStage::TrainSteps:
      return "the training step failed: " + what;
  }
  return what;
}

}  // namespace initscope
