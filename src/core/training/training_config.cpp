#include "training_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "image_dataset.h"

namespace initscope {
namespace {

// lo < v < hi (open) when `open_lo`/`open_hi`, else closed at that end.
void check_number(const std::string& option, double v, double lo, bool open_lo, double hi,
                  bool open_hi) {
  const bool ok = std::isfinite(v) && (open_lo ? v > lo : v >= lo) && (open_hi ? v < hi : v <= hi);
  if (!ok) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s %g: must be a number %s %g and %s %g", option.c_str(), v,
                  open_lo ? ">" : "≥", lo, open_hi ? "<" : "≤", hi);
    throw UsageError(buf);
  }
}

long long get_int(const nlohmann::json& v, const std::string& ctx, const std::string& key) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::abs(d) < 9e15) return static_cast<long long>(d);
  }
  throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be an integer");
}

double get_number(const nlohmann::json& v, const std::string& ctx, const std::string& key) {
  if (!v.is_number())
    throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be a number");
  return v.get<double>();
}

std::string get_string(const nlohmann::json& v, const std::string& ctx, const std::string& key) {
  if (!v.is_string())
    throw UsageError(ctx + "\"" + key + "\" is " + json_excerpt(v) + "; must be a string");
  return v.get<std::string>();
}

int clamp_int(long long v) {
  return static_cast<int>(std::max(-1LL, std::min(v, 1LL << 30)));
}

}  // namespace

OptimizerKind OptimizerConfig::parse_kind(const std::string& text, const std::string& option) {
  if (text == "sgd") return OptimizerKind::Sgd;
  if (text == "momentum") return OptimizerKind::Momentum;
  if (text == "adam") return OptimizerKind::Adam;
  throw UsageError(option + " '" + text + "': allowed: sgd, momentum, adam");
}

std::string OptimizerConfig::kind_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::Sgd:
      return "sgd";
    case OptimizerKind::Momentum:
      return "momentum";
    case OptimizerKind::Adam:
      return "adam";
  }
  return "?";
}

double OptimizerConfig::default_lr(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::Sgd:
      return 0.1;
    case OptimizerKind::Momentum:
      return 0.01;
    case OptimizerKind::Adam:
      return 1e-3;
  }
  return 1e-3;
}

std::string TrainingConfig::resolved_data() const {
  return data.empty() ? std::string(kFashionMnistDir) : data;
}

int TrainingConfig::shards() const {
  constexpr int kShardRows = 64, kMaxShards = 4;
  return std::clamp(batch / kShardRows, 1, kMaxShards);
}

int TrainingConfig::optimizer_slots() const {
  switch (optimizer.kind) {
    case OptimizerKind::Sgd:
      return 0;
    case OptimizerKind::Momentum:
      return 1;
    case OptimizerKind::Adam:
      break;
  }
  return 2;
}

void TrainingConfig::validate() const {
  limits::kEpochs.check(epochs);
  limits::kTrainBatch.check(batch);
  limits::kTrainLimit.check(train_limit);
  if (train_limit != 0 && train_limit < batch) {
    throw UsageError("--train-limit " + std::to_string(train_limit) +
                     ": fewer images than one mini-batch (--train-batch " + std::to_string(batch) +
                     "); use 0 (all) or at least " + std::to_string(batch));
  }
  limits::kTestLimit.check(test_limit);
  limits::kLogEvery.check(log_every);
  limits::kLearningRate.check(optimizer.lr);
  limits::kMomentum.check(optimizer.momentum);
  check_number("beta1", optimizer.beta1, 0, false, 1, true);
  check_number("beta2", optimizer.beta2, 0, false, 1, true);
  check_number("eps", optimizer.eps, 0, true, 1, false);
}

nlohmann::ordered_json TrainingConfig::to_json() const {
  nlohmann::ordered_json j;
  j["data"] = resolved_data();
  j["epochs"] = epochs;
  j["batch"] = batch;
  j["optimizer"] = optimizer.name();
  j["lr"] = optimizer.lr;
  j["momentum"] = optimizer.momentum;
  j["beta1"] = optimizer.beta1;
  j["beta2"] = optimizer.beta2;
  j["eps"] = optimizer.eps;
  j["train_limit"] = train_limit;
  j["test_limit"] = test_limit;
  j["log_every"] = log_every;
  return j;
}

TrainingConfig TrainingConfig::from_json(const nlohmann::json& j, const std::string& source) {
  const std::string ctx = source + " \"training\": ";
  if (!j.is_object()) throw UsageError(ctx + "must be an object");
  TrainingConfig t;
  bool lr_given = false;
  for (const auto& [key, v] : j.items()) {
    if (key == "data") {
      t.data = get_string(v, ctx, key);
    } else if (key == "epochs") {
      t.epochs = clamp_int(get_int(v, ctx, key));
    } else if (key == "batch") {
      t.batch = clamp_int(get_int(v, ctx, key));
    } else if (key == "optimizer") {
      t.optimizer.kind =
          OptimizerConfig::parse_kind(get_string(v, ctx, key), ctx + "\"optimizer\"");
    } else if (key == "lr") {
      t.optimizer.lr = get_number(v, ctx, key);
      lr_given = true;
    } else if (key == "momentum") {
      t.optimizer.momentum = get_number(v, ctx, key);
    } else if (key == "beta1") {
      t.optimizer.beta1 = get_number(v, ctx, key);
    } else if (key == "beta2") {
      t.optimizer.beta2 = get_number(v, ctx, key);
    } else if (key == "eps") {
      t.optimizer.eps = get_number(v, ctx, key);
    } else if (key == "train_limit") {
      t.train_limit = clamp_int(get_int(v, ctx, key));
    } else if (key == "test_limit") {
      t.test_limit = clamp_int(get_int(v, ctx, key));
    } else if (key == "log_every") {
      t.log_every = clamp_int(get_int(v, ctx, key));
    } else {
      throw UsageError(ctx + "unknown key \"" + key +
                       "\"; allowed: data, epochs, batch, optimizer, lr, momentum, beta1, beta2, "
                       "eps, train_limit, test_limit, log_every");
    }
  }
  if (!lr_given) t.optimizer.lr = OptimizerConfig::default_lr(t.optimizer.kind);
  try {
    t.validate();
  } catch (const UsageError& e) {
    throw UsageError(ctx + e.what());
  }
  return t;
}

}  // namespace initscope
