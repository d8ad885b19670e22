#include "phase_grid_task.h"

#include <chrono>

#include "render/phase_diagram.h"

namespace initscope::app {

PhaseGridTask::~PhaseGridTask() {
  if (pending_.valid()) pending_.wait();
}

const PhaseGrid* PhaseGridTask::get(const Activation& act) {
  const std::string key = act.name();
  if (pending_.valid() && pending_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    Result r = pending_.get();
    ready_ = std::make_unique<PhaseGrid>(std::move(r.grid));
    ready_key_ = pending_key_;
    compute_ms_ = r.ms;
  }
  if (ready_ && ready_key_ == key) return ready_.get();
  if (!pending_.valid()) {
    pending_key_ = key;
    pending_ = std::async(std::launch::async, [act] {
      const auto t0 = std::chrono::steady_clock::now();
      Result r;
      r.grid = render::phase_diagram_grid(act);
      r.ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      return r;
    });
  }
  return nullptr;
}

}  // namespace initscope::app
