#pragma once
// What the two workers share — LiveRunner (the simulation) and TrainingRunner (training) — after
// docs/ARCHITECTURE.md "Threads" and MuJoCo simulate: a thread computing an experiment, and a
// request side the UI thread uses without ever waiting on a computation. A new experiment is
// swapped in under the lock (held only for the swap); flags are atomics the worker reads between
// layers or steps.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "error.h"
#include "experiment.h"

namespace initscope {

// What a worker is doing when something goes wrong; names the failure in the status.
enum class WorkerStage {
  Build,       // constructing a new experiment (drawing weights, pretraining, reading data)
  Reseed,      // drawing new weights for the running experiment
  Update,      // one update of the simulation
  TrainSteps,  // a burst of training steps
};

// Runs on the worker thread as each stage begins. An exception it throws is handled exactly as
// one thrown by the stage itself: the tests inject failures through it (no globals).
using StageHook = std::function<void(WorkerStage)>;

// The status line's text for a stage that threw `what`: a refused experiment's own message
// (it names the option), the other stages prefixed with what failed.
std::string failure_message(WorkerStage stage, const std::string& what);

class ExperimentWorker {
 public:
  ExperimentWorker(const ExperimentWorker&) = delete;
  ExperimentWorker& operator=(const ExperimentWorker&) = delete;

  // Cancels the running work (between layers or steps); the worker takes `e` next.
  void set_experiment(Experiment e);
  bool playing() const { return playing_.load(); }
  void stop();  // cancel and join (idempotent)

 protected:
  // compute_threads: OpenMP threads of the worker; 0 = all cores but one, at least 1, so the
  // UI thread keeps a core (Eigen's parallel GEMM spins on its peers and collapses when they are
  // descheduled).
  // before_stage: see StageHook (empty outside tests).
  ExperimentWorker(Experiment e, bool playing, int compute_threads, StageHook before_stage);
  // Joins if the derived class has not. A derived class must call stop() in its own destructor:
  // its worker loop uses the derived members, which are gone by the time this runs.
  ~ExperimentWorker();

  // Runs `loop` on the worker thread with compute_threads OpenMP threads. Call last in the
  // derived constructor, once everything the loop uses exists.
  void start(std::function<void()> loop);
  // The worker's step 1: clears the cancel flag, then takes the pending experiment (nullptr if
  // none). In that order: a request arriving after this point sets the flag again and cancels
  // the work that follows.
  std::unique_ptr<Experiment> take_request();
  // Builds `e` with make(e): a build cancelled by anything but a newer experiment (a pause, a
  // reseed, quitting) puts `e` back as the pending request, so it is not lost; the Cancelled
  // propagates.
  template <class Make>
  auto build_or_requeue(const Experiment& e, Make&& make) {
    try {
      return make(e);
    } catch (const Cancelled&) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pending_) pending_ = std::make_unique<Experiment>(e);
      throw;
    }
  }
  // Calls the hook (if any) as `stage` begins.
  void begin_stage(WorkerStage stage) const {
    if (before_stage_) before_stage_(stage);
  }
  // After a stage failed: waits up to 200 ms for a new experiment (or quitting) so that a stage
  // failing every time is retried five times a second, not in a busy loop.
  void rest_after_failure();

  mutable std::mutex mu_;  // guards pending_ and the derived classes' snapshot and status
  mutable std::condition_variable cv_;
  std::unique_ptr<Experiment> pending_;  // guarded by mu_
  std::atomic<bool> playing_;
  std::atomic<bool> cancel_{false};  // ends the running work between layers or steps
  std::atomic<bool> quit_{false};
  const int compute_threads_;

 private:
  const StageHook before_stage_;
  std::thread thread_;
};

}  // namespace initscope
