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

// "100→256→512→1024→784".
std::string gan_mode_arrow_widths(const std::string& in, const std::vector<int>& hidden,
                                  const std::string& out) {
  std::string s = in;
  for (int w : hidden) s += "\xE2\x86\x92" + std::to_string(w);
  return s + "\xE2\x86\x92" + out;
}

}  // namespace

std::string GanMode::summary() const {
  const std::string image = snap ? std::to_string(snap->image_rows * snap->image_cols) : "image";
  const size_t inits =
      config.inits.empty() ? GanConfig::default_inits().size() : config.inits.size();
  const char* dot = " \xC2\xB7 ";
  return std::string("GAN") + dot + "G " +
         gan_mode_arrow_widths(std::to_string(config.latent), config.g_hidden, image) + dot + "D " +
         gan_mode_arrow_widths(image, config.d_hidden, "1") + dot + std::to_string(inits) +
         (inits == 1 ? " init" : " inits") + dot + "batch " + std::to_string(config.batch) + dot +
         "seed " + std::to_string(config.seed);
}

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
