#pragma once
// The random start of every compared column's network, shared by Simulation (stats, the window)
// and Trainer (training), so that `stats` shows exactly the weights training starts from.
#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/experiment.h"
#include "init_spec.h"

namespace initscope {

struct StartWeights {
  std::vector<Eigen::MatrixXf> w;     // layer l: fan_in × fan_out
  std::vector<Eigen::RowVectorXf> b;  // layer l: 1 × fan_out; empty without a bias
};

// The random streams of a column, defined here only: its layer l's weights draw from
// Rng::stream(seed, weight_stream(spec), l), its biases from Rng::stream(seed, weight_stream(spec)
// ^ hash_text("bias"), l); a data stage derives its own from weight_stream(spec) (rbm:
// init_schemes.cpp). Keyed by spec.stream_text(): he_normal:a=0.1 and kaiming_normal:a=0.1 draw
// the same weights.
uint64_t weight_stream(const InitSpec& spec);

// The factor a residual-aware scheme (fixup, gpt2: InitScheme::branch) gives layer `layer`'s
// (1-based) drawn weights in a column with this spec: 0 or 1/√(2L) for the residual blocks, 1
// elsewhere and for every other scheme. draw_start_weights applies it, the theory reads it.
double branch_weight_factor(const Experiment& e, const InitSpec& spec, int layer);

// The activation column spec's init sees for layer `layer` (1-based), its `act`. Schemes that read
// the layer's own activation (InitScheme::layer_activation: auto) get linear for training's
// classifier head (its logits go to the softmax) and the network's activation elsewhere (in a
// residual column too: φ sits inside the blocks). Every other scheme gets the network's
// activation on every layer, the head included — gain=auto, nonlinearity=auto and fixup draw the
// weights they drew before the per-layer activation existed (golden outputs unchanged).
Activation init_activation(const Experiment& e, const InitSpec& spec, int layer);

// One StartWeights per column of e.inits, drawn by the column's init spec (data-driven inits —
// lsuv, rbm — get their random start here and are fitted by the caller with the scheme's stage,
// data_stage.h). Every (column, layer) draws from its own stream (above): adding or reordering
// columns changes no other column's weights, and the draws run in parallel over (column, layer)
// pairs.
// `on_drawn`, when given, runs on the drawing thread right after each (column, layer) is drawn,
// while its weights (1 MB for 500 × 500) are still in the core's cache: Simulation takes their
// moments and packs them there instead of reading all columns' weights again from memory. It
// may take drawn.w[layer] away (leave it empty): a column that only runs forward keeps its
// packed copy alone, and the next layer's draw reuses the freed, cache-warm block instead of
// touching fresh pages (the `compare` preset's 40 MB).
// Throws Cancelled when `cancel` becomes true.
using OnWeightsDrawn = std::function<void(size_t column, int layer, StartWeights& drawn)>;
std::vector<StartWeights> draw_start_weights(const Experiment& e,
                                             const std::atomic<bool>* cancel = nullptr,
                                             const OnWeightsDrawn& on_drawn = {});

}  // namespace initscope
