#pragma once
// The training workers' thread (docs/ARCHITECTURE.md "Threads"), one template for TrainingRunner
// (an Experiment, Trainer, TrainingSnapshot) and GanRunner (a GanConfig, GanTrainer,
// GanSnapshot): reads the data, builds a trainer, then trains in bursts of steps and publishes
// an immutable snapshot after each burst. The request side is RequestWorker's
// (experiment_worker.h): the UI thread never waits on a computation; requests are flags and a
// pending request, taken by the worker between steps; the lock is held only to swap pointers.
// Every stage's failure goes to status().error and the worker keeps the trainer it had
// ("Workers never take the process down").
//
// The members are defined below the class and compiled once per runner: each runner's header
// declares `extern template class BurstWorker<...>` and its .cpp (which has the trainer's full
// type) instantiates it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/experiment_worker.h"
#include "image_dataset.h"

namespace initscope {

// Where a training worker is. Error: the request was refused and none runs (see
// TrainingStatus::error).
enum class TrainingPhase {
  Loading,    // reading the data
  Preparing,  // drawing weights, RBM pretraining, attaching the GAN's quality measure
  Training,
  Paused,
  Finished,
  Error
};
// "loading", "preparing", "training", "paused", "finished", "error": the status bar's word.
const char* training_phase_name(TrainingPhase phase);

struct TrainingStatus {
  TrainingPhase phase = TrainingPhase::Loading;
  uint64_t step = 0, total_steps = 0;
  int epoch = 0;
  double steps_per_s = 0;  // of the last burst
  uint64_t published = 0;  // snapshots published since the start
  // The last failure, "" if none: a refused request (the previous one trains on, if any), or
  // a burst of steps that threw (failure_message). Cleared when a request is accepted.
  std::string error;
};

// How a request becomes a trainer: the two places where the workers differ. Both run on the
// worker thread, in the Build stage; what they throw is the request's refusal (UsageError) or
// its failure, shown in status().error.
template <class Request, class TrainerT>
struct TrainerRecipe {
  // The folder of the IDX data `r` trains on. Runs before any data is read, so it is also where
  // a request is validated.
  std::function<std::string(const Request& r)> data_folder;
  // A trainer for `r` on `data`, ready for its first step. `cancel` is the worker's flag (set
  // by a newer request, a pause or quitting); a long build (pretraining, the GAN's quality
  // measure) checks it and throws Cancelled.
  std::function<std::unique_ptr<TrainerT>(
      const Request& r, std::shared_ptr<const ImageDataset> data, const std::atomic<bool>* cancel)>
      build;
};

// TrainerT: finished(), run_steps(max_steps, cancel) -> steps done, snapshot(with_probe) ->
// Snapshot. Snapshot: step, total_steps, epoch, steps_per_s, finished.
template <class Request, class TrainerT, class Snapshot>
class BurstWorker : public RequestWorker<Request> {
 public:
  using Recipe = TrainerRecipe<Request, TrainerT>;

  // Starts the worker on `request`. compute_threads: OpenMP threads of the worker (0 = all
  // cores but one, at least 1: the UI keeps a core). burst_steps: steps between snapshots; each
  // snapshot also runs the probe (one forward and backward pass per column on the probe batch).
  // before_stage: the tests' failure injection (StageHook).
  BurstWorker(Request request, Recipe recipe, bool playing, int compute_threads, int burst_steps,
              StageHook before_stage)
      : RequestWorker<Request>(std::move(request), playing, compute_threads,
                               std::move(before_stage)),
        burst_steps_(std::max(1, burst_steps)),
        recipe_(std::move(recipe)) {
    this->start([this] { loop(); });
  }
  ~BurstWorker() { this->stop(); }  // cancels between steps and joins

  // set_experiment(request) starts over from that request's init (cancelling the running burst
  // or build); the data stay loaded while the folder does not change. It, playing() and stop():
  // RequestWorker.
  void set_playing(bool playing);  // pausing ends the running burst early
  // While paused: exactly one burst of burst_steps() steps, then a snapshot, and paused again
  // (the window's Step). Ignored while playing (the bursts run anyway).
  void step_once();
  // Steps between snapshots from the next burst on (at least 1); the run goes on.
  void set_burst_steps(int steps) { burst_steps_.store(std::max(1, steps)); }
  int burst_steps() const { return burst_steps_.load(); }

  // The newest snapshot, or nullptr before the first (published once the trainer is ready, at
  // step 0). Never blocks on a computation.
  std::shared_ptr<const Snapshot> latest() const;
  TrainingStatus status() const;
  // Blocks until a snapshot of at least `step` steps (or of a finished run) exists, or timeout;
  // for tests and scripted use.
  std::shared_ptr<const Snapshot> wait_for_snapshot(uint64_t step, double timeout_s) const;

 private:
  // The worker's parts, in the order loop() runs them; each may throw (caught in loop()).
  void replace_trainer(std::unique_ptr<TrainerT>& trainer, const Request& next);
  void wait_for_work(const TrainerT* trainer);
  void run_burst(TrainerT& trainer, bool one_burst);
  void loop();
  void publish(std::shared_ptr<const Snapshot> s);
  void set_phase(TrainingPhase phase);
  void fail(WorkerStage stage, const std::string& what, bool have_trainer);

