#include "controls_state.h"

namespace initscope::app {

void ControlsState::sync(const Experiment& e) {
  layers = e.layers;
  batch = e.batch;
  bins = e.bins;
  input_dim = e.resolved_input_dim();  // the value in use: the first width when 0
  updates = e.updates;
  seed = e.seed;
  preset = e.preset;
  width_text.clear();
  for (size_t i = 0; i < e.widths.size(); ++i) {
    if (i) width_text += ',';
    width_text += std::to_string(e.widths[i]);
  }
  activation = e.activation.name();
  if (auto colon = activation.find(':'); colon != std::string::npos)
    activation = activation.substr(0, colon);
  slope = e.activation.slope;
  bias_on = e.bias.has_value();
  if (e.bias) bias_text = e.bias->text;
  input_text = e.input.text;
  gradients = e.gradients;
  loss = e.loss;
  inits.clear();
  for (const InitSpec& s : e.inits) inits.push_back({s.text, ""});
  train = e.training.value_or(TrainingConfig{});
  norm = e.arch.norm;
  norm_gain = e.arch.norm_gain;
  residual = e.arch.residual;
  scale_text = e.arch.scale.text();
}

void ControlsState::set_error(const std::string& field, const std::string& message) {
  error_field = field;
  error = message;
}

}  // namespace initscope::app
