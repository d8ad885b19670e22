#include "experiment_worker.h"

#include <omp.h>

#include <algorithm>

namespace initscope {
namespace {

int worker_compute_threads(int requested) {
  if (requested > 0) return requested;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

}  // namespace

ExperimentWorker::ExperimentWorker(Experiment e, bool playing, int compute_threads)
    : pending_(std::make_unique<Experiment>(std::move(e))),
      playing_(playing),
      compute_threads_(worker_compute_threads(compute_threads)) {}

ExperimentWorker::~ExperimentWorker() {
  stop();
}

void ExperimentWorker::start(std::function<void()> loop) {
  thread_ = std::thread([this, loop = std::move(loop)] {
    omp_set_num_threads(compute_threads_);  // this thread's parallel regions (Eigen's too)
    loop();
  });
}

void ExperimentWorker::stop() {
  quit_.store(true);
  cancel_.store(true);
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ExperimentWorker::set_experiment(Experiment e) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = std::make_unique<Experiment>(std::move(e));
  }
  cancel_.store(true);
  cv_.notify_all();
}

std::unique_ptr<Experiment> ExperimentWorker::take_request() {
  cancel_.store(false);
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(pending_);
}

}  // namespace initscope
