#include "training_runner.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "trainer.h"

namespace initscope {

const char* training_phase_name(TrainingPhase phase) {
  switch (phase) {
    case TrainingPhase::Loading:
      return "loading";
    case TrainingPhase::Preparing:
      return "preparing";
    case TrainingPhase::Training:
      return "training";
    case TrainingPhase::Paused:
      return "paused";
    case TrainingPhase::Finished:
      return "finished";
    case TrainingPhase::Error:
      return "error";
  }
  return "";
}

TrainingRunner::TrainingRunner(Experiment e, bool playing, int compute_threads, int burst_steps,
                               StageHook before_stage)
    : ExperimentWorker(std::move(e), playing, compute_threads, std::move(before_stage)),
      burst_steps_(std::max(1, burst_steps)) {
  start([this] { loop(); });
}

TrainingRunner::~TrainingRunner() {
  stop();
}

void TrainingRunner::set_playing(bool playing) {
  playing_.store(playing);
  if (!playing) cancel_.store(true);
  cv_.notify_all();
}

void TrainingRunner::step_once() {
  if (playing_.load()) return;
  step_request_.store(true);
  cv_.notify_all();
}

void TrainingRunner::set_burst_steps(int steps) {
  burst_steps_.store(std::max(1, steps));
}

std::shared_ptr<const TrainingSnapshot> TrainingRunner::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

TrainingStatus TrainingRunner::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::shared_ptr<const TrainingSnapshot> TrainingRunner::wait_for_snapshot(uint64_t step,
                                                                          double timeout_s) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return quit_.load() || (latest_ && (latest_->step >= step || latest_->finished));
  });
  return latest_;
}

void TrainingRunner::publish(std::shared_ptr<const TrainingSnapshot> s) {
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

void TrainingRunner::set_phase(TrainingPhase phase) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.phase = phase;
}

// A new experiment replaces the trainer once it is ready (data read, weights drawn, pretrained);
// until then, and for good when it is refused, the previous trainer runs on. The data stay
// loaded while the folder does not change.
void TrainingRunner::take_experiment(std::unique_ptr<Trainer>& trainer, const Experiment& next) {
  begin_stage(WorkerStage::Build);
  std::shared_ptr<const ImageDataset> data = data_;
  const std::string folder = next.training_data();
  if (!data || data->folder != folder) {
    set_phase(TrainingPhase::Loading);
    data = std::make_shared<const ImageDataset>(load_image_dataset(folder));
  }
  data_ = data;
  set_phase(TrainingPhase::Preparing);
  // A pause cancelling the build (pretraining) does not abandon it: it is taken again next.
  auto built = build_or_requeue(
      next, [&](const Experiment& e) { return std::make_unique<Trainer>(e, data, &cancel_); });
  auto first = std::make_shared<const TrainingSnapshot>(built->snapshot(true));
  trainer = std::move(built);
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error.clear();
  }
  publish(std::move(first));
}

// Nothing to train (finished, no trainer, or paused without a step request): wait for one. A
// step request made while there is nothing to step is dropped, so it does not fire after a
// later reset.
void TrainingRunner::wait_for_work(const Trainer* trainer) {
  const bool can_train = trainer && !trainer->finished();
  if (!can_train) step_request_.store(false);
  if (trainer) set_phase(trainer->finished() ? TrainingPhase::Finished : TrainingPhase::Paused);
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
    return quit_.load() || pending_ || step_request_.load() || (playing_.load() && can_train);
  });
}

// A burst of steps, then a snapshot (also of a burst cut short by a pause). A requested single
// burst is not cut short by the pause it runs in: only a new experiment or quitting end it early.
void TrainingRunner::run_burst(Trainer& trainer, bool one_burst) {
  if (one_burst) {
    // The pause just before this request may have raised the cancel flag after step 1
    // cleared it; it must not end the requested burst. A new experiment or quitting still do.
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
  if (done > 0 && !superseded && !quit_.load()) {
    publish(std::make_shared<const TrainingSnapshot>(trainer.snapshot(true)));
  }
}

// A stage threw: the message goes to the status (the window's status bar shows it) and the
// worker carries on with the trainer it had; Error is the phase only when there is none.
// A failing burst is retried after a rest.
void TrainingRunner::fail(WorkerStage stage, const std::string& what, bool have_trainer) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error = failure_message(stage, what);
    if (!have_trainer) status_.phase = TrainingPhase::Error;
  }
  cv_.notify_all();
  if (stage != WorkerStage::Build) rest_after_failure();
}

// The worker thread. No exception leaves it: each pass catches what its stages throw.
void TrainingRunner::loop() {
  std::unique_ptr<Trainer> trainer;
  while (!quit_.load()) {
    WorkerStage stage = WorkerStage::Build;
    try {
      // 1. Take a new experiment.
      if (std::unique_ptr<Experiment> next = take_request()) take_experiment(trainer, *next);
      // 2. Idle while there is nothing to train.
      const bool can_train = trainer && !trainer->finished();
      const bool one_burst = can_train && !playing_.load() && step_request_.exchange(false);
      if (!can_train || (!playing_.load() && !one_burst)) {
        wait_for_work(trainer.get());
        continue;
      }
      // 3. A burst.
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
