#pragma once
// Weight matrices drawn from an init spec (the Eigen side of init_spec.h, kept apart so that
// the figures and the window, which only name specs, do not include Eigen).
#include <Eigen/Core>

#include "core/init/init_spec.h"

namespace initscope {

// Draws W (fan_in × fan_out; Z = A·W) for `spec`. Formulas as torch.nn.init / Keras, with
// torch's weight being Wᵀ (fan_out × fan_in).
Eigen::MatrixXf sample_weights(const InitSpec& spec, int fan_in, int fan_out, const Activation& act,
                               Rng& rng);
// Draws a rows × cols matrix of i.i.d. values from a non-fan-based spec (inputs, biases).
Eigen::MatrixXf sample_values(const InitSpec& spec, int rows, int cols, Rng& rng);

}  // namespace initscope
