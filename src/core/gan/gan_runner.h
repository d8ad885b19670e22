#pragma once
// The GAN mode's worker thread (issue 14; docs/ARCHITECTURE.md "Threads"), TrainingRunner's twin
// for a GanConfig: reads the data, draws every column's G and D, then trains in bursts of G steps
// and publishes an immutable GanSnapshot (with both networks' probe statistics) after each burst.
// The request side is RequestWorker's (experiment_worker.h); every stage's failure goes to
// status().error and the worker keeps the trainer it had ("Workers never take the process down").
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/experiment_worker.h"
#include "core/training/image_dataset.h"
#include "core/training/training_runner.h"  // TrainingPhase, TrainingStatus: the same words
#include "gan_config.h"
#include "gan_snapshot.h"

namespace initscope {

class GanTrainer;
// Called on the worker thread with every new trainer before its first step, with the worker's
// cancel flag (set when a newer config or quitting supersedes this one): attaches the epoch-end
// quality measure (gan_quality.h: attach_gan_quality) when the caller has one. May throw (a
// Build failure; Cancelled when superseded).
using GanTrainerSetup = std::function<void(GanTrainer&, const std::atomic<bool>* cancel)>;

class GanRunner : public RequestWorker<GanConfig> {
 public:
  // Starts the worker on `config`. compute_threads: OpenMP threads (0 = all cores but one);
  // burst_steps: G steps between snapshots; setup: see GanTrainerSetup; before_stage: the tests'
  // failure injection (StageHook).
  explicit GanRunner(GanConfig config, bool playing = true, int compute_threads = 0,
                     int burst_steps = 20, GanTrainerSetup setup = {}, StageHook before_stage = {});
  ~GanRunner();  // cancels between steps and joins

  // set_experiment(config) starts over from that config's init; the data stay loaded while the
  // folder does not change. It, playing() and stop(): RequestWorker.
  void set_playing(bool playing);  // pausing ends the running burst early
  void step_once();                // while paused: one burst, a snapshot, paused again
  void set_burst_steps(int steps);
  int burst_steps() const { return burst_steps_.load(); }

  // The newest snapshot (nullptr before the first, published at step 0). Never blocks.
  std::shared_ptr<const GanSnapshot> latest() const;
  TrainingStatus status() const;
  // Blocks until a snapshot of at least `step` G steps (or of a finished run) exists, or
  // timeout; for tests and scripted use.
  std::shared_ptr<const GanSnapshot> wait_for_snapshot(uint64_t step, double timeout_s) const;

 private:
  void take_config(std::unique_ptr<GanTrainer>& trainer, const GanConfig& next);
  void wait_for_work(const GanTrainer* trainer);
  void run_burst(GanTrainer& trainer, bool one_burst);
  void loop();
  void publish(std::shared_ptr<const GanSnapshot> s);
  void set_phase(TrainingPhase phase);
  void fail(WorkerStage stage, const std::string& what, bool have_trainer);

  std::shared_ptr<const GanSnapshot> latest_;  // guarded by mu_
  TrainingStatus status_;                      // guarded by mu_
  std::atomic<bool> step_request_{false};
  std::atomic<int> burst_steps_{20};
  const GanTrainerSetup setup_;
  std::shared_ptr<const ImageDataset> data_;  // worker only
};

}  // namespace initscope
