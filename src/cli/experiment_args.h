#pragma once
// The EXPERIMENT options shared by gui, stats and export (DESIGN.md "Command line"):
// --preset NAME | --config FILE, then overrides.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/experiment.h"

namespace initscope {

struct ExperimentArgs {
  std::string preset, config;
  // Overrides are kept as text and parsed by us, so errors say what is allowed.
  std::optional<std::string> layers, width, input_dim, batch, activation, bias, input, seed, bins,
      updates, memory_limit;
  std::vector<std::string> inits;
  bool gradients = false;
  std::optional<std::string> loss;
  std::string default_preset = "compare";  // without --preset / --config

  void add_to(CLI::App* cmd);
  // Base (default_preset, a preset or a config file) with the overrides applied and
  // validated. Throws UsageError.
  Experiment resolve() const;
};

// Loads --config FILE: a preset/config JSON, a `stats --format json` document, or a PNG written
// by initscope (its embedded experiment). Throws UsageError naming the file.
Experiment load_experiment_file(const std::string& path);

// Strict number parsing for options: the whole text must be a number in [lo, hi].
long long parse_integer(const std::string& option, const std::string& text, long long lo,
                        long long hi);
double parse_number(const std::string& option, const std::string& text, double lo, double hi);

}  // namespace initscope
