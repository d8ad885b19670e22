#pragma once
// The `gan` command's output (issue 14): every column's curves and epoch quality numbers as
// JSON, CSV or a readable table. Wall-clock times are left out, so the same config and seed give
// the identical document.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "gan_snapshot.h"

namespace initscope {

// {"config": GanConfig::to_json(),
//  "columns": [{"init", "curves": {"step", "g_loss", "d_loss", "d_real", "d_fake", "fooled"},
//               "epochs": [{"epoch", "confidence", "class_entropy", "fid"}],
//               "diverged_at": null | G step}]}
// Curves: one point per log_every G steps (gan_trainer.h). Non-finite numbers are null.
nlohmann::ordered_json gan_json(const GanSnapshot& s);
// One row per (column, curve point):
// init,step,g_loss,d_loss,d_real,d_fake,fooled,epoch,confidence,class_entropy,fid — the last
// four on the point that ends an epoch (empty elsewhere).
std::string gan_csv(const GanSnapshot& s);
// Per column: its last curve point, its last epoch's quality and whether it diverged.
std::string gan_table(const GanSnapshot& s);
// "100-256-512-1024-784" / "784-512-256-1"
std::string gan_layer_sizes(int in, const std::vector<int>& hidden, int out);
// One line for the end of an epoch: "epoch 1/5: torch_linear_default G 1.23 D 0.98 fooled 12%, …".
std::string gan_epoch_line(const GanSnapshot& s);

}  // namespace initscope
