#pragma once
// The simulation's worker thread (DESIGN.md "Threads"): runs updates continuously and publishes
// immutable snapshots. Callers (the UI thread) never wait on a computation: requests are flags
// and a pending experiment, taken by the worker between layers; the lock is held only to swap
// pointers.
#include <atomic>
#include <memory>
#include <string>

#include "experiment_worker.h"
#include "simulation.h"

namespace initscope {

struct RunnerStatus {
  bool busy = false;      // an update (or weight drawing) is under way
  bool building = false;  // drawing weights for a new experiment
  int progress_done = 0;  // layers × columns done in the running update
  int progress_total = 0;
  double updates_per_s = 0;  // over the last second
  double last_update_ms = 0;
  uint64_t updates = 0;  // published snapshots since start
  std::string error;     // last refused experiment (e.g. memory limit), "" if none
};

class LiveRunner : public ExperimentWorker {
 public:
  // Starts the worker; it builds `e` and, if playing, runs updates continuously.
  // compute_threads: OpenMP threads of the worker (GEMM + statistics), see ExperimentWorker.
  explicit LiveRunner(Experiment e, bool playing = true, int compute_threads = 0);
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
  void loop();
  void publish(std::shared_ptr<const Snapshot> s);

  std::shared_ptr<const Snapshot> latest_;  // guarded by mu_
  RunnerStatus status_;                     // guarded by mu_
  uint64_t pending_seed_ = 0;               // guarded by mu_
  std::atomic<bool> step_{false};
  std::atomic<bool> reseed_{false};
};

}  // namespace initscope
