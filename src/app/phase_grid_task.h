#pragma once
// The phase diagram's χ₁ field (render::phase_diagram_grid: 50–200 ms on one core) computed on a
// thread of its own, once per activation: the UI thread asks every frame it shows the diagram
// and gets the field when it is ready — it never waits (docs/ARCHITECTURE.md "Threads").
#include <future>
#include <memory>
#include <string>

#include "core/engine/activation.h"
#include "core/theory/mean_field.h"

namespace initscope::app {

class PhaseGridTask {
 public:
  PhaseGridTask() = default;
  PhaseGridTask(const PhaseGridTask&) = delete;
  PhaseGridTask& operator=(const PhaseGridTask&) = delete;
  ~PhaseGridTask();  // waits for a computation under way (≤ 0.2 s)

  // The field for `act`, or nullptr while it is being computed (the computation starts on the
  // first request; a request for another activation starts once the running one is done).
  const PhaseGrid* get(const Activation& act);
  double last_compute_ms() const { return compute_ms_; }  // wall time of the last computation

 private:
  struct Result {
    PhaseGrid grid;
    double ms = 0;
  };
  std::future<Result> pending_;
  std::string pending_key_, ready_key_;  // Activation::name() of each
  std::unique_ptr<PhaseGrid> ready_;
  double compute_ms_ = 0;
};

}  // namespace initscope::app
