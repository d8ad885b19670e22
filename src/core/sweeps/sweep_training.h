#pragma once
// Trainability of a sweep point (issue 15, `sweep --train-steps S`): the point's network trained
// for S mini-batch steps on Fashion-MNIST (the experiment's training config, e.g. its data
// folder; defaults otherwise) by the existing trainer (core/training/trainer.h).
#include <cstdint>
#include <memory>

#include "core/experiment.h"
#include "core/training/image_dataset.h"

namespace initscope {

struct SweepAccuracy {
  double train = 0;  // the fraction right of the last curve point's mini-batches (the last
                     // log_every steps, default 10)
  double test = 0;   // on the (limited) test set after S steps
};

// The network: the images' dimension → depth − 1 hidden layers of the point's width → 10
// classes (depth 1: the linear classifier), the point's activation, init, bias and seed.
Experiment sweep_training_experiment(const Experiment& point);

SweepAccuracy train_sweep_point(const Experiment& point, int64_t steps,
                                const std::shared_ptr<const ImageDataset>& data);

}  // namespace initscope
