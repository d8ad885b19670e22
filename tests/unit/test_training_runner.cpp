// Training mode's worker thread: it reads the data, trains in bursts and publishes snapshots;
// pausing, a new experiment and stopping take effect between steps; a refused experiment is
// reported, not thrown.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/training/training_runner.h"
#include "injected_failure.h"
#include "synthetic_images.h"

using namespace initscope;

namespace {

// A small MNIST-format folder written once per test binary run.
const std::string& data_folder() {
  static test::TempFolder dir("training_runner_data");
  static const bool written = [] {
    test::write_split(dir.path, "train", test::prototype_images(640, 8, 4, 1), true);
    test::write_split(dir.path, "t10k", test::prototype_images(200, 8, 4, 2), true);
    return true;
  }();
  (void)written;
  static const std::string path = dir.path.string();
  return path;
}

Experiment small(std::vector<std::string> inits, int epochs = 2) {
  Experiment e;
  e.layers = 2;
  e.widths = {16, 4};
  e.input_dim = 64;
  e.batch = 100;
  e.activation = Activation::parse("relu");
  for (const auto& s : inits) e.inits.push_back(InitSpec::parse(s));
  TrainingConfig t;
  t.data = data_folder();
  t.epochs = epochs;
  t.batch = 32;  // 20 steps per epoch
  e.training = t;
  return e;
}

constexpr double kTimeout = 60;  // seconds; the runs take well under one

}  // namespace

