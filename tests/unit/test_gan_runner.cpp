// The GAN mode's worker thread (GanRunner, issue 14): it reads the data, trains in bursts and
// publishes snapshots; the setup hook runs on every new trainer; a refused config or a failing
// stage is reported and the running GAN goes on ("Workers never take the process down").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "core/gan/gan_runner.h"
#include "core/gan/gan_trainer.h"
#include "injected_failure.h"
#include "synthetic_images.h"

using namespace initscope;

namespace {

// A small MNIST-format folder (8×8 images) written once per test binary run.
const std::string& gan_runner_data() {
  static test::TempFolder dir("gan_runner_data");
  static const bool written = [] {
    test::write_split(dir.path, "train", test::prototype_images(320, 8, 4, 1), true);
    test::write_split(dir.path, "t10k", test::prototype_images(100, 8, 4, 2), true);
    return true;
  }();
  (void)written;
  static const std::string path = dir.path.string();
  return path;
}

GanConfig gan_runner_config(std::vector<std::string> inits, int epochs = 2) {
  GanConfig c;
  c.data = gan_runner_data();
  c.latent = 8;
  c.g_hidden = {16};
  c.d_hidden = {16};
  c.batch = 32;  // 10 G steps per epoch
  c.epochs = epochs;
  c.log_every = 2;
  c.samples = 4;
  for (const auto& s : inits) c.inits.push_back(InitSpec::parse(s));
  return c;
}

constexpr double kGanRunnerTimeout = 60;  // seconds; the runs take well under one

}  // namespace

TEST(GanRunner, TrainsToTheEndRunningTheSetupOnEveryTrainer) {
  std::atomic<int> setups{0};
  GanRunner r(gan_runner_config({"normal:std=0.02", "torch_linear_default"}), true, 1, 5,
              [&](GanTrainer&, const std::atomic<bool>*) { ++setups; });
  auto s = r.wait_for_snapshot(20, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
  EXPECT_EQ(s->step, 20u);
  EXPECT_EQ(s->epoch, 2);
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[1].init, "torch_linear_default");
  EXPECT_EQ(s->columns[0].step.back(), 20u);
  EXPECT_EQ(s->generator_probe.columns.size(), 2u);
  EXPECT_EQ(s->discriminator_probe.columns.size(), 2u);
  EXPECT_EQ(setups.load(), 1);
  // The phase follows the last snapshot (set by the worker after publishing it).
  for (int k = 0; k < 6000 && r.status().phase != TrainingPhase::Finished; ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(r.status().phase, TrainingPhase::Finished);
  // A new config starts over, with the setup run again.
  r.set_experiment(gan_runner_config({"kaiming_normal:a=0.2"}, 1));
  for (int k = 0; k < 6000 && !(r.latest()->columns.size() == 1 && r.latest()->finished); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(r.latest()->columns.size(), 1u);
  EXPECT_EQ(r.latest()->step, 10u);
  EXPECT_EQ(setups.load(), 2);
}

TEST(GanRunner, PausedItWaitsAndStepOnceRunsOneBurst) {
  GanRunner r(gan_runner_config({"normal:std=0.02"}), false, 1, 3);
  auto s = r.wait_for_snapshot(0, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->step, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(r.latest()->step, 0u) << "a paused runner trained";
  r.step_once();
  s = r.wait_for_snapshot(3, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(r.latest()->step, 3u) << "step_once ran more than one burst";
}

using test::InjectedFailure;
using test::wait_for_error;

TEST(GanRunner, ABurstThatThrowsIsReportedAndTrainingGoesOn) {
  InjectedFailure inject{WorkerStage::TrainSteps};
  inject.failures.store(2);
  GanRunner r(gan_runner_config({"normal:std=0.02"}), true, 1, 5, {}, inject.hook());
  EXPECT_NE(wait_for_error(r, "injected failure", kGanRunnerTimeout).find("injected failure"),
            std::string::npos);
  EXPECT_NE(r.status().phase, TrainingPhase::Error) << "the trainer was dropped";
  auto s = r.wait_for_snapshot(20, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
  EXPECT_EQ(inject.thrown.load(), 2);
}

TEST(GanRunner, ARefusedConfigKeepsThePreviousOneTraining) {
  InjectedFailure inject{WorkerStage::Build};
  GanRunner r(gan_runner_config({"normal:std=0.02"}, 50), true, 1, 5, {}, inject.hook());
  ASSERT_TRUE(r.wait_for_snapshot(10, kGanRunnerTimeout));
  // Refused by the config's own check (latent 0)...
  GanConfig bad = gan_runner_config({"xavier_normal", "xavier_uniform"});
  bad.latent = 0;
  r.set_experiment(bad);
  EXPECT_NE(wait_for_error(r, "--latent", kGanRunnerTimeout).find("--latent"), std::string::npos);
  uint64_t step = r.latest()->step;
  auto s = r.wait_for_snapshot(step + 10, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  EXPECT_GE(s->step, step + 10) << "the previous GAN stopped training";
  EXPECT_EQ(s->columns.size(), 1u) << "the refused config replaced the running one";
  // ... or by a build that throws.
  inject.failures.store(1);
  r.set_experiment(gan_runner_config({"xavier_normal", "xavier_uniform"}));
  EXPECT_NE(wait_for_error(r, "injected failure", kGanRunnerTimeout).find("injected failure"),
            std::string::npos);
  step = r.latest()->step;
  s = r.wait_for_snapshot(step + 10, kGanRunnerTimeout);
  ASSERT_TRUE(s);
  EXPECT_GE(s->step, step + 10) << "the previous GAN stopped training";
  EXPECT_EQ(s->columns.size(), 1u);
  EXPECT_EQ(s->columns[0].init, "normal:std=0.02");
  EXPECT_NE(r.status().phase, TrainingPhase::Error);
}

TEST(GanRunner, MissingDataIsAnErrorNotACrash) {
  GanConfig c = gan_runner_config({"normal:std=0.02"});
  c.data = "/nonexistent/gan-data";
  GanRunner r(c, true, 1, 5);
  EXPECT_NE(wait_for_error(r, "/nonexistent/gan-data", kGanRunnerTimeout).find("gan-data"),
            std::string::npos);
  EXPECT_EQ(r.status().phase, TrainingPhase::Error);
  EXPECT_EQ(r.latest(), nullptr);
}
