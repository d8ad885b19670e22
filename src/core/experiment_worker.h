#pragma once
// What the two workers share — LiveRunner (the simulation) and TrainingRunner (training) — after
// DESIGN.md "Threads" and MuJoCo simulate: a thread computing an experiment, and a request side
// the UI thread uses without ever waiting on a computation. A new experiment is swapped in under
// the lock (held only for the swap); flags are atomics the worker reads between layers or steps.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "experiment.h"

namespace initscope {

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
  ExperimentWorker(Experiment e, bool playing, int compute_threads);
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

  mutable std::mutex mu_;  // guards pending_ and the derived classes' snapshot and status
  mutable std::condition_variable cv_;
  std::unique_ptr<Experiment> pending_;  // guarded by mu_
  std::atomic<bool> playing_;
  std::atomic<bool> cancel_{false};  // ends the running work between layers or steps
  std::atomic<bool> quit_{false};
  const int compute_threads_;

 private:
  std::thread thread_;
};

}  // namespace initscope
