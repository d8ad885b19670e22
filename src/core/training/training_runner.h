#pragma once
// Training mode's worker thread (docs/ARCHITECTURE.md "Threads"): reads the data, draws and
// pretrains the networks, then trains in bursts of steps and publishes an immutable
// TrainingSnapshot after each burst. The UI thread never waits on a computation: requests are
// flags and a pending experiment, taken by the worker between steps; the lock is held only to
// swap pointers. The request side is ExperimentWorker's, shared with LiveRunner.
#include <atomic>
#include <memory>
#include <string>

#include "core/experiment_worker.h"
#include "image_dataset.h"
#include "training_snapshot.h"

namespace initscope {

class Trainer;

// Where training mode's worker is. Error: the experiment was refused and none runs (see
// TrainingStatus::error).
enum class TrainingPhase {
  Loading,    // reading the data
  Preparing,  // drawing weights, RBM pretraining
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
  // The last failure, "" if none: a refused experiment (the previous one trains on, if any), or
  // a burst of steps that threw (failure_message). Cleared when an experiment is accepted.
  std::string error;
};

class TrainingRunner : public ExperimentWorker {
 public:
  // Starts the worker on `e` (its training config, or the defaults). compute_threads: OpenMP
  // threads of the worker; 0 = all cores but one, at least 1 (the UI keeps a core).
  // burst_steps: steps between snapshots; each snapshot also runs the probe (one forward and
  // backward pass per column on the probe batch). before_stage: the tests' failure injection
  // (StageHook); an exception of any stage is caught, shown in status().error, and the worker
  // goes on with the trainer it had.
  explicit TrainingRunner(Experiment e, bool playing = true, int compute_threads = 0,
                          int burst_steps = 50, StageHook before_stage = {});
  ~TrainingRunner();  // cancels between steps and joins

  // set_experiment starts over from that experiment's init (cancelling the running burst or
  // pretraining); the data stay loaded while the folder does not change. It, playing() and
  // stop(): ExperimentWorker.
  void set_playing(bool playing);  // pausing ends the running burst early
  // While paused: exactly one burst of burst_steps() steps, then a snapshot, and paused again
  // (the window's Step). Ignored while playing (the bursts run anyway).
  void step_once();
  // Steps between snapshots from the next burst on (at least 1); the run goes on.
  void set_burst_steps(int steps);
  int burst_steps() const { return burst_steps_.load(); }

  // The newest snapshot, or nullptr before the first (published once the networks are ready,
  // at step 0). Never blocks on a computation.
  std::shared_ptr<const TrainingSnapshot> latest() const;
  TrainingStatus status() const;
  // Blocks until a snapshot of at least `step` steps (or of a finished run) exists, or timeout;
  // for tests and scripted use.
  std::shared_ptr<const TrainingSnapshot> wait_for_snapshot(uint64_t step, double timeout_s) const;

 private:
  // The worker's parts, in the order loop() runs them; each may throw (caught in loop()).
  void take_experiment(std::unique_ptr<Trainer>& trainer, const Experiment& next);
  void wait_for_work(const Trainer* trainer);
  void run_burst(Trainer& trainer, bool one_burst);
  void loop();
  void publish(std::shared_ptr<const TrainingSnapshot> s);
  void set_phase(TrainingPhase phase);
  void fail(WorkerStage stage, const std::string& what, bool have_trainer);

  std::shared_ptr<const TrainingSnapshot> latest_;  // guarded by mu_
  TrainingStatus status_;                           // guarded by mu_
  std::atomic<bool> step_request_{false};  // step_once(), taken by the worker with exchange
  std::atomic<int> burst_steps_{50};
  std::shared_ptr<const ImageDataset> data_;  // worker only
};

}  // namespace initscope
