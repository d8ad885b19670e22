#include "gan_mode.h"

#include <atomic>
#include <exception>

#include "core/gan/gan_quality.h"
#include "core/gan/gan_trainer.h"

namespace initscope::app {
namespace {

std::string gan_mode_widths_text(const std::vector<int>& widths) {
  std::string s;
  for (size_t i = 0; i < widths.size(); ++i) s += (i ? "," : "") + std::to_string(widths[i]);
  return s;
}

}  // namespace

void GanMode::start(int compute_threads) {
  if (runner) return;
  if (config.inits.empty()) config.inits = GanConfig::default_inits();
  edited = config;
  sync_fields();
  // Every trainer gets the epoch-end quality measure (its classifier trained once, then cached;
  // off with the reason in the log when the data are not 28×28 × 10 classes).
  auto with_quality = [](GanTrainer& t, const std::atomic<bool>* cancel) {
    attach_gan_quality(t, t.data(), cancel);
  };
  runner =
      std::make_unique<GanRunner>(config, /*playing=*/true, compute_threads, burst, with_quality);
}

void GanMode::stop() {
  if (runner) runner->stop();
  runner.reset();
  snap.reset();
  status = TrainingStatus{};
}

std::string GanMode::apply(const GanConfig& c) {
  try {
    c.validate();
    c.check_memory();
  } catch (const std::exception& ex) {
    return ex.what();
  }
  config = c;
  if (runner) runner->set_experiment(c);
  return "";
}

void GanMode::sync_fields() {
  inits_text.clear();
  for (const InitSpec& s : config.inits) inits_text += (inits_text.empty() ? "" : "\n") + s.text;
  g_layers_text = gan_mode_widths_text(config.g_hidden);
  d_layers_text = gan_mode_widths_text(config.d_hidden);
}

}  // namespace initscope::app
