// The measured sweep figure (issue 15): a hand-written sweep file (tests/data/sweep_small.csv:
// tanh, σ_w² ∈ {1, 2, 3} × depth ∈ {5, 10}, 2 seeds, some values nan) read, averaged per
// cell — the means checked against the hand-computed ones — and drawn: every cell's colour is
// the colour of its mean, the critical line is where critical_sigma_w2 puts it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <string>

#include "core/engine/activation.h"
#include "core/error.h"
#include "core/sweeps/sweep_cells.h"
#include "core/sweeps/sweep_file.h"
#include "core/theory/mean_field.h"
#include "export/export_figure.h"
#include "export/png_io.h"
#include "render/color_maps.h"
#include "render/fonts.h"
#include "render/sweep_figure.h"
#include "render/theme.h"
#include "temp_folder.h"

namespace initscope {
namespace {

const std::string kFigureSweepCsv = std::string(INITSCOPE_TEST_DATA) + "/sweep_small.csv";

// Means of xi_c_measured by hand, [depth 5, depth 10] × [σ_w² 1, 2, 3]; the nan cells of
// the file are left out of a mean, a cell with none is NaN.
constexpr double kXiMeans[2][3] = {{2.0, 8.0, 3.5}, {1.5, 12.0, NAN}};
constexpr int kXiRows[2][3] = {{2, 1, 2}, {2, 2, 0}};

TEST(SweepFigure, CellMeansAreTheFilesMeans) {
  const SweepTable t = read_sweep_table(kFigureSweepCsv);
  EXPECT_EQ(t.description["rows"], 12);
  EXPECT_EQ(t.rows.size(), 12u);
  const SweepCells c = sweep_cells(t, "sigma_w2", "depth", "xi_c_measured");
  ASSERT_EQ(c.xs, (std::vector<double>{1, 2, 3}));
  ASSERT_EQ(c.ys, (std::vector<double>{5, 10}));
  for (size_t iy = 0; iy < 2; ++iy)
    for (size_t ix = 0; ix < 3; ++ix) {
      EXPECT_EQ(c.rows[iy * 3 + ix], kXiRows[iy][ix]) << ix << "," << iy;
      if (std::isnan(kXiMeans[iy][ix]))
        EXPECT_TRUE(std::isnan(c.at(ix, iy)));
      else
        EXPECT_DOUBLE_EQ(c.at(ix, iy), kXiMeans[iy][ix]) << ix << "," << iy;
    }
  EXPECT_EQ(c.xi_c_theory, (std::vector<double>{2, 6, 3}));
  EXPECT_EQ(c.activation, "tanh");
  EXPECT_DOUBLE_EQ(c.sigma_b2, 0.05);
  EXPECT_DOUBLE_EQ(c.width, 32);
  EXPECT_EQ(c.seeds, 2);
  EXPECT_EQ(render::sweep_figure_title(c),
            "Measured \xCE\xBE_{c} over \xCF\x83_{w}\xC2\xB2, depth \xE2\x80\x94 tanh, "
            "\xCF\x83_{b}\xC2\xB2 0.05, width 32, 2 seeds");
  // The data output: one line per cell, y outer, x inner; an empty value where NaN.
  EXPECT_EQ(sweep_cells_csv(c),
            "sigma_w2,depth,xi_c_measured,rows\n1,5,2,2\n2,5,8,1\n3,5,3.5,2\n"
            "1,10,1.5,2\n2,10,12,2\n3,10,,0\n");
  const std::string json = sweep_cells_json(c);
  EXPECT_NE(json.find("\"mean\": [\n  [\n   2.0,\n   8.0,\n   3.5\n  ],"), std::string::npos)
      << json;
  EXPECT_NE(json.find("null"), std::string::npos) << json;
}

// A trained sweep (tests/data/sweep_trained.csv, the README's trainability figure: tanh,
// σ_b² 0.05, width 100, 500 Adam steps): the accuracy's cells say how they were trained.
TEST(SweepFigure, AccuracyCellsSayHowThePointsWereTrained) {
  const SweepTable t = read_sweep_table(std::string(INITSCOPE_TEST_DATA) + "/sweep_trained.csv");
  ASSERT_TRUE(t.trained());
  const SweepCells acc = sweep_cells(t, "sigma_w2", "depth", "test_accuracy");
  EXPECT_EQ(acc.training, "500 steps, adam lr 0.0001, batch 64, Fashion-MNIST");
  ASSERT_EQ(acc.xs.size(), 13u);
  ASSERT_EQ(acc.ys.size(), 10u);
  EXPECT_EQ(sweep_cells(t, "sigma_w2", "depth", "xi_c_theory").training, "");
  // Near the critical line (σ_w² 1.75) depth 100 still trains; deep in the chaotic phase
  // (σ_w² 4) depth 100 is at chance: Schoenholz et al.'s picture, measured.
  EXPECT_GT(acc.at(3, 9), 0.4);
  EXPECT_LT(acc.at(12, 9), 0.15);
}

TEST(SweepFigure, BadInputIsOneUsageError) {
  const SweepTable t = read_sweep_table(kFigureSweepCsv);
  auto refuses_in = [&](const SweepTable& table, const std::string& x, const std::string& y,
                        const std::string& v, const std::string& says) {
    try {
      sweep_cells(table, x, y, v);
      ADD_FAILURE() << x << " " << y << " " << v << " was accepted";
    } catch (const UsageError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(says), std::string::npos) << m;
      EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
  };
  auto refuses = [&](const std::string& x, const std::string& y, const std::string& v,
                     const std::string& says) { refuses_in(t, x, y, v, says); };
  auto refuses_table = [&](const SweepTable& table, const std::string& says) {
    refuses_in(table, "sigma_w2", "depth", "chi1", says);
  };
  refuses("sigma_w2", "depth", "xi_c", "--value 'xi_c'");      // unknown column
  refuses("activation", "depth", "chi1", "--x 'activation'");  // not a grid column
  refuses("sigma_w2", "seed", "chi1", "--y 'seed'");           // not a grid column
  refuses("sigma_w2", "sigma_b2", "chi1", "at least 2");       // one σ_b² only
  refuses("sigma_w2", "sigma_w2", "chi1", "the same column");  // x = y
  refuses("sigma_w2", "depth", "depth", "a setting");          // value on an axis
  refuses("sigma_w2", "width", "chi1", "at least 2");          // one width only
  SweepTable batches = t;  // a grid over batch too: no column shows it, the grid does
  batches.description["grid"]["batch"] = {16, 32};
  refuses_table(batches, "varies batch");
  SweepTable no_rows = t;
  no_rows.rows.clear();
  EXPECT_THROW(sweep_cells(no_rows, "sigma_w2", "depth", "chi1"), UsageError);
}

uint32_t sweep_pixel(const Image& img, float x, float y) {
  const uint8_t* p = img.rgba.data() + (size_t(y) * img.width + size_t(x)) * 4;
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

class SweepFigureExport : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
  }
};

TEST_P(SweepFigureExport, CellsHaveTheColourOfTheirMeanAndTheCriticalLineIsDrawn) {
  test::TempFolder dir;
  const SweepCells c =
      sweep_cells(read_sweep_table(kFigureSweepCsv), "sigma_w2", "depth", "xi_c_measured");
  ExportOptions opt;
  opt.out = dir.file("sweep.png");
  opt.view = "sweep";
  opt.theme = GetParam();
  opt.width = 1200, opt.height = 800;
  export_sweep_figure(c, opt);
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, 1200);
  // The layout the exporter used: the figure at the export's margin (0.6 font sizes).
  render::FigureOptions fo;
  const float f = render::font_pixels(1.0f), pad = std::round(0.6f * f);
  const render::SweepFigureLayout lay = render::sweep_figure_layout(
      ImVec2(pad, pad), ImVec2(1200 - 2 * pad, 800 - 2 * pad), c, fo, f);
  EXPECT_FALSE(lay.log_color);  // 1.5 … 12: max/min = 8 < 20
  EXPECT_DOUBLE_EQ(lay.color_lo, 1.5);
  EXPECT_DOUBLE_EQ(lay.color_hi, 12);
  render::Theme theme;
  ASSERT_TRUE(render::parse_theme(GetParam(), theme));
  const render::Palette& pal = render::palette(theme);
  for (size_t iy = 0; iy < 2; ++iy)
    for (size_t ix = 0; ix < 3; ++ix) {
      // A quarter cell right of the centre: no theory line passes there (critical σ_w² ≈ 1.76;
      // 6·ξ_c runs above depth 12.5 right of σ_w² = 1).
      const ImVec2 p = render::sweep_point_pos(lay, c.xs[ix] + 0.25, c.ys[iy]);
      const double v = c.at(ix, iy);
      const ImU32 want =
          std::isnan(v) ? pal.cell : render::count_color(float((v - 1.5) / (12 - 1.5)));
      EXPECT_EQ(sweep_pixel(img, p.x, p.y), want) << "cell " << ix << "," << iy;
    }
  // The critical line at σ_w² = critical_sigma_w2(tanh, 0.05): the text colour at its centre.
  const double w2 = critical_sigma_w2(Activation::parse("tanh"), 0.05);
  ASSERT_GT(w2, 1.5);
  ASSERT_LT(w2, 2.5);
  const ImVec2 p = render::sweep_point_pos(lay, w2, 6.0);
  int on_line = 0;
  for (int dx = -1; dx <= 1; ++dx) on_line += sweep_pixel(img, p.x + dx, p.y) == pal.text;
  EXPECT_GE(on_line, 1) << "no pixel of the critical line near x = " << p.x;
}

INSTANTIATE_TEST_SUITE_P(Themes, SweepFigureExport, ::testing::Values("light", "dark"));

}  // namespace
}  // namespace initscope
