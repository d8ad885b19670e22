#pragma once
// The GAN experiment (issue 14): a generator G and a discriminator D, both MLPs, trained against
// each other on Fashion-MNIST; every column is one init spec for both networks, trained on the
// same mini-batches with the same noise. Defaults are the common MLP GAN:
//   G: z ∈ R^latent ~ N(0, 1) → 256 → 512 → 1024 → 784, LeakyReLU(0.2) hidden, tanh output
//      (images scaled to [−1, 1]);
//   D: 784 → 512 → 256 → 1, LeakyReLU(0.2) hidden, sigmoid output (BCE on its logit);
//   loss: binary cross-entropy, the non-saturating generator loss −log D(G(z));
//   Adam lr 2e-4, β₁ 0.5, β₂ 0.999; batch 64; d_steps D steps per G step.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/engine/activation.h"
#include "core/init/init_spec.h"
#include "core/training/training_config.h"

namespace initscope {

struct GanConfig {
  std::string data;  // folder with the four IDX files; "" = Fashion-MNIST (kFashionMnistDir)
  int latent = 100;
  std::vector<int> g_hidden{256, 512, 1024};  // G's hidden widths; its output is the image size
  std::vector<int> d_hidden{512, 256};        // D's hidden widths; its output is one logit
  Activation hidden_activation = Activation::parse("leaky_relu:slope=0.2");
  OptimizerConfig optimizer{OptimizerKind::Adam, 2e-4, 0.9, 0.5, 0.999, 1e-8};
  int batch = 64;
  int d_steps = 1;  // D steps per G step
  int epochs = 5;
  int train_limit = 0;  // first N training images only (0 = all)
  int log_every = 10;   // one curve point per N G steps (their means)
  int samples = 64;     // images drawn from the fixed noise at every epoch end (a square grid)
  // Fakes per column for the epoch-end quality measure, from a second fixed noise (gan_trainer.h):
  // the Fréchet distance of N images is biased upward for small N (gan_quality.h), so not the
  // 64 displayed samples.
  int quality_samples = 1000;
  uint64_t seed = 0;
  int bins = 100;  // histograms of the probe statistics
  // One column per spec (both networks drawn with it); `auto`: He for layers followed by
  // (leaky) ReLU, Xavier with the activation's gain for tanh / sigmoid / linear layers.
  std::vector<InitSpec> inits;
  double memory_limit_gb = 0;  // 0 = half of physical RAM (as Experiment)

  // The columns without --init: torch_linear_default, auto, normal:std=0.02, normal:std=1
  // (kaiming_normal:a=0.2,nonlinearity=leaky_relu for `auto` where that scheme is unknown).
  static std::vector<InitSpec> default_inits();
  std::string resolved_data() const;  // data, or kFashionMnistDir
  // Throws UsageError naming the option, the value and what is allowed (limits.h): layer
  // widths, latent, lr, β₁/β₂ ∈ [0, 1), batch, d_steps, epochs, …, and init specs the GAN
  // cannot draw (data-driven lsuv/rbm, residual-only fixup/gpt2, architecture keys).
  void validate() const;
  // Bytes training needs for every column: G and D weights, gradients and Adam state, the pass
  // buffers of one step, the fixed noise and samples; the real images come on top.
  double memory_bytes() const;
  // RuntimeError with the estimate when memory_bytes() + resident_bytes is over the limit.
  void check_memory(double resident_bytes = 0) const;
  // The `config` object of the outputs (every default filled in) and back; from_json refuses
  // unknown keys (UsageError naming `source` and the key) and validates.
  nlohmann::ordered_json to_json() const;
  static GanConfig from_json(const nlohmann::json& j, const std::string& source);
};

// "--g-layers '256,x'": a comma-separated list of hidden widths, each in limits::kWidth, 1 to
// limits::kGanHiddenLayers.hi of them. Throws UsageError naming `option`.
std::vector<int> parse_gan_widths(const std::string& option, const std::string& text);

}  // namespace initscope
