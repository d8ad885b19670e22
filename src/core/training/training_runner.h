#pragma once
// Training mode's worker thread (docs/ARCHITECTURE.md "Threads"): reads the data, draws and
// pretrains the networks, then trains in bursts of steps and publishes an immutable
// TrainingSnapshot after each burst. All of it is BurstWorker's (burst_worker.h), shared with
// GanRunner; this class says how an Experiment becomes a Trainer.
#include "burst_worker.h"
#include "core/experiment.h"
#include "training_snapshot.h"

namespace initscope {

class Trainer;
extern template class BurstWorker<Experiment, Trainer, TrainingSnapshot>;

class TrainingRunner : public BurstWorker<Experiment, Trainer, TrainingSnapshot> {
 public:
  // Starts the worker on `e` (its training config, or the defaults); the data folder is
  // e.training_data(). compute_threads, burst_steps (steps between snapshots), before_stage:
  // BurstWorker. set_experiment starts over from that experiment's init (cancelling the running
  // burst or pretraining).
  explicit TrainingRunner(Experiment e, bool playing = true, int compute_threads = 0,
                          int burst_steps = 50, StageHook before_stage = {});
};

}  // namespace initscope
