#include "experiment.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <thread>

#include "error.h"
#include "json_text.h"
#include "limits.h"

namespace initscope {
namespace {

std::string fmt_bytes(double b) {
  char buf[64];
  if (b >= 1e9) {
    snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  } else if (b >= 1e6) {
    snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  } else {
    snprintf(buf, sizeof buf, "%.0f kB", b / 1e3);
  }
  return buf;
}

}  // namespace

int Experiment::width(int layer) const {
  return widths.size() == 1 ? widths.front() : widths.at(static_cast<size_t>(layer - 1));
}

int Experiment::fan_in(int layer) const {
  return layer == 1 ? resolved_input_dim() : width(layer - 1);
}

std::string Experiment::architecture_text() const {
  if (inits.empty()) return arch == Architecture{} ? "" : arch.summary();
  const Architecture first = column_arch(0);
  for (size_t c = 1; c < inits.size(); ++c)
    if (!(column_arch(c) == first)) return "architecture per column";
  return first == Architecture{} ? "" : first.summary();
}

bool Experiment::all_plain() const {
  for (size_t c = 0; c < inits.size(); ++c)
    if (!column_arch(c).plain()) return false;
  return true;
}

// The rules of engine/architecture.h for every column: input and bias specs carry no
// architecture keys; BatchNorm needs two examples per batch; residual blocks need equal widths
// and at least one block (in training mode the last layer is the classifier head, not a block).
void Experiment::validate_architectures() const {
  if (!input.arch.empty())
    throw UsageError("--input '" + input.text + "': architecture keys (" + kArchitectureKeys +
                     ") apply only to --init columns");
  if (bias && !bias->arch.empty())
    throw UsageError("--bias '" + bias->text + "': architecture keys (" + kArchitectureKeys +
                     ") apply only to --init columns");
  arch.validate();
  for (size_t c = 0; c < inits.size(); ++c) {
    const Architecture a = column_arch(c);
    const std::string who =
        inits[c].arch.empty() ? std::string() : " (column '" + inits[c].text + "')";
    a.validate();
    if (inits[c].scheme != nullptr && inits[c].scheme->branch != BranchRule::None &&
        !a.residual_net()) {
      throw UsageError("--init '" + inits[c].text + "': " + inits[c].scheme->name +
                       " scales residual branches and needs a residual column; allowed: "
                       "--residual pre|post, or residual=pre|post in the spec");
    }
    const int examples = training ? training->batch : batch;
    if (a.norm == NormKind::Batch && examples < 2) {
      throw UsageError(std::string(training ? "--train-batch " : "--batch ") +
                       std::to_string(examples) + who +
                       ": BatchNorm needs at least 2 examples per batch (per-feature statistics "
                       "over the batch); allowed: a batch ≥ 2, or --norm layer|rms|none");
    }
    if (!a.residual_net()) continue;
    const int last_block = training ? layers - 1 : layers;
    if (last_block < 2) {
      throw UsageError("--layers " + std::to_string(layers) + who +
                       ": a residual net needs the input projection (layer 1) and at least one "
                       "block; allowed: --layers ≥ " +
                       std::to_string(training ? 3 : 2));
    }
    for (int l = 2; l <= last_block; ++l) {
      if (width(l) != width(1)) {
        std::string list;
        for (int w : widths) {
          if (!list.empty()) list += ',';
          list += std::to_string(w);
        }
        throw UsageError("--width " + list + who + ": residual blocks need equal widths (layer " +
                         std::to_string(l) + " has " + std::to_string(width(l)) + ", layer 1 " +
                         std::to_string(width(1)) + "); allowed: one width for every layer" +
                         (training ? " but the classifier (the last)" : ""));
      }
    }
  }
}

void Experiment::validate() const {
  limits::kLayers.check(layers);
  if (widths.empty()) throw UsageError("--width: empty; give one width or one per layer");
  if (widths.size() != 1 && widths.size() != static_cast<size_t>(layers)) {
    throw UsageError("--width: " + std::to_string(widths.size()) + " widths given for " +
                     std::to_string(layers) + " layers; give one width or exactly one per layer");
  }
  for (int w : widths) limits::kWidth.check(w);
  limits::kInputDim.check(input_dim);
  limits::kBatch.check(batch);
  limits::kBins.check(bins);
  limits::kUpdates.check(updates);
  if (inits.empty()) throw UsageError("--init: no init given; give at least one --init SPEC");
  if (!limits::kColumns.allows(static_cast<double>(inits.size()))) {
    throw UsageError("--init: " + std::to_string(inits.size()) + " columns; the count must be " +
                     limits::kColumns.range_text());
  }
  if (input.scheme == nullptr || input.scheme->fan_based) {
    throw UsageError("--input '" + input.text +
                     "': not a distribution; allowed: zeros, ones, constant, uniform, normal, "
                     "trunc_normal");
  }
  if (bias && (bias->scheme == nullptr || bias->scheme->fan_based)) {
    throw UsageError("--bias '" + bias->text +
                     "': not a distribution; allowed: none, zeros, ones, constant, uniform, "
                     "normal, trunc_normal");
  }
  if (loss != "sum" && loss != "mse" && loss != "xent") {
    throw UsageError("--loss '" + loss + "': allowed: sum, mse, xent");
  }
  if (training) training->validate();
  validate_architectures();
  if (!(memory_limit_gb >= 0) || !std::isfinite(memory_limit_gb)) {
    throw UsageError("--memory-limit " + std::to_string(memory_limit_gb) +
                     ": must be a number of GB ≥ 0 (0 = half of physical RAM)");
  }
}

double Experiment::memory_bytes() const {
  // Per column: Σ fan_in·fan_out weights (+ biases), twice: as drawn and packed for the
  // forward pass's kernel. Shared: X (B×d0) and its packed copy, Z and two A buffers
  // (B×max width), all float.
  double weights = 0, biases = 0;
  int max_w = resolved_input_dim();
  for (int l = 1; l <= layers; ++l) {
    weights += static_cast<double>(fan_in(l)) * width(l);
    biases += width(l);
    max_w = std::max(max_w, width(l));
  }
  // With gradients: Z and A of every layer are kept for the backward pass, plus dZ, dA and
  // one dW buffer (reused across layers and columns).
  double units = 0, max_weights = 0;
  for (int l = 1; l <= layers; ++l) {
    units += width(l);
    max_weights = std::max(max_weights, static_cast<double>(fan_in(l)) * width(l));
  }
  const double columns = static_cast<double>(inits.size());
  const double threads = std::max(1u, std::thread::hardware_concurrency());
  // Drawing the start weights (draw_start_weights: up to `threads` (column, layer) pairs at a
  // time): `orthogonal` QRs a max×min Gaussian in double — the Gaussian, the QR's factors, Q
  // and the product's temporary, 4 × 8 B per weight — next to the weights already drawn.
  // (Issue 11: without this term an orthogonal run was estimated 2.2 GB and peaked above 3 GB.)
  double draw = 0;
  for (const InitSpec& s : inits)
    if (s.scheme != nullptr && s.scheme->name == "orthogonal")
      draw = 4 * sizeof(double) * max_weights * std::min(threads, columns * layers);
  if (training) {
    // Per column: the weights and biases (training always has them), the optimizer's state
    // and one gradient per mini-batch shard; each shard's pass keeps Z, A and dL/dA of every
    // layer for its rows (all shards: the mini-batch's). Evaluation: per thread a chunk of
    // 1,000 test images through Z and A; the probe batch likewise. (Issue 11: `train --width
    // 4096,4096,10` peaked at 1,016 MB where the simulation's formula said 482 MB.)
    const TrainingConfig& t = *training;
    const double params = weights + biases;
    const double per_col = params * (1.0 + t.optimizer_slots() + t.shards()) +
                           static_cast<double>(t.batch) * (3.0 * units + max_w);
    double eval = threads * 1000.0 * (resolved_input_dim() + 2.0 * units);
    double probe = static_cast<double>(batch) * (resolved_input_dim() + 3.0 * units);
    // Issue 13: a column with a norm or a residual runs the block network, whose passes keep
    // more per layer — z, normed, φ, branch, sum and out (≤ 6 B×n, of which Z, A and dL/dA are
    // counted above) — plus a column-major copy of its rows, and the backward's scratch (about
    // 6 B×max width); γ, β, the running moments and their optimizer state and gradients per
    // unit. Evaluation then keeps a ring of two layers of those buffers per thread and a copy
    // of the chunk, and the probe a block pass of its own.
    double extra = 0;
    bool any_block = false;
    for (size_t c = 0; c < inits.size(); ++c) {
      if (column_arch(c).plain()) continue;
      any_block = true;
      extra += static_cast<double>(t.batch) * (3.0 * units + resolved_input_dim() + 6.0 * max_w) +
               units * (4.0 + 2.0 * (t.optimizer_slots() + t.shards()));
    }
    if (any_block) {
      eval += threads * 1000.0 * (resolved_input_dim() + 12.0 * max_w);
      probe += static_cast<double>(batch) * (resolved_input_dim() + 6.0 * units + 6.0 * max_w);
    }
    return (columns * per_col + extra + eval + probe) * sizeof(float) + draw;
  }
  const double per_column = 2 * (weights + (bias ? biases : 0)) * sizeof(float);
  // Without gradients every core may run whole columns, each with its own forward buffers.
  const double passes = gradients ? 1 : std::max(1.0, std::min(threads, columns));
  if (!all_plain()) {
    return per_column * columns + block_engine_buffer_bytes(passes) + draw;
  }
  const double buffers =
      (static_cast<double>(batch) *
           (resolved_input_dim() + passes * (resolved_input_dim() + 3.0 * max_w) +
            (gradients ? 2.0 * units + 2.0 * max_w : 0)) +
       (gradients ? max_weights : 0)) *
      sizeof(float);
  return per_column * columns + buffers + draw;
}

// The block engine (engine/block_stats.h): per thread running columns (`passes`), the values of
// every layer with gradients (BlockNet::forward keep_all) or of two layers (a ring) without:
// z and out, + the norm's output, + the branch's input φ(·) and α·z in blocks, + the sum
// s = x + r of post-norm blocks — the most any column's architecture keeps, B × width each.
// With gradients: dL/dW of every layer (BlockNet::Grads) and six B × max-width buffers of the
// backward pass (d, d_z, d_h, d_p, d_x, φ'). Shared: X (B × d0). Norm parameters (γ, β, running
// moments: 4 per unit) are per column.
double Experiment::block_engine_buffer_bytes(double passes) const {
  double kept_per_unit = 2;
  for (size_t c = 0; c < inits.size(); ++c) {
    const Architecture a = column_arch(c);
    const bool norm = a.norm != NormKind::None;
    const double k = 2.0 + (norm ? 1 : 0) + (a.residual_net() ? 2 : 0) +
                     (a.residual == ResidualKind::Post && norm ? 1 : 0);
    kept_per_unit = std::max(kept_per_unit, k);
  }
  double units = 0, weights = 0;
  int max_w = resolved_input_dim();
  for (int l = 1; l <= layers; ++l) {
    units += width(l);
    weights += static_cast<double>(fan_in(l)) * width(l);
    max_w = std::max(max_w, width(l));
  }
  const double B = static_cast<double>(batch);
  const double kept = gradients ? kept_per_unit * B * units : kept_per_unit * B * 2.0 * max_w;
  const double backward = gradients ? weights + 6.0 * B * max_w : 0;
  const double norm_params = 4.0 * units * static_cast<double>(inits.size());
  return (B * resolved_input_dim() + passes * (kept + backward) + norm_params) * sizeof(float);
}

double Experiment::memory_limit_bytes() const {
  if (memory_limit_gb > 0) return memory_limit_gb * 1e9;
  const double pages = static_cast<double>(sysconf(_SC_PHYS_PAGES));
  const double page = static_cast<double>(sysconf(_SC_PAGE_SIZE));
  return pages * page / 2;
}

void Experiment::check_memory(double resident_bytes) const {
  const double need = memory_bytes() + resident_bytes, limit = memory_limit_bytes();
  if (need > limit) {
    throw RuntimeError("this experiment needs about " + fmt_bytes(need) +
                       " of memory, over the limit of " + fmt_bytes(limit) +
                       "; make it smaller or raise the limit with --memory-limit GB");
  }
}

std::string Experiment::summary() const {
  std::ostringstream s;
  s << activation.name() << ", " << layers << " layers × ";
  if (widths.size() == 1) {
    s << widths.front();
  } else {
    s << "[" << widths.front() << "…" << widths.back() << "]";
  }
  if (const std::string a = architecture_text(); !a.empty()) s << ", " << a;
  s << ", batch " << batch;
  if (bias) s << ", bias " << bias->text;
  if (input.text != "normal:std=1") s << ", input " << input.text;
  s << ", seed " << seed;
  if (updates > 1) s << ", " << updates << " batches";
  return s.str();
}

nlohmann::ordered_json Experiment::to_json() const {
  nlohmann::ordered_json j;
  j["preset"] = preset;
  j["title"] = title;
  j["narrative"] = narrative;
  j["layers"] = layers;
  if (widths.size() == 1) {
    j["width"] = widths.front();
  } else {
    j["width"] = widths;
  }
  j["input_dim"] = resolved_input_dim();
  j["batch"] = batch;
  j["activation"] = activation.name();
  j["bias"] = bias ? nlohmann::ordered_json(bias->text) : nlohmann::ordered_json(nullptr);
  j["input"] = input.text;
  j["seed"] = seed;
  j["bins"] = bins;
  j["updates"] = updates;
  j["gradients"] = gradients;
  j["loss"] = loss;
  nlohmann::ordered_json inits_json = nlohmann::ordered_json::array();
  for (const auto& s : inits) inits_json.push_back(s.text);
  j["inits"] = inits_json;
  j["norm"] = norm_name(arch.norm);
  j["norm_gain"] = arch.norm_gain;
  j["residual"] = residual_name(arch.residual);
  j["residual_scale"] = arch.scale.text();
  if (training) j["training"] = training->to_json();
  if (gan) j["gan"] = gan->to_json();
  return j;
}

namespace {

// Reads an integer field with a message naming the file and the key.
long long get_int(const nlohmann::json& v, const std::string& source, const std::string& key) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::abs(d) < 9e15) return static_cast<long long>(d);
  }
  throw UsageError(source + ": \"" + key + "\" is " + json_excerpt(v) + "; must be an integer");
}