TEST(TrainingRunner, TrainsToTheEndAndPublishesSnapshots) {
  TrainingRunner r(small({"kaiming_normal", "xavier_uniform"}), true, 1, 7);
  auto s = r.wait_for_snapshot(40, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
  EXPECT_EQ(s->step, 40u);
  EXPECT_EQ(s->epoch, 2);
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[0].epochs.size(), 2u);
  ASSERT_EQ(s->probe.columns.size(), 2u);  // every snapshot carries the per-layer statistics
  EXPECT_EQ(s->probe.columns[0].layers.size(), 2u);
  // Step 0 (the init), then bursts of 7 steps: 0, 7, 14, 21, 28, 35, 40.
  const TrainingStatus st = r.status();
  EXPECT_EQ(st.published, 7u);
  EXPECT_EQ(st.total_steps, 40u);
  for (int k = 0; k < 50 && r.status().phase != TrainingPhase::Finished; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(r.status().phase, TrainingPhase::Finished);
}

TEST(TrainingRunner, PausedItWaitsAtTheInitUntilPlayed) {
  TrainingRunner r(small({"kaiming_normal"}), false, 1, 5);
  auto s = r.wait_for_snapshot(0, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->step, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(r.latest()->step, 0u);
  EXPECT_EQ(r.status().phase, TrainingPhase::Paused);
  r.set_playing(true);
  s = r.wait_for_snapshot(40, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
}

TEST(TrainingRunner, ANewExperimentStartsOver) {
  TrainingRunner r(small({"kaiming_normal"}, 50), true, 1, 5);
  ASSERT_TRUE(r.wait_for_snapshot(10, kTimeout));
  r.set_experiment(small({"xavier_normal", "normal:std=0.1"}, 1));
  std::shared_ptr<const TrainingSnapshot> s;
  for (int k = 0; k < 3000; ++k) {
    s = r.latest();
    if (s->columns.size() == 2 && s->finished) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[0].init, "xavier_normal");
  EXPECT_EQ(s->step, 20u);
  EXPECT_TRUE(s->finished);
}

TEST(TrainingRunner, ARefusedExperimentIsReported) {
  Experiment bad = small({"kaiming_normal"});
  bad.widths = {16, 7};  // 4 classes
  TrainingRunner r(bad, true, 1);
  for (int k = 0; k < 3000 && r.status().phase != TrainingPhase::Error; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(r.status().phase, TrainingPhase::Error);
  EXPECT_NE(r.status().error.find("--width"), std::string::npos) << r.status().error;
  EXPECT_EQ(r.latest(), nullptr);
  // Missing data: the message names the package.
  Experiment missing = small({"kaiming_normal"});
  missing.training->data = "/nonexistent/initscope-data";
  r.set_experiment(missing);
  for (int k = 0; k < 3000 && r.status().error.find("dataset-fashion-mnist") == std::string::npos;
       ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(r.status().error.find("dataset-fashion-mnist"), std::string::npos);
}

TEST(TrainingRunner, StoppingDuringALongRunIsPrompt) {
  auto r = std::make_unique<TrainingRunner>(small({"kaiming_normal"}, 1000), true, 1, 1000000);
  ASSERT_TRUE(r->wait_for_snapshot(0, kTimeout));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // inside the (huge) burst
  const auto t0 = std::chrono::steady_clock::now();
  r.reset();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 1.0) << "stop took " << s << " s";
}

TEST(TrainingRunner, StepOnceRunsExactlyOneBurstWhilePaused) {
  TrainingRunner r(small({"kaiming_normal", "xavier_uniform"}), false, 1, 6);
  auto s = r.wait_for_snapshot(0, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->step, 0u);
  r.step_once();
  s = r.wait_for_snapshot(1, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->step, 6u) << "one burst of 6 steps";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(r.latest()->step, 6u) << "paused again after the burst";
  EXPECT_FALSE(r.playing());
  EXPECT_EQ(r.status().published, 2u);
  ASSERT_EQ(s->probe.columns.size(), 2u);
  EXPECT_TRUE(s->probe.columns[0].layers[0].has_grad) << "the probe carries gradients";

  // A new burst size applies to the next step; a pause right before a step does not cut it.
  r.set_burst_steps(4);
  r.set_playing(false);
  r.step_once();
  s = r.wait_for_snapshot(10, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->step, 10u);
  // Steps while playing are ignored (the bursts run anyway).
  r.set_playing(true);
  r.step_once();
  s = r.wait_for_snapshot(40, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
  ASSERT_FALSE(s->columns[0].accuracy.empty());
  EXPECT_EQ(s->columns[0].accuracy.size(), s->columns[0].loss.size());
}

using test::InjectedFailure;
using test::wait_for_error;

TEST(TrainingRunner, ABurstThatThrowsIsReportedAndTrainingGoesOn) {
  InjectedFailure inject{WorkerStage::TrainSteps};
  inject.failures.store(2);
  TrainingRunner r(small({"kaiming_normal"}), true, 1, 5, inject.hook());
  EXPECT_EQ(wait_for_error(r, "injected failure", kTimeout),
            "the training step failed: injected failure");
  EXPECT_NE(r.status().phase, TrainingPhase::Error) << "the trainer was dropped";
  // Still alive: the failures spent, it trains to the end.
  auto s = r.wait_for_snapshot(40, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->finished);
  EXPECT_EQ(s->step, 40u);
  EXPECT_EQ(inject.thrown.load(), 2);
  // And it takes the next request: an accepted experiment clears the error.
  r.set_experiment(small({"xavier_normal", "kaiming_normal"}, 1));
  for (int k = 0; k < 6000 && !(r.latest()->columns.size() == 2 && r.latest()->finished); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(r.latest()->columns.size(), 2u);
  EXPECT_TRUE(r.latest()->finished);
  EXPECT_EQ(r.status().error, "");
}

TEST(TrainingRunner, ARefusedExperimentKeepsThePreviousOneTraining) {
  InjectedFailure inject{WorkerStage::Build};
  TrainingRunner r(small({"kaiming_normal"}, 50), true, 1, 5, inject.hook());
  ASSERT_TRUE(r.wait_for_snapshot(10, kTimeout));
  // Refused by the trainer itself (4 classes, not 7)...
  Experiment bad = small({"xavier_normal", "xavier_uniform"});
  bad.widths = {16, 7};
  r.set_experiment(bad);
  EXPECT_NE(wait_for_error(r, "--width", kTimeout).find("--width"), std::string::npos);
  uint64_t step = r.latest()->step;
  auto s = r.wait_for_snapshot(step + 10, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_GE(s->step, step + 10) << "the previous experiment stopped training";
  EXPECT_EQ(s->columns.size(), 1u) << "the refused experiment replaced the running one";
  EXPECT_NE(r.status().phase, TrainingPhase::Error);
  // ... or by a build that throws.
  inject.failures.store(1);
  r.set_experiment(small({"xavier_normal", "xavier_uniform"}));
  EXPECT_EQ(wait_for_error(r, "injected failure", kTimeout), "injected failure");
  step = r.latest()->step;
  s = r.wait_for_snapshot(step + 10, kTimeout);
  ASSERT_TRUE(s);
  EXPECT_GE(s->step, step + 10) << "the previous experiment stopped training";
  EXPECT_EQ(s->columns.size(), 1u);
  EXPECT_EQ(s->columns[0].init, "kaiming_normal");
}
