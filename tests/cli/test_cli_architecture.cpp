// Issue 13's architecture options through the real binary: one-line errors with exit 2, the
// help text, and the stats JSON of a residual / normalized experiment (act = the stream,
// normed, branch, signal).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.h"

using cli_test::Result;
using cli_test::run;

TEST(CliArchitecture, BadArchitectureGivesOneLineErrorAndExitTwo) {
  struct Bad {
    const char* args;
    const char* must_mention;
  };
  const Bad cases[] = {
      {"stats --norm batch --batch 1", "--batch 1"},
      {"stats --norm batch --batch 1", "BatchNorm"},
      {"stats --residual pre --width 10,20,30 --layers 3", "--width"},
      {"stats --residual pre --width 10,20,30 --layers 3", "equal widths"},
      {"stats --residual pre --residual-scale abc", "--residual-scale 'abc'"},
      {"stats --residual pre --residual-scale abc", "1/sqrt(L)"},
      {"stats --norm bogus", "--norm"},
      {"stats --norm bogus", "bogus"},
      {"stats --norm bogus", "layer"},
      {"stats --residual sideways", "--residual"},
      {"stats --norm-gain x", "--norm-gain"},
      {"stats --init normal:std=1,norm=bn", "norm"},
  };
  for (const Bad& c : cases) {
    const Result r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.must_mention), std::string::npos) << c.args << " → " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << " → " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}

TEST(CliArchitecture, StatsHelpDocumentsTheArchitectureOptions) {
  const Result r = run("stats --help");
  EXPECT_EQ(r.code, 0);
  for (const char* k : {"--norm", "--norm-gain", "--residual", "--residual-scale", "1/sqrt(L)",
                        "batch", "rms", "pre", "post"})
    EXPECT_TRUE(cli_test::has(r.out, k)) << k;
}

// Pre-LN residual next to a plain BatchNorm column (a column override): act, normed, branch and
// the signal numbers where they apply; the config records the architecture.
TEST(CliArchitecture, StatsJsonHasNormedBranchAndSignal) {
  const Result r = run(
      "stats --layers 4 --width 64 --batch 32 --activation relu --norm layer --residual pre "
      "--residual-scale 0.5 --init kaiming_normal --init kaiming_normal:residual=none,norm=batch "
      "--grad --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["config"]["norm"], "layer");
  EXPECT_EQ(j["config"]["residual"], "pre");
  EXPECT_EQ(j["config"]["residual_scale"], "0.5");
  const auto& res = j["columns"][0]["layers"];
  ASSERT_EQ(res.size(), 4u);
  EXPECT_FALSE(res[0].contains("branch"));  // the projection
  EXPECT_FALSE(res[0].contains("normed"));
  EXPECT_TRUE(res[0]["signal"]["branch_channel_var"].is_null());
  for (size_t l = 1; l < 4; ++l) {
    EXPECT_TRUE(res[l].contains("branch")) << l;
    EXPECT_TRUE(res[l].contains("normed")) << l;
    EXPECT_GT(res[l]["signal"]["branch_channel_var"].get<double>(), 0) << l;
    EXPECT_GT(res[l]["signal"]["channel_var"].get<double>(), 0) << l;
    EXPECT_TRUE(res[l].contains("grad")) << l;
    EXPECT_EQ(res[l]["act"]["count"], 32 * 64);
  }
  const auto& bn = j["columns"][1]["layers"];
  for (size_t l = 0; l < 4; ++l) {
    EXPECT_TRUE(bn[l].contains("normed")) << l;
    EXPECT_FALSE(bn[l].contains("branch")) << l;
    // BatchNorm with γ = 1, β = 0: every feature of norm(Z) has mean 0 and variance ≈ 1.
    EXPECT_NEAR(bn[l]["normed"]["mean"].get<double>(), 0, 1e-4) << l;
    EXPECT_NEAR(bn[l]["normed"]["std"].get<double>(), 1, 1e-3) << l;
  }
}
