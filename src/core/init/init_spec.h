#pragma once
// Init specs: `NAME[:key=value[,key=value...]]`, one grammar for the CLI, config
// files and the GUI. The scheme table (InitScheme, init_schemes.cpp) is the single source of
// names, aliases, parameters, defaults, allowed values, formulas, samplers and data stages.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/activation.h"
#include "core/engine/architecture.h"
#include "core/rng.h"

namespace initscope {

struct ParamDef {
  enum class Kind { Number, Choice };
  std::string name;
  Kind kind = Kind::Number;
  std::string default_value;         // text, as a user would write it ("1", "fan_in", "auto")
  std::vector<std::string> choices;  // Kind::Choice: allowed words
  double min = -1e300, max = 1e300;  // Kind::Number: allowed closed range
  bool allow_auto = false;           // Kind::Number: "auto" = gain of the network's activation
  bool min_exclusive = false;        // Kind::Number: value must be > min
  std::string help;
  bool max_exclusive = false;  // Kind::Number: value must be < max
};

struct InitSpec;
struct WeightDistribution;  // init_distribution.h
struct DataStage;           // data_stage.h

// What a scheme does to the weights of residual branches (the blocks after the projection,
// engine/architecture.h); applied by draw_start_weights after the scheme's draw.
enum class BranchRule {
  None,       // every layer as drawn
  Zero,       // fixup: the branch's last layer (here its only one) is zero
  InvSqrt2L,  // gpt2: the branch's projection scaled by 1/√(2L), L blocks
};

// One init scheme, all of it: adding a scheme is one entry in init_schemes.cpp (plus its test).
// The names are compared nowhere else.
struct InitScheme {
  std::string name{};                  // canonical name, e.g. "kaiming_normal"
  std::vector<std::string> aliases{};  // e.g. "he_normal": the same scheme, the same weights
  std::string title{};                 // "He / Kaiming normal"
  std::string formula{};               // "W ~ N(0, std²), std = gain / √fan" (listings, the UI)
  std::vector<ParamDef> params{};
  bool fan_based = true;  // depends on fan_in / fan_out (not allowed for inputs/bias)
  // The sampler: W's distribution (fan_in × fan_out) for a layer of these sizes, drawn by its
  // family (init_sampling.cpp). The mean-field theory's σ_w² = Var(W)·fan_in is this
  // distribution's variance (weight_std), NaN where it has none (eye).
  WeightDistribution (*distribution)(const InitSpec& spec, int fan_in, int fan_out,
                                     const Activation& act) = nullptr;
  // Rules that involve two parameters: "needs a <= b, got …; allowed: a <= b", or "" when met.
  std::string (*check)(const InitSpec& spec) = nullptr;
  // The data-driven stage after the random start (LSUV, RBM pretraining); null for none.
  const DataStage* stage = nullptr;
  // Residual-aware schemes (fixup, gpt2): the rule for the blocks' weights. Such a scheme needs
  // a residual column (Experiment::validate).
  BranchRule branch = BranchRule::None;
  // Reads the activation after the layer it draws (auto), not the network's: the `act` its
  // distribution() gets is init_activation(e, spec, layer) (start_weights.h) — linear for the
  // training classifier's head. Every other scheme sees the network's activation on every layer
  // (gain=auto, nonlinearity=auto, fixup), the head included, as it always did.
  bool layer_activation = false;
  // The factor the rule gives a block's weights (0, 1/√(2L) or 1) for L blocks.
  double branch_factor(int blocks) const;
};

const std::vector<InitScheme>& init_schemes();
const InitScheme* find_init_scheme(const std::string& name_or_alias);

// A parsed, validated spec. `text` is exactly as given; `values` holds every parameter of the
// scheme (defaults filled in) as text; numbers are validated on parse.
struct InitSpec {
  std::string text;
  const InitScheme* scheme = nullptr;
  std::map<std::string, std::string> values;
  std::vector<std::string> given;  // the keys written in `text`, in the table's order
  // A column's architecture keys (norm=…, residual=…, …), kept apart from the scheme's: they
  // change no weight and no stream (stream_text() does not see them). Only --init columns
  // may carry them (Experiment::validate).
  ArchitectureOverrides arch;

  // Throws UsageError: "--init 'normal:sd=1': unknown key 'sd' for normal; allowed: mean, std".
  static InitSpec parse(const std::string& text, const std::string& option = "--init");
  std::string canonical() const;  // "kaiming_normal:a=0,mode=fan_in,nonlinearity=leaky_relu"
  // The spec the random streams are keyed by (start_weights.h): the canonical name and the
  // parameters written, in the table's order, without blanks — "he_normal: mode=fan_out, a=0.1"
  // → "kaiming_normal:a=0.1,mode=fan_out". Aliases and reorderings draw the same weights; the
  // defaults are not filled in, so every spec written with the canonical name ("normal:std=1",
  // "xavier_normal") keeps the stream it had when streams were keyed by the text.
  std::string stream_text() const;
  double number(const std::string& key, const Activation& act) const;  // resolves "auto"
  const std::string& choice(const std::string& key) const;
};

// The same into n floats.
void fill_values(const InitSpec& spec, float* out, size_t n, Rng& rng);

// The standard deviation the scheme gives W for these sizes (the theory; e.g. He normal
// √(2/fan_in)). NaN where it has no single std (orthogonal's is 1/√max(fan), eye, ...).
double weight_std(const InitSpec& spec, int fan_in, int fan_out, const Activation& act);
// One line with the numbers filled in: "He normal: W ~ N(0, 2/fan_in), std 0.0632".
std::string describe(const InitSpec& spec, int fan_in, int fan_out, const Activation& act);

// Standard normal CDF and its inverse (to ~1e-15), used by trunc_normal and tests.
double normal_cdf(double x);
double normal_quantile(double p);

}  // namespace initscope
