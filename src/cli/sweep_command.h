#pragma once
// `initscope sweep [EXPERIMENT] --grid NAME=… … [--seeds K] [--pair-correlation R]
//  [--train-steps S] [--shard K/N] [--out FILE.csv|FILE.json] [--resume] [--force]` and
// `initscope sweep-merge OUT FILES…` (issue 15). The work is in core/sweeps/.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "experiment_args.h"

namespace initscope {

struct SweepArgs {
  ExperimentArgs experiment;
  std::vector<std::string> grid;
  std::string seeds = "1", pair_correlation = "0.5", train_steps = "0", shard, out;
  bool resume = false, force = false;

  CLI::App* add_to(CLI::App& app);
};

struct SweepMergeArgs {
  std::vector<std::string> files;  // OUT, then the parts
  bool force = false;

  CLI::App* add_to(CLI::App& app);
};

int run_sweep_command(const SweepArgs& args);
int run_sweep_merge(const SweepMergeArgs& args);

}  // namespace initscope
