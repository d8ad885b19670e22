// Matrices with structure, not i.i.d. entries (eye, sparse), and the data-driven schemes: their
// random starts and the stages that fit them to data (LSUV, RBM pretraining; data_stage.h).
#include <string>

#include "core/rng.h"
#include "init_samplers.h"
#include "lsuv.h"
#include "rbm.h"
#include "start_weights.h"

namespace initscope::samplers {

WeightDistribution eye(const InitSpec&, int, int, const Activation&) {
  WeightDistribution d;
  d.family = Family::Eye;
  return d;
}

WeightDistribution sparse(const InitSpec& spec, int, int, const Activation& act) {
  WeightDistribution d;
  d.family = Family::Sparse;
  d.sparsity = spec.number("sparsity", act);
  d.std = spec.number("std", act);
  return d;
}

// LSUV's random start; the rescaling is its data stage.
WeightDistribution lsuv_start(const InitSpec&, int, int, const Activation&) {
  return orthogonal_with_gain(1.0);
}

// RBM's random start; the pretraining is its data stage.
WeightDistribution rbm_start(const InitSpec& spec, int, int, const Activation& act) {
  return normal_std(spec.number("std", act));
}

namespace {

void lsuv_fit(const InitSpec& spec, const Activation& act, const StageData& data,
              StartWeights& start, StageOutcome& outcome) {
  outcome.lsuv_rounds = lsuv_scale(start.w, start.b, *data.batch, act, spec.number("tol", act),
                                   static_cast<int>(spec.number("max_iter", act)));
}

std::string lsuv_describe(const InitSpec& spec) {
  return ", then rescaled until |Var(Z) − 1| ≤ " + spec.values.at("tol") + " (at most " +
         spec.values.at("max_iter") + " rounds per layer)";
}

// The pretraining's stream: Rng::stream(seed, weight_stream(spec) ^ this, layer).
const uint64_t kRbmStream = hash_text("rbm pretraining");

void rbm_fit(const InitSpec& spec, const Activation&, const StageData& data, StartWeights& start,
             StageOutcome& outcome) {
  outcome.reconstruction = pretrain_rbm_stack(
      start.w, start.b.empty() ? nullptr : &start.b, data.pretrained_layers, data.examples,
      RbmSettings::from_spec(spec), data.seed, weight_stream(spec) ^ kRbmStream, data.cancel);
}

std::string rbm_describe(const InitSpec& spec) {
  return ", then pretrained layer by layer as RBMs (CD-1, " + spec.values.at("epochs") +
         " epoch(s), lr " + spec.values.at("lr") + ", batch " + spec.values.at("batch") + ")";
}

}  // namespace

const DataStage kLsuvStage{lsuv_fit, lsuv_describe, ""};

const DataStage kRbmStage{
    rbm_fit, rbm_describe,
    "learns its weights from data (RBM pretraining); the prediction is for its starting "
    "N(0, std²)"};

}  // namespace initscope::samplers
