#pragma once
// What the two workers share — LiveRunner (the simulation) and TrainingRunner (training) — after
// docs/ARCHITECTURE.md "Threads" and MuJoCo simulate: a thread computing an experiment, and a
// request side the UI thread uses without ever waiting on a computation. A new experiment is
// swapped in under the lock (held only for the swap); flags are atomics the worker reads between
// layers or steps.
#include <atomic>
#include <chrono>
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

// Runs `loop` on a new thread with `compute_threads` OpenMP threads (its parallel regions,
// Eigen's too); 0 = all cores but one, at least 1.
std::thread start_worker_thread(int compute_threads, std::function<void()> loop);
int worker_compute_threads(int requested);

// The request side, for any request type: an Experiment (LiveRunner, TrainingRunner) or a
// GanConfig (GanRunner).
template <class Request>
class RequestWorker {
 public:
  RequestWorker(const RequestWorker&) = delete;
  RequestWorker& operator=(const RequestWorker&) = delete;

  // Cancels the running work (between layers or steps); the worker takes `e` next.
  void set_experiment(Request e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_ = std::make_unique<Request>(std::move(e));
    }
    cancel_.store(true);
    cv_.notify_all();
  }
  bool playing() const { return playing_.load(); }
  void stop() {  // cancel and join (idempotent)
    quit_.store(true);
    cancel_.store(true);
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 protected:
  // compute_threads: OpenMP threads of the worker; 0 = all cores but one, at least 1, so the
  // UI thread keeps a core (Eigen's parallel GEMM spins on its peers and collapses when they are
  // descheduled).
  // before_stage: see StageHook (empty outside tests).
  RequestWorker(Request e, bool playing, int compute_threads, StageHook before_stage)
      : pending_(std::make_unique<Request>(std::move(e))),
        playing_(playing),
        compute_threads_(worker_compute_threads(compute_threads)),
        before_stage_(std::move(before_stage)) {}
  // Joins if the derived class has not. A derived class must call stop() in its own destructor:
  // its worker loop uses the derived members, which are gone by the time this runs.
  ~RequestWorker() { stop(); }

  // Runs `loop` on the worker thread with compute_threads OpenMP threads. Call last in the
  // derived constructor, once everything the loop uses exists.
  void start(std::function<void()> loop) {
    thread_ = start_worker_thread(compute_threads_, std::move(loop));
  }
  // The worker's step 1: clears the cancel flag, then takes the pending experiment (nullptr if
  // none). In that order: a request arriving after this point sets the flag again and cancels
  // the work that follows.
  std::unique_ptr<Request> take_request() {
    cancel_.store(false);
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(pending_);
  }
  // Builds `e` with make(e): a build cancelled by anything but a newer experiment (a pause, a
  // reseed, quitting) puts `e` back as the pending request, so it is not lost; the Cancelled
  // propagates.
  template <class Make>
  auto build_or_requeue(const Request& e, Make&& make) {
    try {
      return make(e);
    } catch (const Cancelled&) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!pending_) pending_ = std::make_unique<Request>(e);
      throw;
    }
  }
  // Calls the hook (if any) as `stage` begins.
  void begin_stage(WorkerStage stage) const {
    if (before_stage_) before_stage_(stage);
  }
  // After a stage failed: waits up to 200 ms for a new experiment (or quitting) so that a stage
  // failing every time is retried five times a second, not in a busy loop.
  void rest_after_failure() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return quit_.load() || pending_; });
  }

  mutable std::mutex mu_;  // guards pending_ and the derived classes' snapshot and status
  mutable std::condition_variable cv_;
  std::unique_ptr<Request> pending_;  // guarded by mu_
  std::atomic<bool> playing_;
  std::atomic<bool> cancel_{false};  // ends the running work between layers or steps
  std::atomic<bool> quit_{false};
  const int compute_threads_;

 private:
  const StageHook before_stage_;
  std::thread thread_;
};

using ExperimentWorker = RequestWorker<Experiment>;

}  // namespace initscope
