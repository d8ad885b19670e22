#include "experiment_args.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/file_io.h"
#include "core/presets.h"
#include "export/png_io.h"

namespace initscope {

long long parse_integer(const std::string& option, const std::string& text, long long lo,
                        long long hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || v < lo || v > hi) {
    throw UsageError(option + " '" + text + "': must be an integer from " + std::to_string(lo) +
                     " to " + std::to_string(hi));
  }
  return v;
}

double parse_number(const std::string& option, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < lo || v > hi) {
    char buf[128];
    snprintf(buf, sizeof buf, "must be a number from %g to %g", lo, hi);
    throw UsageError(option + " '" + text + "': " + buf);
  }
  return v;
}

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
  cmd->add_option("--memory-limit", memory_limit,
                  "Refuse experiments needing more memory, in GB (default: half of RAM)");
  cmd->get_option("--preset")->excludes(cmd->get_option("--config"));
}

namespace {
bool ends_with_png(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png";
}
}  // namespace

Experiment load_experiment_file(const std::string& path) {
  std::string text;
  try {
    if (is_png_file(path)) {
      const auto embedded = read_png_experiment(path);
      if (!embedded) {
        throw UsageError("--config '" + path +
                         "': this PNG has no embedded initscope settings (only figures written "
                         "by initscope carry them)");
      }
      text = *embedded;
    } else {
      text = read_file(path);
      if (ends_with_png(path)) {
        throw UsageError("--config '" + path +
                         "': not a PNG file (no PNG signature); allowed: a JSON experiment, a "
                         "stats JSON document, or a PNG written by initscope");
      }
    }
  } catch (const RuntimeError& e) {
    throw UsageError(std::string("--config: ") + e.what());
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports a byte offset; people want line and column.
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 15: <why>";
    // keep only <why>, the location is given once above.
    std::string what = e.what();
    const auto pos = what.find(": ", what.find("parse error"));
    if (pos != std::string::npos) what = what.substr(pos + 2);
    throw UsageError("--config '" + path + "': invalid JSON at line " + std::to_string(line) +
                     ", column " + std::to_string(col) + ": " + what);
  }
  return Experiment::from_json(j, "--config '" + path + "'");
}

Experiment ExperimentArgs::resolve() const {
  Experiment e = !config.empty() ? load_experiment_file(config)
                                 : load_preset(preset.empty() ? default_preset : preset);
  if (layers) e.layers = static_cast<int>(parse_integer("--layers", *layers, 1, 10000));
  if (width) {
    e.widths.clear();
    size_t start = 0;
    while (true) {
      const size_t comma = width->find(',', start);
      const std::string part = width->substr(start, comma - start);
      e.widths.push_back(static_cast<int>(parse_integer("--width", part, 1, 65536)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    // A width change moves the default input dimension with it.
    if (!input_dim) e.input_dim = 0;
  }
  if (input_dim) e.input_dim = static_cast<int>(parse_integer("--input-dim", *input_dim, 1, 65536));
  if (batch) e.batch = static_cast<int>(parse_integer("--batch", *batch, 1, 1000000));
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
  if (seed) e.seed = static_cast<uint64_t>(parse_integer("--seed", *seed, 0, (1LL << 62)));
  if (bins) e.bins = static_cast<int>(parse_integer("--bins", *bins, 1, 10000));
  if (updates) e.updates = static_cast<int>(parse_integer("--updates", *updates, 1, 100000));
  if (gradients) e.gradients = true;
  if (loss) {
    e.loss = *loss;
    e.gradients = true;
  }
  if (memory_limit) e.memory_limit_gb = parse_number("--memory-limit", *memory_limit, 0.001, 1e6);
  e.validate();
  return e;
}

}  // namespace initscope
