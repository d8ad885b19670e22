// Export options: bad values are usage errors naming the option; the layout fills the figure.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/limits.h"
#include "export/export_layout.h"

namespace initscope {
namespace {

// Expects UsageError whose message contains every string in `parts`.
void expect_usage_error(const ExportOptions& opt, std::initializer_list<std::string> parts) {
  try {
    export_layout(opt, 10);
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
          << "message: " << e.what() << "\nexpected to contain: " << p;
  }
}

TEST(ExportLayout, BadOptionsAreUsageErrors) {
  ExportOptions o;
  o.view = "table";
  expect_usage_error(
      o, {"--view", "table", "grid", "profiles", "both", "heatmap", "history", "phase"});
  o = {};
  o.quantity = "loss";
  expect_usage_error(o, {"--quantity", "loss", "act", "preact", "grad", "wgrad"});
  o = {};
  o.quantity = "grad";
  o.preact = true;
  expect_usage_error(o, {"--preact", "--quantity grad"});
  o = {};
  o.history_layer = 11;
  expect_usage_error(o, {"--layer", "11", "1-10"});
  o = {};
  o.history_updates = 1;
  expect_usage_error(o, {"--history", "from 2 to 200"});
  o = {};
  o.theme = "solarized";
  expect_usage_error(o, {"--theme", "solarized", "light", "dark"});
  o = {};
  o.width = 10;
  expect_usage_error(o, {"--size", "10", "from 64 to 8192"});
  o = {};
  o.height = 9000;
  expect_usage_error(o, {"--size", "9000"});
  o = {};
  o.font_scale = 0.1f;
  expect_usage_error(o, {"--font-scale", "0.1"});
  o = {};
  o.layers_shown = {1, 11};
  expect_usage_error(o, {"--layers-shown", "11", "1-10"});
  o = {};
  o.every_k = 0;
  expect_usage_error(o, {"--layers-shown"});
}

// The exporter takes the table's font scales and sides (core/limits.h), ends included, and
// refuses what lies just outside, as the CLI's parser and the window do (tests/unit/test_limits).
TEST(ExportLayout, FollowsTheTableOfLimits) {
  const Limit& f = limits::kFontScale;
  const Limit& s = limits::kFigureSide;
  for (const auto& [scale, ok] :
       {std::pair{f.lo, true}, {f.hi, true}, {f.lo * 0.999, false}, {f.hi * 1.001, false}}) {
    ExportOptions o;
    o.font_scale = float(scale);
    EXPECT_EQ(f.allows(o.font_scale), ok);
    if (ok) {
      EXPECT_NO_THROW(export_layout(o, 10)) << scale;
    } else {
      expect_usage_error(o, {"--font-scale", f.range_text()});
    }
  }
  for (const auto& [side, ok] :
       {std::pair{s.lo, true}, {s.hi, true}, {s.lo - 1, false}, {s.hi + 1, false}}) {
    ExportOptions o;
    o.width = o.height = int(side);
    if (ok) {
      EXPECT_NO_THROW(export_layout(o, 10)) << side;
    } else {
      expect_usage_error(o, {"--size", s.range_text()});
    }
  }
}

TEST(ExportLayout, BothStacksGridOverProfilesInsideTheFigure) {
  ExportOptions o;  // 1600x1000, both, light
  const ExportLayout l = export_layout(o, 10);
  ASSERT_TRUE(l.grid && l.profiles);
  EXPECT_EQ(l.figure.theme, render::Theme::Light);
  EXPECT_GT(l.grid_pos.x, 0);
  EXPECT_GT(l.grid_pos.y, 0);
  EXPECT_LE(l.grid_pos.x + l.grid_size.x, 1600);
  EXPECT_LE(l.grid_pos.y + l.grid_size.y, l.profiles_pos.y) << "grid overlaps the profiles";
  EXPECT_LE(l.profiles_pos.y + l.profiles_size.y, 1000);
  const float grid_share = l.grid_size.y / (l.grid_size.y + l.profiles_size.y);
  EXPECT_GT(grid_share, 0.55f);
  EXPECT_LT(grid_share, 0.8f);
}

TEST(ExportLayout, SingleViewsUseTheWholeFigure) {
  ExportOptions o;
  o.view = "grid";
  o.theme = "dark";
  ExportLayout l = export_layout(o, 10);
  EXPECT_TRUE(l.grid);
  EXPECT_FALSE(l.profiles);
  EXPECT_EQ(l.figure.theme, render::Theme::Dark);
  EXPECT_GT(l.grid_size.y, 900);
  o.view = "profiles";
  l = export_layout(o, 10);
  EXPECT_FALSE(l.grid);
  EXPECT_TRUE(l.profiles);
  EXPECT_GT(l.profiles_size.y, 900);
}

TEST(ExportLayout, QuantityAndPreactAgree) {
  ExportOptions o;
  EXPECT_EQ(export_layout(o, 10).figure.quantity, render::Quantity::Activation);
  o.preact = true;
  EXPECT_EQ(export_layout(o, 10).figure.quantity, render::Quantity::PreActivation);
  o.quantity = "preact";
  EXPECT_EQ(export_layout(o, 10).figure.quantity, render::Quantity::PreActivation);
  o = {};
  o.quantity = "wgrad";
  EXPECT_EQ(export_layout(o, 10).figure.quantity, render::Quantity::WeightGrad);
}

TEST(ExportLayout, HeatmapHistoryAndPhaseFillTheFigure) {
  for (const char* view : {"heatmap", "history", "phase"}) {
    ExportOptions o;
    o.view = view;
    const ExportLayout l = export_layout(o, 10);
    EXPECT_FALSE(l.grid || l.profiles) << view;
    ASSERT_TRUE(l.whole.has_value()) << view;
    EXPECT_STREQ(render::figure_key(*l.whole), view);
    EXPECT_GT(l.figure_pos.x, 0);
    EXPECT_GT(l.figure_size.x, 1500);
    EXPECT_GT(l.figure_size.y, 900);
    EXPECT_LE(l.figure_pos.y + l.figure_size.y, 1000);
  }
}

}  // namespace
}  // namespace initscope
