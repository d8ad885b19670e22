#pragma once
// How the networks of training mode are trained (issue 6): data, epochs, mini-batch size and
// optimizer. Lives in the experiment as its "training" object (experiment.h), so presets carry
// it and `--config` round-trips it; to_json fills in every default.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace initscope {

enum class OptimizerKind { Sgd, Momentum, Adam };

// The update rules follow torch.optim (SGD with dampening 0 and no Nesterov; Adam without
// weight decay), g = dL/dθ of the mini-batch, t = steps taken including this one:
//   sgd:      θ ← θ − lr·g
//   momentum: v ← μ·v + g;  θ ← θ − lr·v                                   (v₀ = 0)
//   adam:     m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
//             θ ← θ − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)                   (m₀ = v₀ = 0)
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Adam;
  double lr = 1e-3;
  double momentum = 0.9;                          // μ (momentum)
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam

  // "sgd" | "momentum" | "adam"; throws UsageError naming `option`.
  static OptimizerKind parse_kind(const std::string& text, const std::string& option);
  static std::string kind_name(OptimizerKind k);
  // The learning rate an optimizer gets when none is given: sgd 0.1, momentum 0.01, adam 0.001.
  static double default_lr(OptimizerKind k);
  std::string name() const { return kind_name(kind); }
};

struct TrainingConfig {
  std::string data;  // folder with the four IDX files; "" = Fashion-MNIST (kFashionMnistDir)
  int epochs = 2;
  int batch = 64;  // mini-batch size; every column trains on the same mini-batches
  OptimizerConfig optimizer;
  int train_limit = 0;  // train on the first N training images only (0 = all)
  int test_limit = 0;   // evaluate on the first N test images only (0 = all)
  int log_every = 10;   // one point of the training-loss curve per N steps (their mean loss)

  std::string resolved_data() const;  // data, or kFashionMnistDir
  // Shards a mini-batch is split into (one task each): one per 64 rows, 1 to 4.
  int shards() const;
  // Floats of optimizer state per parameter: sgd 0, momentum 1 (v), adam 2 (m, v).
  int optimizer_slots() const;
  // Throws UsageError naming the option (--epochs, --lr, ...) for an invalid value.
  void validate() const;
  nlohmann::ordered_json to_json() const;
  // The "training" object of a config; unknown keys are errors. A given "optimizer" without an
  // "lr" gets that optimizer's default_lr. `source` names the file in errors.
  static TrainingConfig from_json(const nlohmann::json& j, const std::string& source);
};

}  // namespace initscope
