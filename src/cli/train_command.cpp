#include "train_command.h"

#include <chrono>
#include <iostream>
#include <memory>

#include "core/error.h"
#include "core/file_io.h"
#include "core/training/image_dataset.h"
#include "core/training/trainer.h"
#include "core/training/training_io.h"
#include "training_report.h"

namespace initscope {

CLI::App* TrainArgs::add_to(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "train", "Train every column's MLP on Fashion-MNIST; print per-epoch loss and accuracy");
  experiment.default_preset = kDefaultTrainPreset;
  experiment.add_to(cmd);
  cmd->add_option("--epochs", epochs, "Passes over the training images (default 2)");
  cmd->add_option("--optimizer", optimizer, "sgd, momentum or adam (default adam)");
  cmd->add_option("--lr", lr, "Learning rate (default: sgd 0.1, momentum 0.01, adam 0.001)");
  cmd->add_option("--momentum", momentum, "Momentum μ of --optimizer momentum (default 0.9)");
  cmd->add_option("--train-batch", train_batch, "Mini-batch size (default 64)");
  cmd->add_option("--data", data,
                  std::string("Folder with the four MNIST-format IDX files (default ") +
                      kFashionMnistDir + ")");
  cmd->add_option("--train-limit", train_limit, "Train on the first N training images (0 = all)");
  cmd->add_option("--test-limit", test_limit, "Evaluate on the first N test images (0 = all)");
  cmd->add_option("--log-every", log_every, "Steps per point of the training-loss curve (10)");
  cmd->add_option("--format", format, "table, json or csv");
  cmd->add_option("--out", out, "Write to FILE instead of standard output");
  cmd->add_flag("--force", force, "Overwrite an existing --out file");
  cmd->footer(
      "The network is --input-dim (784) → --width…, the last width being the number of "
      "classes (10); hidden layers use --activation, the last gives the logits of softmax "
      "cross-entropy, and every layer has a bias (--bias SPEC, default zeros). --batch is the "
      "size of the probe batch (the first test images) whose per-layer statistics --format json "
      "reports.");
  return cmd;
}

Experiment TrainArgs::resolve() const {
  Experiment e = experiment.resolve();
  TrainingConfig t = e.training.value_or(TrainingConfig{});
  if (epochs) t.epochs = static_cast<int>(limits::kEpochs.parse_int(*epochs));
  if (optimizer) {
    t.optimizer.kind = OptimizerConfig::parse_kind(*optimizer, "--optimizer");
    // A new optimizer without --lr gets its own default learning rate, not the old one's.
    if (!lr) t.optimizer.lr = OptimizerConfig::default_lr(t.optimizer.kind);
  }
  if (lr) t.optimizer.lr = limits::kLearningRate.parse(*lr);
  if (momentum) t.optimizer.momentum = limits::kMomentum.parse(*momentum);
  if (train_batch) {
    t.batch = static_cast<int>(limits::kTrainBatch.parse_int(*train_batch));
  }
  if (data) t.data = *data;
  if (train_limit) {
    t.train_limit = static_cast<int>(limits::kTrainLimit.parse_int(*train_limit));
  }
  if (test_limit) {
    t.test_limit = static_cast<int>(limits::kTestLimit.parse_int(*test_limit));
  }
  if (log_every) {
    t.log_every = static_cast<int>(limits::kLogEvery.parse_int(*log_every));
  }
  t.validate();
  e.training = t;
  return e;
}

int run_train(const TrainArgs& args) {
  check_report_format(args.format);
  const Experiment e = args.resolve();
  if (!args.out.empty() && args.out != "-") check_writable(args.out, args.force);
  const auto t0 = std::chrono::steady_clock::now();
  auto data = std::make_shared<const ImageDataset>(load_image_dataset(e.training_data()));
  Trainer trainer(e, data);
  std::cerr << "initscope: training " << trainer.experiment().inits.size() << " column(s) of "
            << layer_sizes(trainer.experiment()) << " on " << data->folder << ", "
            << trainer.total_steps() << " steps\n";
  const SnapshotReport<TrainingSnapshot> report{epoch_line, training_json, training_csv,
                                                training_table};
  train_and_report(trainer, report, t0, args.format, /*probe_in_json=*/true, args.out, args.force);
  return 0;
}

}  // namespace initscope
