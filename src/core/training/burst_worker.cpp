#include "burst_worker.h"

namespace initscope {

const char* training_phase_name(TrainingPhase phase) {
  switch (phase) {
    case TrainingPhase::Loading:
      return "loading";
    case TrainingPhase::Preparing:
      return "preparing";
    case TrainingPhase::Training:
      return "training";
    case TrainingPhase::Paused:
      return "paused";
    case TrainingPhase::Finished:
      return "finished";
    case TrainingPhase::Error:
      return "error";
  }
  return "";
}

}  // namespace initscope
