#pragma once
// The GAN mode's worker thread (issue 14; docs/ARCHITECTURE.md "Threads"): reads the data, draws
// every column's G and D, then trains in bursts of G steps and publishes an immutable GanSnapshot
// (with both networks' probe statistics) after each burst. All of it is BurstWorker's
// (core/training/burst_worker.h), shared with TrainingRunner; this class says how a GanConfig
// becomes a GanTrainer.
#include <atomic>
#include <functional>

#include "core/training/burst_worker.h"
#include "gan_config.h"
#include "gan_snapshot.h"

namespace initscope {

class GanTrainer;
extern template class BurstWorker<GanConfig, GanTrainer, GanSnapshot>;

// Called on the worker thread with every new trainer before its first step, with the worker's
// cancel flag (set when a newer config or quitting supersedes this one): attaches the epoch-end
// quality measure (gan_quality.h: attach_gan_quality) when the caller has one. May throw (a
// Build failure; Cancelled when superseded).
using GanTrainerSetup = std::function<void(GanTrainer&, const std::atomic<bool>* cancel)>;

class GanRunner : public BurstWorker<GanConfig, GanTrainer, GanSnapshot> {
 public:
  // Starts the worker on `config` (validated on the worker: a refused config is the status's
  // error); the data folder is config.resolved_data(). compute_threads, burst_steps (G steps
  // between snapshots), before_stage: BurstWorker; setup: see GanTrainerSetup.
  // set_experiment(config) starts over from that config's init.
  explicit GanRunner(GanConfig config, bool playing = true, int compute_threads = 0,
                     int burst_steps = 20, GanTrainerSetup setup = {}, StageHook before_stage = {});
};

}  // namespace initscope
