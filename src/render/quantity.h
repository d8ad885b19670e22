#pragma once
// What a figure shows of each layer: activations A = φ(Z), pre-activations Z = A·W + b, or —
// with the backward pass on (Experiment::gradients) — the activation gradients dL/dA and the
// weight gradients dL/dW. One place maps a quantity to its statistics and its names, for the
// grid, the heatmaps, the depth profiles, the window's tooltips and the command line.
#include <string>

#include "core/layer_stats.h"

namespace initscope::render {

enum class Quantity { Activation, PreActivation, ActivationGrad, WeightGrad };
inline constexpr Quantity kQuantities[] = {Quantity::Activation, Quantity::PreActivation,
                                           Quantity::ActivationGrad, Quantity::WeightGrad};

// The statistics of `q` in layer `l` (gradients are empty ValueStats unless l.has_grad).
const ValueStats& shown(const LayerStats& l, Quantity q);
// Whether `q` needs the backward pass.
bool is_gradient(Quantity q);
// "activations", "pre-activations", "activation gradients dL/dA", "weight gradients dL/dW".
const char* quantity_title(Quantity q);
// "act", "preact", "grad", "wgrad": the command line's --quantity and the saved settings.
const char* quantity_key(Quantity q);
// Parses quantity_key() names; false for anything else.
bool parse_quantity(const std::string& key, Quantity& out);

}  // namespace initscope::render
