#include "gan_config.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "core/training/image_dataset.h"

namespace initscope {
namespace {

long long gan_json_int(const nlohmann::json& v, const std::string& ctx, const std::string& key) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::abs(d) < 9e15) return static_cast<long long>(d);
  }
  throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be an integer");
}

double gan_json_number(const nlohmann::json& v, const std::string& ctx, const std::string& key) {
  if (!v.is_number())
    throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be a number");
  return v.get<double>();
}

std::string gan_json_string(const nlohmann::json& v, const std::string& ctx,
                            const std::string& key) {
  if (!v.is_string())
    throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be a string");
  return v.get<std::string>();
}

int gan_clamp_int(long long v) {
  return static_cast<int>(std::clamp(v, -1LL, 1LL << 30));
}

// "256,512,1024" from a JSON array of integers.
std::string gan_widths_text(const nlohmann::json& v, const std::string& ctx,
                            const std::string& key) {
  if (!v.is_array()) {
    throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) +
                     "; must be an array of widths, like [256, 512]");
  }
  std::string text;
  for (const auto& x : v) {
    if (!text.empty()) text += ',';
    text += std::to_string(gan_json_int(x, ctx, key));
  }
  return text;
}

void check_gan_widths(const char* option, const std::vector<int>& widths) {
  if (widths.empty()) {
    throw UsageError(std::string(option) + ": no hidden layer; give " +
                     limits::kGanHiddenLayers.range_text() + " widths, like 512,256");
  }
  if (!limits::kGanHiddenLayers.allows(static_cast<double>(widths.size()))) {
    throw UsageError(std::string(option) + ": " + std::to_string(widths.size()) +
                     " hidden layers; allowed: " + limits::kGanHiddenLayers.range_text());
  }
  for (int w : widths) {
    if (!limits::kWidth.allows(w)) {
      throw UsageError(std::string(option) + ": width " + std::to_string(w) + " must be " +
                       limits::kWidth.range_text());
    }
  }
}

}  // namespace

std::vector<int> parse_gan_widths(const std::string& option, const std::string& text) {
  std::vector<int> out = parse_widths(text, option, "give the hidden widths, like 512,256");
  check_gan_widths(option.c_str(), out);
  return out;
}

std::vector<InitSpec> GanConfig::default_inits() {
  std::vector<InitSpec> out{InitSpec::parse("torch_linear_default")};
  // `auto` comes with the quality measure's branch; until then He for LeakyReLU(0.2).
  out.push_back(find_init_scheme("auto") ? InitSpec::parse("auto")
                                         : InitSpec::parse("kaiming_normal:a=0.2"));
  out.push_back(InitSpec::parse("normal:std=0.02"));
  out.push_back(InitSpec::parse("normal:std=1"));
  return out;
}

std::string GanConfig::resolved_data() const {
  return data.empty() ? std::string(kFashionMnistDir) : data;
}

void GanConfig::validate() const {
  limits::kGanLatent.check(latent);
  check_gan_widths("--g-layers", g_hidden);
  check_gan_widths("--d-layers", d_hidden);
  if (optimizer.kind != OptimizerKind::Adam) {
    throw UsageError("optimizer '" + optimizer.name() + "': the GAN trains with adam only");
  }
  limits::kLearningRate.check(optimizer.lr);
  limits::kBeta1.check(optimizer.beta1);
  limits::kBeta2.check(optimizer.beta2);
  if (!(optimizer.eps > 0 && optimizer.eps <= 1)) {
    throw UsageError("eps " + std::to_string(optimizer.eps) + ": must be a number > 0 and ≤ 1");
  }
  limits::kGanBatch.check(batch);
  limits::kGanDSteps.check(d_steps);
  limits::kEpochs.check(epochs);
  limits::kTrainLimit.check(train_limit);
  if (train_limit != 0 && train_limit < batch * d_steps) {
    throw UsageError("--train-limit " + std::to_string(train_limit) +
                     ": fewer images than one G step takes (--batch × --d-steps = " +
                     std::to_string(batch * d_steps) + "); use 0 (all) or at least that");
  }
  limits::kLogEvery.check(log_every);
  limits::kGanSamples.check(samples);
  limits::kGanQualitySamples.check(quality_samples);
  limits::kSeed.check(static_cast<double>(seed));
  limits::kBins.check(bins);
  if (memory_limit_gb != 0) limits::kMemoryLimitGb.check(memory_limit_gb);
  if (inits.empty()) throw UsageError("--init: no column; give at least one init spec");
  limits::kColumns.check(static_cast<double>(inits.size()));
  for (const InitSpec& spec : inits) {
    const char* why = spec.scheme->stage ? "data-driven (fitted to a network's inputs)"
                      : spec.scheme->branch != BranchRule::None ? "for residual networks only"
                      : !spec.arch.empty() ? "architecture keys (the GAN's networks are plain MLPs)"
                                           : nullptr;
    if (why) {
      throw UsageError("--init '" + spec.text + "': " + why +
                       "; the GAN takes the random schemes (see `initscope inits`)");
    }
  }
}

