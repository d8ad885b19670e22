// Training one sweep point for S steps with the existing trainer (sweep_training.h).
#include "sweep_training.h"

#include <algorithm>

#include "core/training/trainer.h"

namespace initscope {

Experiment sweep_training_experiment(const Experiment& point) {
  Experiment e = point;
  const int hidden = point.width(point.layers);
  e.input_dim = 0;  // the images' size
  e.widths.assign(static_cast<size_t>(point.layers), hidden);
  e.widths.back() = 10;
  e.gradients = false;
  TrainingConfig t = e.training.value_or(TrainingConfig{});
  t.epochs = 10000;  // enough for any S: run_steps stops at S
  e.training = t;
  return e;
}

SweepAccuracy train_sweep_point(const Experiment& point, int64_t steps,
                                const std::shared_ptr<const ImageDataset>& data) {
  Trainer trainer(sweep_training_experiment(point), data);
  int64_t done = 0;
  while (done < steps) {
    const int burst = static_cast<int>(std::min<int64_t>(steps - done, 1 << 20));
    const int taken = trainer.run_steps(burst);
    if (taken == 0) break;
    done += taken;
  }
  SweepAccuracy acc;
  const TrainingSnapshot s = trainer.snapshot(false);
  const ColumnHistory& h = s.columns.front();
  acc.train = h.accuracy.empty() ? 0 : h.accuracy.back();
  acc.test = trainer.evaluate(0).second;
  return acc;
}

}  // namespace initscope