std::string get_string(const nlohmann::json& v, const std::string& source, const std::string& key) {
  if (!v.is_string()) {
    throw UsageError(source + ": \"" + key + "\" is " + json_excerpt(v) + "; must be a string");
  }
  return v.get<std::string>();
}

}  // namespace

Experiment Experiment::from_json(const nlohmann::json& j_in, const std::string& source) {
  const nlohmann::json& j = (j_in.is_object() && j_in.contains("config")) ? j_in["config"] : j_in;
  if (!j.is_object()) throw UsageError(source + ": must hold a JSON object (an experiment)");
  Experiment e;
  const std::string ctx = source + ": ";
  for (const auto& [key, v] : j.items()) {
    const std::string opt = source + " \"" + key + "\"";
    if (key == "preset") {
      e.preset = get_string(v, source, key);
    } else if (key == "title") {
      e.title = get_string(v, source, key);
    } else if (key == "narrative") {
      e.narrative = get_string(v, source, key);
    } else if (key == "order") {
      get_int(v, source, key);  // menu position of a preset; not part of the experiment
    } else if (key == "layers") {
      e.layers = static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30));
    } else if (key == "width") {
      e.widths.clear();
      if (v.is_array()) {
        for (const auto& w : v) {
          e.widths.push_back(
              static_cast<int>(std::clamp(get_int(w, source, key), -1LL, 1LL << 30)));
        }
      } else {
        e.widths.push_back(static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30)));
      }
    } else if (key == "input_dim") {
      e.input_dim = static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30));
    } else if (key == "batch") {
      e.batch = static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30));
    } else if (key == "activation") {
      e.activation = Activation::parse(get_string(v, source, key), opt);
    } else if (key == "bias") {
      if (v.is_null() || (v.is_string() && v.get<std::string>() == "none")) {
        e.bias.reset();
      } else {
        e.bias = InitSpec::parse(get_string(v, source, key), opt);
      }
    } else if (key == "input") {
      e.input = InitSpec::parse(get_string(v, source, key), opt);
    } else if (key == "seed") {
      if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0)) {
        throw UsageError(ctx + "\"seed\" is " + json_excerpt(v) + "; must be an integer ≥ 0");
      }
      e.seed = v.get<uint64_t>();
    } else if (key == "bins") {
      e.bins = static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30));
    } else if (key == "updates") {
      e.updates = static_cast<int>(std::clamp(get_int(v, source, key), -1LL, 1LL << 30));
    } else if (key == "gradients") {
      if (!v.is_boolean()) throw UsageError(ctx + "\"gradients\" must be true or false");
      e.gradients = v.get<bool>();
    } else if (key == "loss") {
      e.loss = get_string(v, source, key);
    } else if (key == "inits") {
      if (!v.is_array()) throw UsageError(ctx + "\"inits\" must be a list of init specs");
      e.inits.clear();
      for (const auto& s : v) e.inits.push_back(InitSpec::parse(get_string(s, source, key), opt));
    } else if (key == "norm") {
      e.arch.norm = parse_norm(get_string(v, source, key), opt);
    } else if (key == "norm_gain") {
      if (!v.is_number())
        throw UsageError(ctx + "\"norm_gain\" is " + json_excerpt(v) + "; must be a number");
      e.arch.norm_gain = v.get<double>();
    } else if (key == "residual") {
      e.arch.residual = parse_residual(get_string(v, source, key), opt);
    } else if (key == "residual_scale") {
      e.arch.scale = ResidualScale::parse(
          v.is_number() ? std::to_string(v.get<double>()) : get_string(v, source, key), opt);
    } else if (key == "training") {
      e.training = TrainingConfig::from_json(v, source);
    } else if (key == "gan") {
      e.gan = GanConfig::from_json(v, source);
    } else {
      throw UsageError(
          ctx + "unknown key \"" + key +
          "\"; allowed: preset, title, narrative, layers, width, input_dim, batch, "
          "activation, bias, input, seed, bins, updates, gradients, loss, inits, norm, "
          "norm_gain, residual, residual_scale, training, gan");
    }
  }
  try {
    e.validate();
  } catch (const UsageError& err) {
    throw UsageError(ctx + err.what());
  }
  if (e.input_dim == e.widths.front()) e.input_dim = 0;  // resolved default, kept implicit
  return e;
}

}  // namespace initscope
