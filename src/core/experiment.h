#pragma once
// The experiment: what is simulated, fully resolved.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/activation.h"
#include "core/engine/architecture.h"
#include "core/gan/gan_config.h"
#include "core/init/init_spec.h"
#include "core/training/training_config.h"

namespace initscope {

struct Experiment {
  std::string preset;     // preset name it came from, "" if none
  std::string title;      // shown above figures
  std::string narrative;  // classroom text: what to look at, why it happens
  int layers = 10;
  std::vector<int> widths{500};  // one number (all layers) or one per layer
  int input_dim = 0;             // 0 = the first width
  int batch = 1000;
  Activation activation;
  std::optional<InitSpec> bias;  // none: no bias
  InitSpec input = InitSpec::parse("normal:std=1", "--input");
  uint64_t seed = 0;
  int bins = 100;
  int updates = 1;           // batches whose statistics are accumulated
  bool gradients = false;    // also back-propagate and record dL/dA, dL/dW per layer
  std::string loss = "sum";  // sum (of outputs) | mse (to N(0,1) targets) | xent (random labels)
  std::vector<InitSpec> inits;
  // The architecture of every column (--norm, --norm-gain, --residual, --residual-scale); a
  // column's init spec may override it (norm=…, residual=…: engine/architecture.h).
  Architecture arch;
  double memory_limit_gb = 0;  // 0 = half of physical RAM
  // Training mode (`initscope train`): how every column's network learns. Empty: the defaults.
  // There the network is input_dim → widths…, the last width being the number of classes, and
  // `batch` is the size of the probe batch whose per-layer statistics are shown.
  std::optional<TrainingConfig> training;
  // A GAN experiment (issue 14, the "gan" object of a preset such as gan-fashion): the window
  // opens the Training tab's GAN mode with it, `export --view gan --preset NAME` runs it. The
  // fields above stay the explore mode's network.
  std::optional<GanConfig> gan;
  // The folder training reads its images from: training's `data`, or Fashion-MNIST when there
  // is no training object or it names none.
  std::string training_data() const {
    return training ? training->resolved_data() : TrainingConfig{}.resolved_data();
  }

  int width(int layer) const;   // layer 1..L: fan_out of that layer
  int fan_in(int layer) const;  // layer 1: input_dim
  // Column c's architecture: arch with the column's overrides applied.
  Architecture column_arch(size_t c) const { return inits.at(c).arch.apply(arch); }
  // Whether every column is a plain stack (the fused forward pass) — false as soon as one
  // column has a norm or a residual (then every column runs the block network, the same code
  // on the same batch).
  bool all_plain() const;
  // The architecture every column shares ("" for the plain default, e.g. "pre-norm residual
  // (LayerNorm), α = 1"), or "architecture per column" when columns differ.
  std::string architecture_text() const;
  int resolved_input_dim() const { return input_dim > 0 ? input_dim : widths.front(); }
  // Throws UsageError naming the option (--layers, --width, ...) for any invalid value.
  void validate() const;
  void validate_architectures() const;  // part of validate()
  // Bytes the simulation needs (weights of every column + activation buffers), or with a
  // training object, what training needs (weights, gradients, optimizer state, mini-batch and
  // evaluation buffers); both with the drawing workspace of the start weights.
  double memory_bytes() const;
  double memory_limit_bytes() const;  // resolved limit
  // memory_bytes()'s buffers of the block engine (columns with a norm or a residual), with
  // `passes` threads running whole columns.
  double block_engine_buffer_bytes(double passes) const;
  // Throws RuntimeError with the estimate if memory_bytes() + resident_bytes (e.g. the data
  // set, already loaded) > memory_limit_bytes().
  void check_memory(double resident_bytes = 0) const;
  std::string summary() const;  // "tanh, 10×500, B=1000, seed 0"

  // JSON in the preset/config format; to_json fills in every default.
  nlohmann::ordered_json to_json() const;
  // Accepts a preset/config object or a stats document ({"config": ...}). `source` names the
  // file in errors. Unknown keys are errors.
  static Experiment from_json(const nlohmann::json& j, const std::string& source);
};

}  // namespace initscope
