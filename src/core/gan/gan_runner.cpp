#include "gan_runner.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "gan_trainer.h"

namespace initscope {

GanRunner::GanRunner(GanConfig config, bool playing, int compute_threads, int burst_steps,
                     GanTrainerSetup setup, StageHook before_stage)
    : RequestWorker<GanConfig>(std::move(config), playing, compute_threads,
                               std::move(before_stage)),
      burst_steps_(std::max(1, burst_steps)),
      setup_(std::move(setup)) {
  start([this] { loop(); });
}

GanRunner::~GanRunner() {
  stop();
}

void GanRunner::set_playing(bool playing) {
  playing_.store(playing);
  if (!playing) cancel_.store(true);
  cv_.notify_all();
}

void GanRunner::step_once() {
  if (playing_.load()) return;
  step_request_.store(true);
  cv_.notify_all();
}

void GanRunner::set_burst_steps(int steps) {
  burst_steps_.store(std::max(1, steps));
}

std::shared_ptr<const GanSnapshot> GanRunner::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

TrainingStatus GanRunner::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::shared_ptr<const GanSnapshot> GanRunner::wait_for_snapshot(uint64_t step,
                                                                double timeout_s) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return quit_.load() || (latest_ && (latest_->step >= step || latest_->finished));
  });
  return latest_;
}

void GanRunner::publish(std::shared_ptr<const GanSnapshot> s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.step = s->step;
    status_.total_steps = s->total_steps;
    status_.epoch = s->epoch;
    status_.steps_per_s = s->steps_per_s;
    ++status_.published;
    latest_ = std::move(s);
  }
  cv_.notify_all();
}

void GanRunner::set_phase(TrainingPhase phase) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.phase = phase;
}

// A new config replaces the trainer once it is ready (data read, networks drawn); until then,
// and for good when it is refused, the previous trainer runs on.
void GanRunner::take_config(std::unique_ptr<GanTrainer>& trainer, const GanConfig& next) {
  begin_stage(WorkerStage::Build);
  next.validate();
  std::shared_ptr<const ImageDataset> data = data_;
  const std::string folder = next.resolved_data();
  if (!data || data->folder != folder) {
    set_phase(TrainingPhase::Loading);
    data = std::make_shared<const ImageDataset>(load_image_dataset(folder));
  }
  data_ = data;
  set_phase(TrainingPhase::Preparing);
  auto built = build_or_requeue(next, [&](const GanConfig& c) {
    auto t = std::make_unique<GanTrainer>(c, data);
    if (setup_) setup_(*t, &cancel_);
    return t;
  });
  auto first = std::make_shared<const GanSnapshot>(built->snapshot(true));
  trainer = std::move(built);
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error.clear();
  }
  publish(std::move(first));
}

// Nothing to train: wait for a request; a step request with nothing to step is dropped.
void GanRunner::wait_for_work(const GanTrainer* trainer) {
  const bool can_train = trainer && !trainer->finished();
  if (!can_train) step_request_.store(false);
  if (trainer) set_phase(trainer->finished() ? TrainingPhase::Finished : TrainingPhase::Paused);
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
    return quit_.load() || pending_ || step_request_.load() || (playing_.load() && can_train);
  });
}

// A burst of G steps, then a snapshot (also of a burst cut short by a pause); a requested single
// burst is ended early only by a new config or quitting (as TrainingRunner::run_burst).
void GanRunner::run_burst(GanTrainer& trainer, bool one_burst) {
  if (one_burst) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pending_) cancel_.store(false);
    if (quit_.load()) cancel_.store(true);
  }
  set_phase(TrainingPhase::Training);
  begin_stage(WorkerStage::TrainSteps);
  const int done = trainer.run_steps(burst_steps_.load(), &cancel_);
  bool superseded;
  {
    std::lock_guard<std::mutex> lock(mu_);
    superseded = pending_ != nullptr;
  }
  if (done > 0 && !superseded && !quit_.load())
    publish(std::make_shared<const GanSnapshot>(trainer.snapshot(true)));
}

void GanRunner::fail(WorkerStage stage, const std::string& what, bool have_trainer) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error = failure_message(stage, what);
    if (!have_trainer) status_.phase = TrainingPhase::Error;
  }
  cv_.notify_all();
  if (stage != WorkerStage::Build) rest_after_failure();
}

// The worker thread. No exception leaves it: each pass catches what its stages throw.
void GanRunner::loop() {
  std::unique_ptr<GanTrainer> trainer;
  while (!quit_.load()) {
    WorkerStage stage = WorkerStage::Build;
    try {
      if (std::unique_ptr<GanConfig> next = take_request()) take_config(trainer, *next);
      const bool can_train = trainer && !trainer->finished();
      const bool one_burst = can_train && !playing_.load() && step_request_.exchange(false);
      if (!can_train || (!playing_.load() && !one_burst)) {
        wait_for_work(trainer.get());
        continue;
      }
      stage = WorkerStage::TrainSteps;
      run_burst(*trainer, one_burst);
    } catch (const Cancelled&) {
      // A newer request is waiting (or the worker is stopping).
    } catch (const std::exception& ex) {
      fail(stage, ex.what(), trainer != nullptr);
    } catch (...) {
      fail(stage, "unknown exception", trainer != nullptr);
    }
  }
}

}  // namespace initscope
