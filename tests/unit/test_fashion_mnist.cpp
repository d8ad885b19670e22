// The acceptance test of training mode on the real Fashion-MNIST (Debian's
// dataset-fashion-mnist, in CI's package list): with the defaults — the
// mnist-784-256-256-10 preset, its seed and training config — kaiming_normal and
// xavier_uniform reach ≥ 85% test accuracy within 2 epochs, and normal:std=1 ends clearly
// (≥ 5 points) behind both. Skipped where the data is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "core/presets.h"
#include "core/training/trainer.h"

using namespace initscope;

TEST(FashionMnist, DefaultsReachTheAcceptanceAccuracies) {
  if (!std::filesystem::is_directory(kFashionMnistDir)) {
    GTEST_SKIP() << kFashionMnistDir << " is missing (apt-get install dataset-fashion-mnist)";
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto data = std::make_shared<const ImageDataset>(load_image_dataset(""));
  const Experiment e = load_preset("mnist-784-256-256-10");
  ASSERT_EQ(e.inits.size(), 3u);
  Trainer t(e, data);
  while (t.run_epoch()) {
  }
  const TrainingSnapshot s = t.snapshot(false);
  std::map<std::string, double> final_accuracy;
  for (const ColumnHistory& h : s.columns) {
    ASSERT_EQ(h.epochs.size(), 2u) << h.init;
    std::printf("  %-16s test accuracy: epoch 1 %.2f%%, epoch 2 %.2f%%\n", h.init.c_str(),
                100 * h.epochs[0].test_accuracy, 100 * h.epochs[1].test_accuracy);
    final_accuracy[h.init] = h.epochs.back().test_accuracy;
  }
  std::printf("  (%.1f s)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_GE(final_accuracy.at("kaiming_normal"), 0.85);
  EXPECT_GE(final_accuracy.at("xavier_uniform"), 0.85);
  const double best_good =
      std::min(final_accuracy.at("kaiming_normal"), final_accuracy.at("xavier_uniform"));
  EXPECT_LE(final_accuracy.at("normal:std=1"), best_good - 0.05);
}
