#include "gan_export_command.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_io.h"
#include "core/gan/gan_io.h"
#include "core/gan/gan_quality.h"
#include "core/gan/gan_trainer.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "core/png_text.h"
#include "core/presets.h"
#include "core/training/image_dataset.h"
#include "training_report.h"

namespace initscope {
namespace {}  // namespace

GanConfig load_gan_config_file(const std::string& path, const std::string& option) {
  const std::string source = option + " '" + path + "'";
  std::string text;
  try {
    if (is_png_file(path)) {
      const auto embedded = read_png_experiment(path);
      if (!embedded) throw UsageError(source + ": this PNG has no embedded initscope settings");
      text = *embedded;
    } else {
      text = read_file(path);
    }
  } catch (const RuntimeError& e) {
    throw UsageError(option + ": " + std::string(e.what()));
  }
  const nlohmann::json j = parse_json_bounded(text, source);
  if (j.is_object() && j.contains("gan")) return GanConfig::from_json(j["gan"], source);
  // A `gan --format json` document: {"config": {…}, "columns": […]} (parse_json_bounded keeps
  // what comes before and at "config" and drops the rest, so "columns" is not there to test).
  if (j.is_object() && j.contains("config") && j["config"].is_object())
    return GanConfig::from_json(j["config"], source);
  return GanConfig::from_json(j, source);
}

bool is_gan_export(const ExportOptions& opt, const std::string& network) {
  return opt.view == "gan" || !network.empty();
}

GanNetwork parse_gan_network(const std::string& text) {
  if (text == "generator") return GanNetwork::Generator;
  if (text == "discriminator") return GanNetwork::Discriminator;
  throw UsageError("--network '" + quoted_prefix(text) + "': allowed: generator, discriminator");
}

GanConfig gan_export_config(const ExperimentArgs& a) {
  auto refuse = [](const char* option, bool given) {
    if (given)
      throw UsageError(std::string(option) +
                       ": not a GAN option; a GAN export takes --preset, --config FILE, --init "
                       "and --seed");
  };
  refuse("--layers", a.layers.has_value());
  refuse("--width", a.width.has_value());
  refuse("--input-dim", a.input_dim.has_value());
  refuse("--batch", a.batch.has_value());
  refuse("--activation", a.activation.has_value());
  refuse("--bias", a.bias.has_value());
  refuse("--input", a.input.has_value());
  refuse("--bins", a.bins.has_value());
  refuse("--updates", a.updates.has_value());
  refuse("--norm", a.norm.has_value() || a.norm_gain.has_value());
  refuse("--residual", a.residual.has_value() || a.residual_scale.has_value());
  refuse("--grad", a.gradients || a.loss.has_value());
  GanConfig c;
  if (!a.preset.empty()) {
    const Experiment e = load_preset(a.preset);
    if (!e.gan)
      throw UsageError("--preset " + a.preset +
                       ": has no \"gan\" object; a GAN export takes a GAN preset (gan-fashion)");
    c = *e.gan;
  } else if (!a.config.empty()) {
    c = load_gan_config_file(a.config, "--config");
  }
  if (!a.inits.empty()) {
    c.inits.clear();
    for (const std::string& s : a.inits) c.inits.push_back(InitSpec::parse(s, "--init"));
  }
  if (c.inits.empty()) c.inits = GanConfig::default_inits();
  if (a.seed) c.seed = static_cast<uint64_t>(limits::kSeed.parse_int(*a.seed));
  if (a.memory_limit) c.memory_limit_gb = limits::kMemoryLimitGb.parse(*a.memory_limit);
  c.validate();
  return c;
}

GanExportFormat parse_gan_export_format(const std::string& format, const std::string& view) {
  if (format == "png") return GanExportFormat::Png;
  if (format != "json" && format != "csv")
    throw UsageError("--format '" + quoted_prefix(format) + "': allowed: png, json, csv");
  if (view != "gan")
    throw UsageError("--format " + format + ": a GAN's data comes with --view gan (--view " + view +
                     " draws a PNG)");
  return format == "json" ? GanExportFormat::Json : GanExportFormat::Csv;
}

void run_gan_export(const GanConfig& c, uint64_t steps, const ExportOptions& opt,
                    GanExportFormat format) {
  const bool png = format == GanExportFormat::Png;
  if (png && !has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) +
                     "': export writes PNG files only; give a name ending in .png (or --format "
                     "json|csv for the data)");
  if (!png && has_png_extension(opt.out))
    throw UsageError("--out '" + quoted_prefix(opt.out) + "': --format " +
                     (format == GanExportFormat::Json ? "json" : "csv") +
                     " writes text, not a PNG; give another name or - for standard output");
  if (opt.out != "-") check_writable(opt.out, opt.force);  // before training
  auto data = std::make_shared<const ImageDataset>(load_image_dataset(c.resolved_data()));
  GanTrainer trainer(c, data);
  std::cerr << "initscope: " << gan_quality_line(attach_gan_quality(trainer, data)) << "\n";
  const uint64_t target =
      steps == 0 ? trainer.total_steps() : std::min(steps, trainer.total_steps());
  while (trainer.steps_done() < target) {
    const int chunk = static_cast<int>(std::min<uint64_t>(target - trainer.steps_done(), 1000));
    if (trainer.run_steps(chunk) == 0) break;
  }
  const GanSnapshot s = trainer.snapshot(png);  // the data: no probes, as `gan` writes it
  if (!png) {
    write_report(format == GanExportFormat::Json ? json_text(gan_json(s), 1) + "\n" : gan_csv(s),
                 opt.out, opt.force);
    return;
  }
  nlohmann::ordered_json settings;
  settings["gan"] = s.config.to_json();
  export_gan_figure(s, opt, json_text(settings));
}

}  // namespace initscope
