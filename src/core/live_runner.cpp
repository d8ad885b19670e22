#include "live_runner.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>

namespace initscope {

using Clock = std::chrono::steady_clock;

LiveRunner::LiveRunner(Experiment e, bool playing, int compute_threads)
    : ExperimentWorker(std::move(e), playing, compute_threads) {
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

void LiveRunner::loop() {
  std::unique_ptr<Simulation> sim;
  std::deque<Clock::time_point> recent;  // publish times over the last second
  while (!quit_.load()) {
    // 1. Take requests. A new experiment replaces the simulation (weights drawn here, off the
    //    UI thread, cancellable).
    std::unique_ptr<Experiment> next = take_request();
    if (next) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        status_.busy = status_.building = true;
        status_.progress_done = 0;
        status_.progress_total = 0;
      }
      try {
        sim = std::make_unique<Simulation>(std::move(*next), &cancel_);
        std::lock_guard<std::mutex> lock(mu_);
        status_.error.clear();
      } catch (const Cancelled&) {
        continue;  // a newer request is waiting
      } catch (const std::exception& ex) {
        std::lock_guard<std::mutex> lock(mu_);
        status_.error = ex.what();  // keep the previous simulation running
      }
      std::lock_guard<std::mutex> lock(mu_);
      status_.building = false;
      status_.busy = false;
      step_.store(true);  // show the new experiment at once, even when paused
    }
    if (reseed_.exchange(false) && sim) {
      uint64_t seed;
      {
        std::lock_guard<std::mutex> lock(mu_);
        seed = pending_seed_;
        status_.busy = status_.building = true;
      }
      sim->reseed(seed);
      {
        std::lock_guard<std::mutex> lock(mu_);
        status_.busy = status_.building = false;
      }
      step_.store(true);
    }
    const bool run_one = step_.exchange(false) || playing_.load();
    if (!sim || !run_one) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
        return quit_.load() || pending_ || reseed_.load() || step_.load() || playing_.load();
      });
      continue;
    }
    // 2. One update. Progress is published so the UI can show a bar for slow configs.
    {
      std::lock_guard<std::mutex> lock(mu_);
      status_.busy = true;
    }
    sim->reset_stats();
    const bool complete = sim->update(&cancel_, [this](int done, int total) {
      std::lock_guard<std::mutex> lock(mu_);
      status_.progress_done = done;
      status_.progress_total = total;
    });
    {
      std::lock_guard<std::mutex> lock(mu_);
      status_.busy = false;
    }
    if (!complete) continue;
    auto snap = std::make_shared<Snapshot>(sim->snapshot());
    const auto now = Clock::now();
    recent.push_back(now);
    while (!recent.empty() && now - recent.front() > std::chrono::seconds(1)) recent.pop_front();
    {
      std::lock_guard<std::mutex> lock(mu_);
      status_.updates_per_s = static_cast<double>(recent.size());
      status_.last_update_ms = snap->update_ms;
    }
    publish(std::move(snap));
  }
}

}  // namespace initscope
