#pragma once
// The `train` command's output (issue 6): per-epoch loss and accuracy of every column as JSON,
// CSV or a readable table. Wall-clock times are left out, so the same config and seed give
// the identical document.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "training_snapshot.h"

namespace initscope {

// {"config": {... "training": {...}}, "data": {"folder", "train_images", "test_images"},
//  "steps_per_epoch", "steps",
//  "columns": [{"init", "description", "final_test_accuracy", "final_test_loss", "diverged",
//               ["diverged_at"], "epochs": [{"epoch", "step", "train_loss", "train_accuracy",
//               "test_loss", "test_accuracy"}], "train_loss": {"step": [...], "loss": [...]},
//               ["rbm_reconstruction": [[per epoch] per layer]], "probe_loss",
//               "layers": [per layer as in `stats --format json`, on the probe batch]}]}
// Non-finite numbers (a diverged column's loss) are null.
nlohmann::ordered_json training_json(const TrainingSnapshot& s);
// One row per column × epoch: init,epoch,step,train_loss,train_accuracy,test_loss,test_accuracy.
std::string training_csv(const TrainingSnapshot& s);
std::string training_table(const TrainingSnapshot& s);
// "784-256-256-10"
std::string layer_sizes(const Experiment& e);
// One line for the end of an epoch: "epoch 1/2: normal:std=1 74.9%, xavier_uniform 84.6%, …".
std::string epoch_line(const TrainingSnapshot& s);

}  // namespace initscope
