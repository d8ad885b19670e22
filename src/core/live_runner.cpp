#include "live_runner.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "simulation.h"

namespace initscope {

using Clock = std::chrono::steady_clock;

LiveRunner::LiveRunner(Experiment e, bool playing, int compute_threads, StageHook before_stage)
    : ExperimentWorker(std::move(e), playing, compute_threads, std::move(before_stage)) {
  start([this] { loop(); });
}

LiveRunner::~LiveRunner() {
  stop();
}

void LiveRunner::set_playing(bool playing) {
  playing_.store(playing);
  cv_.notify_all();
}

void LiveRunner::step() {
  step_.store(true);
  cv_.notify_all();
}

void LiveRunner::reseed(uint64_t seed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_seed_ = seed;
  }
  reseed_.store(true);
  cancel_.store(true);
  cv_.notify_all();
}

std::shared_ptr<const Snapshot> LiveRunner::latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

RunnerStatus LiveRunner::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::shared_ptr<const Snapshot> LiveRunner::wait_for_snapshot(uint64_t n, double timeout_s) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::duration<double>(timeout_s),
               [&] { return status_.updates >= n || quit_.load(); });
  return latest_;
}

void LiveRunner::publish(std::shared_ptr<const Snapshot> s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    latest_ = std::move(s);
    ++status_.updates;
  }
  cv_.notify_all();
}

void LiveRunner::set_busy(bool busy, bool building) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.busy = busy;
  status_.building = building;
}

// A new experiment replaces the simulation once it is built (weights drawn here, off the UI
// thread, cancellable); until then, and for good when it is refused, the previous one runs on.
void LiveRunner::take_experiment(std::unique_ptr<Simulation>& sim, const Experiment& next) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.busy = status_.building = true;
    status_.progress_done = 0;
    status_.progress_total = 0;
  }
  begin_stage(WorkerStage::Build);
  // A reseed cancelling the build applies to this experiment, taken again next.
  sim = build_or_requeue(
      next, [this](const Experiment& e) { return std::make_unique<Simulation>(e, &cancel_); });
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error.clear();
    status_.busy = status_.building = false;
  }
  step_.store(true);  // show the new experiment at once, even when paused
}

// New weights: a simulation of the same experiment with the new seed (weights are a function
// of the experiment and its seed), swapped in once complete so that a failure leaves the
// running one intact; both exist meanwhile, as when an edit is taken. Not cancellable: a
// request arriving meanwhile waits for it.
void LiveRunner::take_reseed(std::unique_ptr<Simulation>& sim) {
  Experiment e = sim->experiment();
  {
    std::lock_guard<std::mutex> lock(mu_);
    e.seed = pending_seed_;
    status_.busy = status_.building = true;
  }
  begin_stage(WorkerStage::Reseed);
  sim = std::make_unique<Simulation>(std::move(e));
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error.clear();
    status_.busy = status_.building = false;
  }
  step_.store(true);
}

// Nothing to run (no simulation, or paused without a step): wait for a request.
void LiveRunner::wait_for_work() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
    return quit_.load() || pending_ || reseed_.load() || step_.load() || playing_.load();
  });
}

// One update, then its snapshot. Progress is published so the UI can show a bar for slow
// configs; a cancelled update publishes nothing.
void LiveRunner::run_update(Simulation& sim) {
  set_busy(true, false);
  begin_stage(WorkerStage::Update);
  sim.reset_stats();
  const bool complete = sim.update(&cancel_, [this](int done, int total) {
    std::lock_guard<std::mutex> lock(mu_);
    status_.progress_done = done;
    status_.progress_total = total;
  });
  set_busy(false, false);
  if (!complete) return;
  auto snap = std::make_shared<Snapshot>(sim.snapshot());
  const auto now = Clock::now();
  recent_.push_back(now);
  while (!recent_.empty() && now - recent_.front() > std::chrono::seconds(1)) recent_.pop_front();
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.updates_per_s = static_cast<double>(recent_.size());
    status_.last_update_ms = snap->update_ms;
  }
  publish(std::move(snap));
}

// A stage threw: the message goes to the status (the window's status bar shows it) and the
// worker carries on with the simulation it had. A refused experiment shows the running one
// once more even when paused; a failing update or reseed is retried after a rest.
void LiveRunner::fail(WorkerStage stage, const std::string& what) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.error = failure_message(stage, what);
    status_.busy = status_.building = false;
  }
  cv_.notify_all();
  if (stage == WorkerStage::Build)
    step_.store(true);
  else
    rest_after_failure();
}

// The worker thread. No exception leaves it: each pass catches what its stages throw.
void LiveRunner::loop() {
  std::unique_ptr<Simulation> sim;
  while (!quit_.load()) {
    WorkerStage stage = WorkerStage::Build;
    try {
      // 1. Take requests.
      if (std::unique_ptr<Experiment> next = take_request()) take_experiment(sim, *next);
      if (reseed_.exchange(false) && sim) {
        stage = WorkerStage::Reseed;
        take_reseed(sim);
      }
      // 2. One update when playing or asked for a step.
      const bool run_one = step_.exchange(false) || playing_.load();
      if (!sim || !run_one) {
        wait_for_work();
        continue;
      }
      stage = WorkerStage::Update;
      run_update(*sim);
    } catch (const Cancelled&) {
      set_busy(false, false);  // a newer request is waiting (or the worker is stopping)
    } catch (const std::exception& ex) {
      fail(stage, ex.what());
    } catch (...) {
      fail(stage, "unknown exception");
    }
  }
}

}  // namespace initscope
