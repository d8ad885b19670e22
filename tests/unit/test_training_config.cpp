// The "training" object of the experiment format: defaults filled in, round trips, errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/experiment.h"
#include "core/presets.h"

using namespace initscope;

namespace {

std::string training_error_of(const nlohmann::json& j) {
  try {
    Experiment::from_json(j, "cfg.json");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(TrainingConfig, ToJsonFillsEveryDefaultAndRoundTrips) {
  Experiment e = load_preset("he-relu");
  EXPECT_FALSE(e.to_json().contains("training"));  // stats presets carry none
  e.training = TrainingConfig{};
  const auto j = e.to_json();
  const auto& t = j["training"];
  for (const char* k : {"data", "epochs", "batch", "optimizer", "lr", "momentum", "beta1", "beta2",
                        "eps", "train_limit", "test_limit", "log_every"}) {
    EXPECT_TRUE(t.contains(k)) << k;
  }
  EXPECT_EQ(t["data"], "/usr/share/datasets/fashion-mnist");
  EXPECT_EQ(t["optimizer"], "adam");
  EXPECT_EQ(t["lr"], 0.001);
  EXPECT_EQ(t["batch"], 64);
  const Experiment back = Experiment::from_json(nlohmann::json::parse(j.dump()), "test");
  EXPECT_EQ(back.to_json().dump(), j.dump());
}

TEST(TrainingConfig, AnOptimizerWithoutLrGetsItsOwnDefault) {
  nlohmann::json j = load_preset("he-relu").to_json();
  j["training"] = {{"optimizer", "sgd"}};
  EXPECT_EQ(Experiment::from_json(j, "t").training->optimizer.lr, 0.1);
  j["training"] = {{"optimizer", "momentum"}, {"lr", 0.05}};
  EXPECT_EQ(Experiment::from_json(j, "t").training->optimizer.lr, 0.05);
}

TEST(TrainingConfig, BadValuesNameTheFileAndKey) {
  nlohmann::json j = load_preset("he-relu").to_json();
  j["training"] = {{"epoch", 2}};
  EXPECT_NE(training_error_of(j).find(
                "cfg.json \"training\": unknown key \"epoch\"; allowed: data, epochs"),
            std::string::npos)
      << training_error_of(j);
  j["training"] = {{"optimizer", "rmsprop"}};
  EXPECT_NE(training_error_of(j).find("'rmsprop': allowed: sgd, momentum, adam"), std::string::npos)
      << training_error_of(j);
  j["training"] = {{"epochs", 0}};
  EXPECT_NE(training_error_of(j).find("--epochs 0: must be an integer from 1"), std::string::npos)
      << training_error_of(j);
  j["training"] = {{"lr", -1}};
  EXPECT_NE(training_error_of(j).find("--lr -1: must be a number from 1e-12 to 100"),
            std::string::npos)
      << training_error_of(j);
  j["training"] = {{"batch", "big"}};
  EXPECT_NE(training_error_of(j).find("\"batch\" is \"big\"; must be an integer"),
            std::string::npos)
      << training_error_of(j);
  j["training"] = {{"train_limit", 10}, {"batch", 64}};
  EXPECT_NE(training_error_of(j).find("--train-limit 10: fewer images than one mini-batch"),
            std::string::npos)
      << training_error_of(j);
  j["training"] = 3;
  EXPECT_NE(training_error_of(j).find("must be an object"), std::string::npos)
      << training_error_of(j);
}

TEST(TrainingConfig, TrainingPresetsCarryTheirConfig) {
  for (const char* name : {"mnist-784-256-256-10", "mnist-deep-512x4"}) {
    const Experiment e = load_preset(name);
    ASSERT_TRUE(e.training.has_value()) << name;
    EXPECT_EQ(e.resolved_input_dim(), 784) << name;
    EXPECT_EQ(e.width(e.layers), 10) << name;
    EXPECT_EQ(e.training->epochs, 2) << name;
  }
  EXPECT_EQ(load_preset("mnist-deep-512x4").inits.back().scheme->name, "rbm");
}
