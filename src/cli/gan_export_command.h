#pragma once
// `initscope export --view gan` and `export --view grid|profiles|both|heatmap|signal --network
// generator|discriminator` (issue 14): trains the GAN of `--config FILE` (a GAN config: the
// "config" object `initscope gan --format json` prints, that document itself, or a PNG written
// by this command) or of the defaults, with --init (columns) and --seed on top, for --steps G
// steps (default: every epoch), and draws the GAN figure or one network's probe statistics. The
// PNG carries the GAN config ({"gan": {…}}), so `--config fig.png` runs it again. With --view gan
// --format json|csv it writes the figure's data instead: the document `initscope gan` writes.
#include <string>

#include "core/gan/gan_config.h"
#include "experiment_args.h"
#include "export/export_figure.h"

namespace initscope {

// The GAN config inside what FILE holds: {"gan": {…}} (a GAN PNG's text, a preset-like file),
// a `gan --format json` document ({"config": {…}, "columns": …}), or the config object itself.
// UsageError naming `option` and the file.
GanConfig load_gan_config_file(const std::string& path, const std::string& option);
// True when the export is a GAN's: --view gan or --network given.
bool is_gan_export(const ExportOptions& opt, const std::string& network);
// "generator" | "discriminator" → GanNetwork; UsageError naming --network otherwise.
GanNetwork parse_gan_network(const std::string& text);
// The GAN config from --config (file) and the overrides that apply to a GAN (--init, --seed);
// any other experiment option is refused by name.
GanConfig gan_export_config(const ExperimentArgs& args);
// What a GAN export writes: the PNG figure, or its data as gan_json / gan_csv (core/gan/gan_io.h).
enum class GanExportFormat { Png, Json, Csv };
// --format of a GAN export: png (default), json or csv, the data only with --view gan;
// UsageError naming --format otherwise.
GanExportFormat parse_gan_export_format(const std::string& format, const std::string& view);
// Trains (steps: G steps, 0 = all epochs) and writes the figure or its data to opt.out
// ("-": standard output for json/csv), whole or not at all.
void run_gan_export(const GanConfig& c, uint64_t steps, const ExportOptions& opt,
                    GanExportFormat format = GanExportFormat::Png);

}  // namespace initscope
