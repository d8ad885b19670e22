#pragma once
// `initscope gan [--init SPEC]… [--latent N] [--g-layers W,…] [--d-layers W,…]
//  [--activation A] [--lr LR] [--beta1 B] [--beta2 B] [--batch N] [--d-steps N] [--epochs E]
//  [--train-limit N] [--log-every N] [--samples N] [--quality-samples N] [--seed S] [--data DIR]
//  [--format table|json|csv] [--out FILE [--force]]` (issue 14): every column trains a GAN
// (core/gan/gan_trainer.h) on Fashion-MNIST; the curves and epoch quality numbers are printed.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/gan/gan_config.h"

namespace initscope {

struct GanArgs {
  std::vector<std::string> inits;
  // Kept as text and parsed by us so that errors say what is allowed.
  std::optional<std::string> latent, g_layers, d_layers, activation, lr, beta1, beta2, batch,
      d_steps, epochs, train_limit, log_every, samples, quality_samples, seed, data, memory_limit;
  std::string format = "table", out;
  bool force = false;

  CLI::App* add_to(CLI::App& app);
  // The config with the options applied, validated. Throws UsageError naming the option.
  GanConfig resolve() const;
};

// Runs the `gan` command: progress on stderr per epoch, the result on stdout or --out.
int run_gan(const GanArgs& args);

}  // namespace initscope