  std::shared_ptr<const Snapshot> latest_;  // guarded by mu_
  TrainingStatus status_;                   // guarded by mu_
  std::atomic<bool> step_request_{false};   // step_once(), taken by the worker with exchange
  std::atomic<int> burst_steps_;
  const Recipe recipe_;
  std::shared_ptr<const ImageDataset> data_;  // worker only
};

template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::set_playing(bool playing) {
  this->playing_.store(playing);
  if (!playing) this->cancel_.store(true);
  this->cv_.notify_all();
}

template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::step_once() {
  if (this->playing_.load()) return;
  step_request_.store(true);
  this->cv_.notify_all();
}

template <class Request, class TrainerT, class Snapshot>
std::shared_ptr<const Snapshot> BurstWorker<Request, TrainerT, Snapshot>::latest() const {
  std::lock_guard<std::mutex> lock(this->mu_);
  return latest_;
}

template <class Request, class TrainerT, class Snapshot>
TrainingStatus BurstWorker<Request, TrainerT, Snapshot>::status() const {
  std::lock_guard<std::mutex> lock(this->mu_);
  return status_;
}

template <class Request, class TrainerT, class Snapshot>
std::shared_ptr<const Snapshot> BurstWorker<Request, TrainerT, Snapshot>::wait_for_snapshot(
    uint64_t step, double timeout_s) const {
  std::unique_lock<std::mutex> lock(this->mu_);
  this->cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return this->quit_.load() || (latest_ && (latest_->step >= step || latest_->finished));
  });
  return latest_;
}

template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::publish(std::shared_ptr<const Snapshot> s) {
  {
    std::lock_guard<std::mutex> lock(this->mu_);
    status_.step = s->step;
    status_.total_steps = s->total_steps;
    status_.epoch = s->epoch;
    status_.steps_per_s = s->steps_per_s;
    ++status_.published;
    latest_ = std::move(s);
  }
  this->cv_.notify_all();
}

template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::set_phase(TrainingPhase phase) {
  std::lock_guard<std::mutex> lock(this->mu_);
  status_.phase = phase;
}

// A new request replaces the trainer once it is ready (data read, weights drawn, pretrained);
// until then, and for good when it is refused, the previous trainer runs on. The data stay
// loaded while the folder does not change.
template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::replace_trainer(std::unique_ptr<TrainerT>& trainer,
                                                               const Request& next) {
  this->begin_stage(WorkerStage::Build);
  std::shared_ptr<const ImageDataset> data = data_;
  const std::string folder = recipe_.data_folder(next);
  if (!data || data->folder != folder) {
    set_phase(TrainingPhase::Loading);
    data = std::make_shared<const ImageDataset>(load_image_dataset(folder));
  }
  data_ = data;
  set_phase(TrainingPhase::Preparing);
  // A pause cancelling the build (pretraining) does not abandon it: it is taken again next.
  auto built = this->build_or_requeue(
      next, [&](const Request& r) { return recipe_.build(r, data, &this->cancel_); });
  auto first = std::make_shared<const Snapshot>(built->snapshot(true));
  trainer = std::move(built);
  {
    std::lock_guard<std::mutex> lock(this->mu_);
    status_.error.clear();
  }
  publish(std::move(first));
}

// Nothing to train (finished, no trainer, or paused without a step request): wait for one. A
// step request made while there is nothing to step is dropped, so it does not fire after a
// later reset.
template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::wait_for_work(const TrainerT* trainer) {
  const bool can_train = trainer && !trainer->finished();
  if (!can_train) step_request_.store(false);
  if (trainer) set_phase(trainer->finished() ? TrainingPhase::Finished : TrainingPhase::Paused);
  std::unique_lock<std::mutex> lock(this->mu_);
  this->cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
    return this->quit_.load() || this->pending_ || step_request_.load() ||
           (this->playing_.load() && can_train);
  });
}

// A burst of steps, then a snapshot (also of a burst cut short by a pause). A requested single
// burst is not cut short by the pause it runs in: only a new request or quitting end it early.
template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::run_burst(TrainerT& trainer, bool one_burst) {
  if (one_burst) {
    // The pause just before this request may have raised the cancel flag after step 1
    // cleared it; it must not end the requested burst. A new request or quitting still do.
    std::lock_guard<std::mutex> lock(this->mu_);
    if (!this->pending_) this->cancel_.store(false);
    if (this->quit_.load()) this->cancel_.store(true);
  }
  set_phase(TrainingPhase::Training);
  this->begin_stage(WorkerStage::TrainSteps);
  const int done = trainer.run_steps(burst_steps_.load(), &this->cancel_);
  bool superseded;
  {
    std::lock_guard<std::mutex> lock(this->mu_);
    superseded = this->pending_ != nullptr;
  }
  if (done > 0 && !superseded && !this->quit_.load()) {
    publish(std::make_shared<const Snapshot>(trainer.snapshot(true)));
  }
}

// A stage threw: the message goes to the status (the window's status bar shows it) and the
// worker carries on with the trainer it had; Error is the phase only when there is none.
// A failing burst is retried after a rest.
template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::fail(WorkerStage stage, const std::string& what,
                                                    bool have_trainer) {
  {
    std::lock_guard<std::mutex> lock(this->mu_);
    status_.error = failure_message(stage, what);
    if (!have_trainer) status_.phase = TrainingPhase::Error;
  }
  this->cv_.notify_all();
  if (stage != WorkerStage::Build) this->rest_after_failure();
}

// The worker thread. No exception leaves it: each pass catches what its stages throw.
template <class Request, class TrainerT, class Snapshot>
void BurstWorker<Request, TrainerT, Snapshot>::loop() {
  std::unique_ptr<TrainerT> trainer;
  while (!this->quit_.load()) {
    WorkerStage stage = WorkerStage::Build;
    try {
      // 1. Take a new request.
      if (std::unique_ptr<Request> next = this->take_request()) replace_trainer(trainer, *next);
      // 2. Idle while there is nothing to train.
      const bool can_train = trainer && !trainer->finished();
      const bool one_burst = can_train && !this->playing_.load() && step_request_.exchange(false);
      if (!can_train || (!this->playing_.load() && !one_burst)) {
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
