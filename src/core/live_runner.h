#pragma once
// The simulation's worker thread (docs/ARCHITECTURE.md "Threads"): runs updates continuously and
// publishes immutable snapshots. Callers (the UI thread) never wait on a computation: requests are
// flags and a pending experiment, taken by the worker between layers; the lock is held only to swap
// pointers.
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "experiment_worker.h"
#include "snapshot.h"

namespace initscope {

struct RunnerStatus {
  bool busy = false;      // an update (or weight drawing) is under way
  bool building = false;  // drawing weights for a new experiment
  int progress_done = 0;  // layers × columns done in the running update
  int progress_total = 0;
  double updates_per_s = 0;  // over the last second
  double last_update_ms = 0;
  uint64_t updates = 0;  // published snapshots since start
  // The last failure, "" if none: a refused experiment (e.g. the memory limit; the previous one
  // runs on), or an update or new weights that threw (failure_message). Cleared when the worker
  // starts on new weights (an accepted experiment or a reseed).
  std::string error;
};

class Simulation;  // core/simulation.h: Eigen and the GEMM kernel stay out of the window

class LiveRunner : public ExperimentWorker {
 public:
  // Starts the worker; it builds `e` and, if playing, runs updates continuously.
  // compute_threads: OpenMP threads of the worker (GEMM + statistics), see ExperimentWorker.
  // before_stage: the tests' failure injection (StageHook); an exception of any stage is
  // caught, shown in status().error, and the worker goes on with the simulation it had.
  explicit LiveRunner(Experiment e, bool playing = true, int compute_threads = 0,
                      StageHook before_stage = {});
  ~LiveRunner();  // cancels the running update and joins

  // set_experiment (cancels the running update; takes effect next), playing(), stop():
  // ExperimentWorker.
  void set_playing(bool playing);
  void step();                 // one update (when paused: exactly one)
  void reseed(uint64_t seed);  // new weights, then an update

  // The newest complete snapshot, or nullptr before the first. Never blocks on a computation.
  std::shared_ptr<const Snapshot> latest() const;
  RunnerStatus status() const;
  // Blocks until a snapshot with update count ≥ n exists or timeout; for tests and scripted mode.
  std::shared_ptr<const Snapshot> wait_for_snapshot(uint64_t n, double timeout_s) const;

 private:
  // The worker's parts, in the order loop() runs them; each may throw (caught in loop()).
  void take_experiment(std::unique_ptr<Simulation>& sim, const Experiment& next);
  void take_reseed(std::unique_ptr<Simulation>& sim);
  void wait_for_work();
  void run_update(Simulation& sim);
  void loop();
  void publish(std::shared_ptr<const Snapshot> s);
  void set_busy(bool busy, bool building);
  void fail(WorkerStage stage, const std::string& what);

  std::shared_ptr<const Snapshot> latest_;  // guarded by mu_
  RunnerStatus status_;                     // guarded by mu_
  uint64_t pending_seed_ = 0;               // guarded by mu_
  std::atomic<bool> step_{false};
  std::atomic<bool> reseed_{false};
  std::deque<std::chrono::steady_clock::time_point> recent_;  // publish times; worker only
};

}  // namespace initscope
