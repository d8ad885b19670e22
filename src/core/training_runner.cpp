#include "training_runner.h"

#include <algorithm>
#include <chrono>

#include "error.h"
#include "trainer.h"

namespace initscope {

TrainingRunner::TrainingRunner(Experiment e, bool playing, int compute_threads, int burst_steps)
    : ExperimentWorker(std::move(e), playing, compute_threads),
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

void TrainingRunner::set_phase(const std::string& phase) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.phase = phase;
}

void TrainingRunner::loop() {
  std::unique_ptr<Trainer> trainer;
  while (!quit_.load()) {
    // 1. A new experiment replaces the trainer.
    std::unique_ptr<Experiment> next = take_request();
    if (next) {
      trainer.reset();
      try {
        const std::string folder = next->training_data();
        if (!data_ || data_->folder != folder) {
          set_phase("loading");
          data_.reset();
          data_ = std::make_shared<const ImageDataset>(load_image_dataset(folder));
        }
        set_phase("preparing");
        trainer = std::make_unique<Trainer>(std::move(*next), data_, &cancel_);
        {
          std::lock_guard<std::mutex> lock(mu_);
          status_.error.clear();
        }
        publish(std::make_shared<const TrainingSnapshot>(trainer->snapshot(true)));
      } catch (const Cancelled&) {
        continue;  // a newer request is waiting (or we are quitting)
      } catch (const std::exception& ex) {
        std::lock_guard<std::mutex> lock(mu_);
        status_.error = ex.what();
        status_.phase = "error";
      }
    }
    // 2. Idle while there is nothing to train. A step request made while there is nothing to
    //    step (finished, or no networks) is dropped, so it does not fire after a later reset.
    const bool can_train = trainer && !trainer->finished();
    if (!can_train) step_request_.store(false);
    const bool one_burst = can_train && !playing_.load() && step_request_.exchange(false);
    if (!can_train || (!playing_.load() && !one_burst)) {
      if (trainer) set_phase(trainer->finished() ? "finished" : "paused");
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
        return quit_.load() || pending_ || step_request_.load() ||
               (playing_.load() && trainer && !trainer->finished());
      });
      continue;
    }
    // 3. A burst of steps, then a snapshot (also of a burst cut short by a pause). A requested
    //    single burst is not cut short by the pause it runs in: only a new experiment or
    //    quitting end it early.
    if (one_burst) {
      // The pause just before this request may have raised the cancel flag after step 1
      // cleared it; it must not end the requested burst. A new experiment or quitting still do.
      std::lock_guard<std::mutex> lock(mu_);
      if (!pending_) cancel_.store(false);
      if (quit_.load()) cancel_.store(true);
    }
    set_phase("training");
    const int done = trainer->run_steps(burst_steps_.load(), &cancel_);
    bool superseded;
    {
      std::lock_guard<std::mutex> lock(mu_);
      superseded = pending_ != nullptr;
    }
    if (done > 0 && !superseded && !quit_.load()) {
      publish(std::make_shared<const TrainingSnapshot>(trainer->snapshot(true)));
    }
  }
}

}  // namespace initscope
