#include "experiment_worker.h"

#include <omp.h>

#include <algorithm>
#include <chrono>

namespace initscope {
namespace {

int worker_compute_threads(int requested) {
  if (requested > 0) return requested;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

}  // namespace

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

ExperimentWorker::ExperimentWorker(Experiment e, bool playing, int compute_threads,
                                   StageHook before_stage)
    : pending_(std::make_unique<Experiment>(std::move(e))),
      playing_(playing),
      compute_threads_(worker_compute_threads(compute_threads)),
      before_stage_(std::move(before_stage)) {}

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

void ExperimentWorker::rest_after_failure() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return quit_.load() || pending_; });
}

std::unique_ptr<Experiment> ExperimentWorker::take_request() {
  cancel_.store(false);
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(pending_);
}

}  // namespace initscope
