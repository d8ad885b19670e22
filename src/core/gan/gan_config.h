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
  uint64_t seed = 0;
  int bins = 100;  // histograms of the probe statistics
  // One column per spec (both networks drawn with it); `auto`: He for layers followed by
  // (leaky) ReLU, Xavier with the activation's gain for tanh / sigmoid / linear layers.
  std::vector<InitSpec> inits;
};

}  // namespace initscope
