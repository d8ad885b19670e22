#pragma once
// The controls' widget values. They mirror the applied experiment and are re-synced from it
// whenever an edit is refused (so the widgets never show a value that is not running) — except
// text fields, which keep the rejected text in red next to the message.
#include <cstdint>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/training/training_config.h"

namespace initscope::app {

struct InitColumnEdit {
  std::string text;   // spec as typed
  std::string error;  // parse error of `text`, "" if fine
};

struct ControlsState {
  int layers = 10, batch = 1000, bins = 100, input_dim = 500, updates = 1;
  uint64_t seed = 0;
  std::string preset;
  std::string width_text;  // "500" or "500,400,300"
  std::string activation = "tanh";
  double slope = 0.01;
  bool bias_on = false;
  std::string bias_text = "normal:std=0.01";
  std::string input_text = "normal:std=1";
  bool gradients = false;    // the backward pass
  std::string loss = "sum";  // its loss: sum | mse | xent
  std::vector<InitColumnEdit> inits;
  // The architecture of every column (engine/architecture.h); α as typed (a number or 1/sqrt(L)).
  NormKind norm = NormKind::None;
  double norm_gain = 1;
  ResidualKind residual = ResidualKind::None;
  std::string scale_text = "1";
  TrainingConfig train;            // training mode's knobs (the defaults outside training mode)
  bool input_dim_editing = false;  // the Input dim field has the keyboard: not refreshed

  std::string error_field;  // field of the last refused edit ("layers", "width", …)
  std::string error;        // its message

  void sync(const Experiment& e);  // widgets ← experiment (clears errors of synced fields)
  void set_error(const std::string& field, const std::string& message);
  void clear_error() { error_field.clear(), error.clear(); }
};

}  // namespace initscope::app
