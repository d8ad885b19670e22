#pragma once
// What a figure shows of each layer: activations A = φ(Z), pre-activations Z = A·W + b, or —
// with the backward pass on (Experiment::gradients) — the activation gradients dL/dA and the
// weight gradients dL/dW; with an architecture (issue 13) also the norm layer's output and the
// residual branch α·(φ(·)·W + b) before it is added (A is then the stream). One place maps a
// quantity to its statistics and its names, for the grid, the heatmaps, the depth profiles, the
// window's tooltips and the command line.
#include <string>

#include "core/engine/layer_stats.h"
#include "core/experiment.h"

namespace initscope::render {

enum class Quantity { Activation, PreActivation, ActivationGrad, WeightGrad, Normed, Branch };
inline constexpr Quantity kQuantities[] = {Quantity::Activation,     Quantity::PreActivation,
                                           Quantity::Normed,         Quantity::Branch,
                                           Quantity::ActivationGrad, Quantity::WeightGrad};

// The statistics of `q` in layer `l` (empty ValueStats where not measured: gradients unless
// l.has_grad, normed unless l.has_normed, branch unless l.has_branch).
const ValueStats& shown(const LayerStats& l, Quantity q);
// Whether layer `l` has statistics of `q` (the has_grad / has_normed / has_branch flags).
bool is_measured(const LayerStats& l, Quantity q);
// Whether `q` needs the backward pass.
bool is_gradient(Quantity q);
// Whether `q` exists in experiment `e`: normed needs a column with a norm, branch a residual
// column; the others always (gradients are switched on by choosing them). Menus offer these.
bool is_available(Quantity q, const Experiment& e);
// "activations", "pre-activations", "activation gradients dL/dA", "weight gradients dL/dW",
// "normalized values", "residual branch".
const char* quantity_title(Quantity q);
// "act", "preact", "grad", "wgrad", "normed", "branch": the command line's --quantity and the
// saved settings.
const char* quantity_key(Quantity q);
// The next (step 1) or previous (−1) quantity of kQuantities that is_available in `e`, cyclic.
Quantity next_quantity(Quantity q, int step, const Experiment& e);
// "act, preact, normed, branch, grad, wgrad": for messages that list the allowed keys.
const char* quantity_keys_text();
// Parses quantity_key() names; false for anything else.
bool parse_quantity(const std::string& key, Quantity& out);

}  // namespace initscope::render
