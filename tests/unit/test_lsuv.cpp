// LSUV: after the data-driven rescaling, every layer's pre-activation variance on the batch it
// was fitted on is within tol of 1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/simulation.h"
#include "core/stats_io.h"

using namespace initscope;

TEST(Lsuv, EveryLayerHasUnitPreactivationVarianceOnItsBatch) {
  for (const std::string act : {"tanh", "relu", "sigmoid", "selu"}) {
    for (const double tol : {0.1, 0.01}) {
      Experiment e;
      e.activation = Activation::parse(act);
      e.layers = 8;
      e.widths = {300, 200, 250, 300, 100, 300, 300, 150};
      e.input_dim = 120;
      e.batch = 500;
      e.inits = {InitSpec::parse("lsuv:tol=" + std::to_string(tol))};
      Simulation sim(e);
      ASSERT_TRUE(sim.update());  // update 0 uses the batch LSUV was fitted on
      const Snapshot s = sim.snapshot();
      double worst = 0;
      for (const LayerStats& l : s.columns[0].layers) {
        worst = std::max(worst, std::fabs(l.preact.std * l.preact.std - 1));
      }
      EXPECT_LE(worst, tol * 1.0001) << act << " tol " << tol << ": worst |Var(Z) − 1| " << worst;
      ASSERT_EQ(s.columns[0].lsuv_rounds.size(), 8u);
      for (int r : s.columns[0].lsuv_rounds) EXPECT_LE(r, 10);
    }
  }
}

TEST(Lsuv, RoundsInJsonAndSpecErrors) {
  Experiment e;
  e.layers = 3;
  e.widths = {50};
  e.batch = 60;
  e.inits = {InitSpec::parse("lsuv:max_iter=3")};
  const auto j = snapshot_json(Simulation::run(e));
  EXPECT_EQ(j["columns"][0]["lsuv_rounds"].size(), 3u);
  EXPECT_THROW(InitSpec::parse("lsuv:tol=0"), std::exception);
  EXPECT_THROW(InitSpec::parse("lsuv:max_iter=0"), std::exception);
  EXPECT_THROW(InitSpec::parse("lsuv:bogus=1"), std::exception);
}
