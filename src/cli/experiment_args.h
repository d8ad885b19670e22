#pragma once
// The EXPERIMENT options shared by gui, stats and export (README "Command line"):
// --preset NAME | --config FILE, then overrides.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/limits.h"  // parse_integer, parse_number for the subcommands

namespace initscope {

struct ExperimentArgs {
  std::string preset, config;
  // Overrides are kept as text and parsed by us, so errors say what is allowed.
  std::optional<std::string> layers, width, input_dim, batch, activation, bias, input, seed, bins,
      updates, memory_limit;
  // Architecture of every column (engine/architecture.h); a column's --init may override it.
  std::optional<std::string> norm, norm_gain, residual, residual_scale;
  std::vector<std::string> inits;
  bool gradients = false;
  std::optional<std::string> loss;
  std::string default_preset = "compare";  // without --preset / --config

  void add_to(CLI::App* cmd);
  // Base (default_preset, a preset or a config file) with the overrides applied and
  // validated. Throws UsageError.
  Experiment resolve() const;
  // True when --preset, --config or any override was given.
  bool any_given() const;
};

}  // namespace initscope
