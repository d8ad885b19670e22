#include "gan_command.h"

#include <chrono>
#include <iostream>
#include <memory>

#include "core/error.h"
#include "core/file_io.h"
#include "core/gan/gan_io.h"
#include "core/gan/gan_quality.h"
#include "core/gan/gan_trainer.h"
#include "core/limits.h"
#include "core/training/image_dataset.h"
#include "training_report.h"

namespace initscope {

CLI::App* GanArgs::add_to(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "gan", "Train a GAN per init column on Fashion-MNIST; print G/D losses and sample quality");
  cmd->add_option("--init", inits,
                  "Init spec for both networks, one per compared column (repeatable; default "
                  "torch_linear_default, auto, normal:std=0.02, normal:std=1)");
  cmd->add_option("--latent", latent, "Size of the noise z ~ N(0, 1) (default 100)");
  cmd->add_option("--g-layers", g_layers, "Generator's hidden widths (default 256,512,1024)");
  cmd->add_option("--d-layers", d_layers, "Discriminator's hidden widths (default 512,256)");
  cmd->add_option("--activation", activation, "Hidden activation (default leaky_relu:slope=0.2)");
  cmd->add_option("--lr", lr, "Adam's learning rate, both networks (default 0.0002)");
  cmd->add_option("--beta1", beta1, "Adam's β₁ (default 0.5)");
  cmd->add_option("--beta2", beta2, "Adam's β₂ (default 0.999)");
  cmd->add_option("--batch", batch, "Mini-batch size (default 64)");
  cmd->add_option("--d-steps", d_steps, "Discriminator steps per generator step (default 1)");
  cmd->add_option("--epochs", epochs, "Passes over the training images (default 5)");
  cmd->add_option("--train-limit", train_limit, "Train on the first N training images (0 = all)");
  cmd->add_option("--log-every", log_every, "G steps per curve point (their means; default 10)");
  cmd->add_option("--samples", samples, "Images drawn from the fixed noise per epoch (64)");
  cmd->add_option("--quality-samples", quality_samples,
                  "Fakes per column the epoch-end quality measure sees (default 1000)");
  cmd->add_option("--seed", seed, "Random seed");
  cmd->add_option("--data", data,
                  std::string("Folder with the four MNIST-format IDX files (default ") +
                      kFashionMnistDir + ")");
  cmd->add_option("--memory-limit", memory_limit, "Memory limit in GB (default: half the RAM)");
  cmd->add_option("--format", format, "table, json or csv");
  cmd->add_option("--out", out, "Write to FILE instead of standard output");
  cmd->add_flag("--force", force, "Overwrite an existing --out file");
  cmd->footer(
      "G: --latent → --g-layers… → the image (tanh, images scaled to [−1, 1]); D: the image → "
      "--d-layers… → one logit (sigmoid in the loss). Binary cross-entropy, the non-saturating "
      "G loss −log D(G(z)); every column draws both networks with its --init and trains on the "
      "same mini-batches and noise.");
  return cmd;
}

GanConfig GanArgs::resolve() const {
  GanConfig c;
  if (latent) c.latent = static_cast<int>(limits::kGanLatent.parse_int(*latent));
  if (g_layers) c.g_hidden = parse_gan_widths("--g-layers", *g_layers);
  if (d_layers) c.d_hidden = parse_gan_widths("--d-layers", *d_layers);
  if (activation) c.hidden_activation = Activation::parse(*activation, "--activation");
  if (lr) c.optimizer.lr = limits::kLearningRate.parse(*lr);
  if (beta1) c.optimizer.beta1 = limits::kBeta1.parse(*beta1);
  if (beta2) c.optimizer.beta2 = limits::kBeta2.parse(*beta2);
  if (batch) c.batch = static_cast<int>(limits::kGanBatch.parse_int(*batch));
  if (d_steps) c.d_steps = static_cast<int>(limits::kGanDSteps.parse_int(*d_steps));
  if (epochs) c.epochs = static_cast<int>(limits::kEpochs.parse_int(*epochs));
  if (train_limit) c.train_limit = static_cast<int>(limits::kTrainLimit.parse_int(*train_limit));
  if (log_every) c.log_every = static_cast<int>(limits::kLogEvery.parse_int(*log_every));
  if (samples) c.samples = static_cast<int>(limits::kGanSamples.parse_int(*samples));
  if (quality_samples) {
    c.quality_samples = static_cast<int>(limits::kGanQualitySamples.parse_int(*quality_samples));
  }
  if (seed) c.seed = static_cast<uint64_t>(limits::kSeed.parse_int(*seed));
  if (data) c.data = *data;
  if (memory_limit) c.memory_limit_gb = limits::kMemoryLimitGb.parse(*memory_limit);
  for (const std::string& s : inits) c.inits.push_back(InitSpec::parse(s, "--init"));
  if (c.inits.empty()) c.inits = GanConfig::default_inits();
  c.validate();
  return c;
}

int run_gan(const GanArgs& args) {
  check_report_format(args.format);
  const GanConfig c = args.resolve();
  if (!args.out.empty() && args.out != "-") check_writable(args.out, args.force);
  const auto t0 = std::chrono::steady_clock::now();
  c.check_memory();  // before reading 50 MB of images (checked again with them)
  auto data = std::make_shared<const ImageDataset>(load_image_dataset(c.resolved_data()));
  GanTrainer trainer(c, data);
  const int image = data->train.dim();
  std::cerr << "initscope: training " << c.inits.size() << " GAN column(s), G "
            << gan_layer_sizes(c.latent, c.g_hidden, image) << ", D "
            << gan_layer_sizes(image, c.d_hidden, 1) << ", on " << data->folder << ", "
            << trainer.total_steps() << " G steps\n";
  std::cerr << "initscope: " << gan_quality_line(attach_gan_quality(trainer, data)) << "\n";
  const SnapshotReport<GanSnapshot> report{gan_epoch_line, gan_json, gan_csv, gan_table, "G steps"};
  train_and_report(trainer, report, t0, args.format, /*probe_in_json=*/false, args.out, args.force);
  return 0;
}

}  // namespace initscope
