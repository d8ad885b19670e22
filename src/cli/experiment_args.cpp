#include "experiment_args.h"

#include "core/config_file.h"
#include "core/engine/architecture.h"
#include "core/error.h"
#include "core/experiment_heading.h"
#include "core/limits.h"
#include "core/presets.h"

namespace initscope {

void ExperimentArgs::add_to(CLI::App* cmd) {
  cmd->add_option("--preset", preset, "Start from a preset (see `initscope presets`)");
  cmd->add_option(
      "--config", config,
      "Start from a config: preset-style JSON, `stats` JSON, or a PNG made by initscope");
  cmd->add_option("--layers", layers, "Depth L (1-10000)");
  cmd->add_option("--width", width, "Width of every layer, or one per layer: 500 or 500,400,300");
  cmd->add_option("--input-dim", input_dim, "Input dimension d0 (default: the first width)");
  cmd->add_option("--batch", batch, "Batch size B");
  cmd->add_option("--activation", activation,
                  "tanh sigmoid relu leaky_relu[:slope=S] linear elu selu gelu softplus swish");
  cmd->add_option("--init", inits, "Init spec, one per compared column (repeatable)");
  cmd->add_option("--bias", bias, "Bias init spec, or none (default none)");
  cmd->add_option("--input", input, "Input distribution spec (default normal:std=1)");
  cmd->add_option("--seed", seed, "Random seed");
  cmd->add_option("--bins", bins, "Histogram bins");
  cmd->add_option("--updates", updates, "Batches whose statistics are accumulated");
  cmd->add_flag("--grad", gradients, "Also back-propagate: dL/dA, dL/dW, gradient norms per layer");
  cmd->add_option("--loss", loss, "Loss for --grad: sum (default), mse or xent (implies --grad)");
  cmd->add_option("--norm", norm,
                  "Normalization after each linear layer: none (default), batch (per feature "
                  "over the batch), layer or rms (per example); gamma = --norm-gain, beta = 0, "
                  "eps = 1e-5");
  cmd->add_option("--norm-gain", norm_gain, "The norm's gamma at init (default 1; 0: zero-gamma)");
  cmd->add_option("--residual", residual,
                  "none (default, a plain stack), pre (x + a*(phi(norm(x))W + b)) or post "
                  "(norm(x + a*(phi(x)W + b))); layer 1 is a linear projection, the L = layers-1 "
                  "blocks after it need equal widths");
  cmd->add_option("--residual-scale", residual_scale,
                  "The branch's scale a: a number (default 1), 1/sqrt(L), or 0 (SkipInit: the "
                  "identity stream). A column's --init may override these: "
                  "'normal:std=0.02,norm=layer,residual=pre,scale=1/sqrt(L),norm_gain=0'");
  cmd->add_option("--memory-limit", memory_limit,
                  "Refuse experiments needing more memory, in GB (default: half of RAM)");
  cmd->get_option("--preset")->excludes(cmd->get_option("--config"));
  // Given but empty is a mistake (a shell variable that was not set), not "the default".
  const auto not_empty = [](const std::string& what) {
    return CLI::Validator(
        [what](std::string& v) { return v.empty() ? "empty; give " + what : std::string(); }, "");
  };
  cmd->get_option("--preset")->check(not_empty("a preset name (see `initscope presets`)"));
  cmd->get_option("--config")
      ->check(not_empty("a JSON experiment, a stats JSON document or a PNG from initscope"));
}

Experiment ExperimentArgs::resolve() const {
  const Experiment base = !config.empty() ? load_experiment_file(config, "--config")
                                          : load_preset(preset.empty() ? default_preset : preset);
  Experiment e = base;
  const auto as_int = [](const Limit& limit, const std::string& text) {
    return static_cast<int>(limit.parse_int(text));
  };
  if (layers) e.layers = as_int(limits::kLayers, *layers);
  if (width) {
    e.widths = parse_widths(*width);
    // A width change moves the default input dimension with it.
    if (!input_dim) e.input_dim = 0;
  }
  if (input_dim) e.input_dim = as_int(limits::kInputDim, *input_dim);
  if (batch) e.batch = as_int(limits::kBatch, *batch);
  if (activation) e.activation = Activation::parse(*activation, "--activation");
  if (!inits.empty()) {
    e.inits.clear();
    for (const auto& s : inits) e.inits.push_back(InitSpec::parse(s, "--init"));
  }
  if (bias) {
    if (*bias == "none") {
      e.bias.reset();
    } else {
      e.bias = InitSpec::parse(*bias, "--bias");
    }
  }
  if (input) e.input = InitSpec::parse(*input, "--input");
  if (seed) e.seed = static_cast<uint64_t>(limits::kSeed.parse_int(*seed));
  if (bins) e.bins = as_int(limits::kBins, *bins);
  if (updates) e.updates = as_int(limits::kUpdates, *updates);
  if (gradients) e.gradients = true;
  if (loss) {
    e.loss = *loss;
    e.gradients = true;
  }
  if (norm) e.arch.norm = parse_norm(*norm, "--norm");
  if (norm_gain) e.arch.norm_gain = parse_number("--norm-gain", *norm_gain, -1e6, 1e6);
  if (residual) e.arch.residual = parse_residual(*residual, "--residual");
  if (residual_scale) e.arch.scale = ResidualScale::parse(*residual_scale, "--residual-scale");
  if (memory_limit) e.memory_limit_gb = limits::kMemoryLimitGb.parse(*memory_limit);
  e.validate();
  return without_stale_heading(base, std::move(e));
}

bool ExperimentArgs::any_given() const {
  return !preset.empty() || !config.empty() || layers || width || input_dim || batch ||
         activation || bias || input || seed || bins || updates || memory_limit || !inits.empty() ||
         gradients || loss || norm || norm_gain || residual || residual_scale;
}

}  // namespace initscope