double GanConfig::memory_bytes() const {
  const double image = 784;  // Fashion-MNIST; a larger --data set is counted as resident data
  const double b = batch;
  auto params = [](double in, const std::vector<int>& hidden, double out) {
    double n = 0, prev = in;
    for (int w : hidden) n += (prev + 1) * w, prev = w;
    return n + (prev + 1) * out;
  };
  auto activations = [](double in, const std::vector<int>& hidden, double out) {
    double n = in;
    for (int w : hidden) n += w;
    return n + out;
  };
  const double g = params(latent, g_hidden, image), d = params(image, d_hidden, 1);
  // Weights, gradients, Adam's m and v; Z, A, dL/dA per layer for G (B rows) and D (2B rows).
  const double per_column =
      4 * (g + d) + 3 * b * activations(latent, g_hidden, image) +
      3 * 2 * b * activations(image, d_hidden, 1) + samples * image +  // the sample grid
      // the quality fakes and G's pass on one chunk of their noise
      quality_samples * image +
      3 * std::min(quality_samples, 256) * activations(latent, g_hidden, image);
  const double shared =
      (std::max(samples, batch) + quality_samples) * double(latent) + 2 * b * (image + latent);
  return 4 * (per_column * double(inits.size()) + shared);
}

void GanConfig::check_memory(double resident_bytes) const {
  const double need = memory_bytes() + resident_bytes;
  const double limit = memory_limit_gb > 0 ? memory_limit_gb * 1e9
                                           : static_cast<double>(sysconf(_SC_PHYS_PAGES)) *
                                                 static_cast<double>(sysconf(_SC_PAGE_SIZE)) / 2;
  if (need > limit) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "this GAN needs about %.1f MB of memory, over the limit of %.1f MB; make it "
                  "smaller or raise the limit with --memory-limit GB",
                  need / 1e6, limit / 1e6);
    throw RuntimeError(buf);
  }
}

nlohmann::ordered_json GanConfig::to_json() const {
  nlohmann::ordered_json j;
  j["data"] = resolved_data();
  j["latent"] = latent;
  j["g_layers"] = g_hidden;
  j["d_layers"] = d_hidden;
  j["activation"] = hidden_activation.name();
  j["lr"] = optimizer.lr;
  j["beta1"] = optimizer.beta1;
  j["beta2"] = optimizer.beta2;
  j["eps"] = optimizer.eps;
  j["batch"] = batch;
  j["d_steps"] = d_steps;
  j["epochs"] = epochs;
  j["train_limit"] = train_limit;
  j["log_every"] = log_every;
  j["samples"] = samples;
  j["quality_samples"] = quality_samples;
  j["seed"] = seed;
  j["bins"] = bins;
  j["inits"] = nlohmann::ordered_json::array();
  for (const InitSpec& s : inits) j["inits"].push_back(s.text);
  return j;
}

GanConfig GanConfig::from_json(const nlohmann::json& j, const std::string& source) {
  const std::string ctx = source + " \"config\": ";
  if (!j.is_object()) throw UsageError(ctx + "must be an object");
  GanConfig c;
  c.inits.clear();
  for (const auto& [key, v] : j.items()) {
    if (key == "data") {
      c.data = gan_json_string(v, ctx, key);
    } else if (key == "latent") {
      c.latent = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "g_layers") {
      c.g_hidden = parse_gan_widths(ctx + "\"g_layers\"", gan_widths_text(v, ctx, key));
    } else if (key == "d_layers") {
      c.d_hidden = parse_gan_widths(ctx + "\"d_layers\"", gan_widths_text(v, ctx, key));
    } else if (key == "activation") {
      c.hidden_activation = Activation::parse(gan_json_string(v, ctx, key), ctx + "\"activation\"");
    } else if (key == "lr") {
      c.optimizer.lr = gan_json_number(v, ctx, key);
    } else if (key == "beta1") {
      c.optimizer.beta1 = gan_json_number(v, ctx, key);
    } else if (key == "beta2") {
      c.optimizer.beta2 = gan_json_number(v, ctx, key);
    } else if (key == "eps") {
      c.optimizer.eps = gan_json_number(v, ctx, key);
    } else if (key == "batch") {
      c.batch = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "d_steps") {
      c.d_steps = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "epochs") {
      c.epochs = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "train_limit") {
      c.train_limit = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "log_every") {
      c.log_every = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "samples") {
      c.samples = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "quality_samples") {
      c.quality_samples = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "seed") {
      const long long s = gan_json_int(v, ctx, key);
      limits::kSeed.check(static_cast<double>(s));
      c.seed = static_cast<uint64_t>(s);
    } else if (key == "bins") {
      c.bins = gan_clamp_int(gan_json_int(v, ctx, key));
    } else if (key == "inits") {
      if (!v.is_array()) throw UsageError(ctx + "\"inits\" must be an array of init specs");
      for (const auto& s : v) c.inits.push_back(InitSpec::parse(gan_json_string(s, ctx, key)));
    } else {
      throw UsageError(ctx + "unknown key \"" + key +
                       "\"; allowed: data, latent, g_layers, d_layers, activation, lr, beta1, "
                       "beta2, eps, batch, d_steps, epochs, train_limit, log_every, samples, "
                       "quality_samples, seed, bins, inits");
    }
  }
  if (c.inits.empty()) c.inits = default_inits();
  try {
    c.validate();
  } catch (const UsageError& e) {
    throw UsageError(ctx + e.what());
  }
  return c;
}

}  // namespace initscope
