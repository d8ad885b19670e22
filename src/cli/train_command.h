#pragma once
// `initscope train [EXPERIMENT] [--epochs E] [--optimizer sgd|momentum|adam] [--lr LR]
//  [--train-batch N] [--data DIR] [--train-limit N] [--test-limit N] [--log-every N]
//  [--format table|json|csv] [--out FILE [--force]]` (issue 6): every column trains its own MLP
// on Fashion-MNIST (or MNIST from --data), then per-epoch loss and accuracy are printed.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "experiment_args.h"

namespace initscope {

// The preset `train` starts from without --preset / --config.
inline constexpr const char* kDefaultTrainPreset = "mnist-784-256-256-10";

struct TrainArgs {
  ExperimentArgs experiment;
  // Training overrides, kept as text and parsed by us so that errors say what is allowed.
  std::optional<std::string> epochs, optimizer, lr, momentum, train_batch, data, train_limit,
      test_limit, log_every;
  std::string format = "table", out;
  bool force = false;

  // Adds the `train` subcommand with its options to `app`.
  CLI::App* add_to(CLI::App& app);
  // The experiment (default: kDefaultTrainPreset) with its training config and the overrides
  // applied, validated. Throws UsageError naming the option.
  Experiment resolve() const;
};

// Runs the `train` command: progress on stderr, the result on stdout or --out. Returns the exit
// code; throws UsageError / RuntimeError for the caller to report.
int run_train(const TrainArgs& args);

}  // namespace initscope
