#pragma once
// Failure injection for the worker tests (LiveRunner, TrainingRunner): a StageHook that throws
// at one stage a given number of times, and a wait for the error to reach the status.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/experiment_worker.h"

namespace initscope::test {

// Throws std::runtime_error("injected failure") at `stage` while `failures` > 0 (counting it
// down), then lets the stage run. The hook runs on the worker thread; the test arms it with
// failures.store(n) and reads `thrown`.
struct InjectedFailure {
  WorkerStage stage;
  std::atomic<int> failures{0};
  std::atomic<int> thrown{0};
  StageHook hook() {
    return [this](WorkerStage s) {
      if (s != stage) return;
      int left = failures.load();
      while (left > 0 && !failures.compare_exchange_weak(left, left - 1)) {
      }
      if (left <= 0) return;
      ++thrown;
      throw std::runtime_error("injected failure");
    };
  }
};

// Polls runner.status().error until it contains `text` or timeout_s passed (only reached when
// something hangs); returns the error seen last.
template <class Runner>
std::string wait_for_error(const Runner& runner, const std::string& text, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string error = runner.status().error;
  while (error.find(text) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    error = runner.status().error;
  }
  return error;
}

}  // namespace initscope::test
