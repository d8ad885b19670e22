// The figure views of issue 5, headless (DISPLAY unset): heatmap resampling against a naive
// reference, the phase diagram's click mapping, and exported heatmap / history / phase /
// gradient figures checked where their layout functions say things are.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "core/presets.h"
#include "core/simulation.h"
#include "export/export_figure.h"
#include "export/export_layout.h"
#include "export/png_io.h"
#include "render/color_maps.h"
#include "render/fonts.h"
#include "render/heatmap.h"
#include "render/phase_diagram.h"
#include "render/theme.h"
#include "render/training_curves.h"
#include "temp_folder.h"
#include "unit/synthetic_images.h"

namespace initscope {
namespace {

using test::TempFolder;

struct Rgb {
  int r, g, b;
};
Rgb rgb_at(const Image& img, int x, int y) {
  const uint8_t* p = img.rgba.data() + (size_t(y) * img.width + x) * 4;
  return {p[0], p[1], p[2]};
}
Rgb rgb_of(ImU32 c) {
  return {int(c & 0xFF), int((c >> 8) & 0xFF), int((c >> 16) & 0xFF)};  // ImGui packs ABGR
}
int distance(Rgb a, Rgb b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// Pixels of the rectangle whose colour is on the viridis map (within 3 per channel of one of 256
// samples of it) — the heatmap's cells, not its background or text.
int viridis_pixels(const Image& img, const render::CellRect& r) {
  std::vector<Rgb> map;
  for (int i = 0; i < 256; ++i) map.push_back(rgb_of(render::count_color(i / 255.0f)));
  int n = 0;
  for (int y = int(std::ceil(r.y0)); y < int(std::floor(r.y1)); ++y)
    for (int x = int(std::ceil(r.x0)); x < int(std::floor(r.x1)); ++x) {
      const Rgb p = rgb_at(img, x, y);
      for (const Rgb& m : map)
        if (distance(p, m) <= 3) {
          ++n;
          break;
        }
    }
  return n;
}

// ---------------------------------------------------------------- heatmap resampling

// The naive reference: every source bin's count spread over 4000 equally spaced points inside
// it, each dropped into the target bin that holds it.
std::vector<double> naive_resample(const Histogram& h, double lo, double hi, int n) {
  constexpr int kPoints = 4000;
  std::vector<double> out(n, 0.0);
  const double sw = (h.hi - h.lo) / h.counts.size(), dw = (hi - lo) / n;
  for (size_t i = 0; i < h.counts.size(); ++i)
    for (int k = 0; k < kPoints; ++k) {
      const double v = h.lo + (i + (k + 0.5) / kPoints) * sw;
      if (v < lo || v >= hi) continue;
      out[static_cast<size_t>(std::floor((v - lo) / dw))] += double(h.counts[i]) / kPoints;
    }
  return out;
}

TEST(HeatmapResampling, MatchesTheNaiveReference) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> count(0, 5000), bins(1, 120);
  std::uniform_real_distribution<double> u(-3, 3);
  double worst = 0, worst_tol = 0;
  for (int trial = 0; trial < 200; ++trial) {
    Histogram h;
    h.lo = u(rng);
    h.hi = h.lo + std::fabs(u(rng)) + 1e-3;
    h.counts.resize(bins(rng));
    for (auto& c : h.counts) c = count(rng);
    const double lo = u(rng), hi = lo + std::fabs(u(rng)) + 1e-3;
    const int n = bins(rng);
    const std::vector<double> got = render::resample_counts(h, lo, hi, n);
    const std::vector<double> want = naive_resample(h, lo, hi, n);
    ASSERT_EQ(got.size(), want.size());
    // The reference is off by at most one point's share at each of a target bin's two edges.
    const double tol = 2.0 * 5000 / 4000 + 1e-9;
    for (int j = 0; j < n; ++j) {
      const double d = std::fabs(got[j] - want[j]);
      if (d > worst) worst = d, worst_tol = tol;
      ASSERT_LE(d, tol) << "trial " << trial << ", bin " << j;
    }
  }
  std::cout << "resampling: worst difference " << worst << " (tolerance " << worst_tol << ")\n";
}

TEST(HeatmapResampling, ConservesCountsInsideTheRange) {
  Histogram h;
  h.lo = -1;
  h.hi = 1;
  h.counts = {5, 0, 7, 100, 3, 1, 0, 9};
  uint64_t total = 0;
  for (uint64_t c : h.counts) total += c;
  for (int n : {1, 3, 8, 13, 200}) {
    double sum = 0;
    for (double c : render::resample_counts(h, -1, 1, n)) sum += c;
    EXPECT_NEAR(sum, double(total), 1e-9) << n << " bins";
  }
  // A narrower target keeps what lies inside it: [0, 0.5) holds source bins 4 and 5.
  const auto half = render::resample_counts(h, 0, 0.5, 2);
  EXPECT_NEAR(half[0], 3, 1e-9);
  EXPECT_NEAR(half[1], 1, 1e-9);
  EXPECT_TRUE(render::resample_counts(h, 1, 1, 4) == std::vector<double>(4, 0.0));
}

// ---------------------------------------------------------------- phase diagram geometry

TEST(PhaseDiagram, ClickMapsBackToSigmas) {
  PhaseGrid g;
  g.sigma_w2 = {0, 5, 121};
  g.sigma_b2 = {0, 0.5, 61};
  render::FigureOptions opt;
  const render::PhaseLayout lay =
      render::phase_layout(ImVec2(20, 30), ImVec2(1200, 700), &g, opt, 17.0f);
  EXPECT_LT(lay.plot.x0, lay.plot.x1);
  EXPECT_LT(lay.plot.y0, lay.plot.y1);
  EXPECT_LE(lay.colorbar.x1, 20 + 1200.0f);
  for (double w2 : {0.0, 0.7, 2.0, 3.33, 5.0})
    for (double b2 : {0.0, 0.05, 0.25, 0.5}) {
      const ImVec2 p = render::phase_point_pos(lay, w2, b2);
      const auto back = render::phase_point_at(lay, p.x, p.y);
      ASSERT_TRUE(back.has_value()) << w2 << ", " << b2;
      EXPECT_NEAR(back->sigma_w2, w2, 1e-4);
      EXPECT_NEAR(back->sigma_b2, b2, 1e-5);
    }
  // Corners: bottom-left is (0, 0), top-right (5, 0.5); outside the plot nothing.
  const auto bl = render::phase_point_at(lay, lay.plot.x0, lay.plot.y1);
  const auto tr = render::phase_point_at(lay, lay.plot.x1, lay.plot.y0);
  ASSERT_TRUE(bl && tr);
  EXPECT_DOUBLE_EQ(bl->sigma_w2, 0);
  EXPECT_DOUBLE_EQ(bl->sigma_b2, 0);
  EXPECT_DOUBLE_EQ(tr->sigma_w2, 5);
  EXPECT_DOUBLE_EQ(tr->sigma_b2, 0.5);
  // Between the plane and the axes' box: the nearest value on the plane; outside the box nothing.
  const auto margin = render::phase_point_at(lay, lay.frame.x0 + 1, lay.frame.y1 - 1);
  ASSERT_TRUE(margin.has_value());
  EXPECT_DOUBLE_EQ(margin->sigma_w2, 0);
  EXPECT_DOUBLE_EQ(margin->sigma_b2, 0);
  EXPECT_FALSE(render::phase_point_at(lay, lay.frame.x0 - 1, lay.plot.y0 + 5).has_value());
  EXPECT_FALSE(render::phase_point_at(lay, lay.plot.x0 + 5, lay.frame.y1 + 1).has_value());
}

// Issue 12: a column without a bias (σ_b² = 0) or with zero weights (σ_w² = 0) has its marker
// inside the axes' box, its disc and the selection ring (draw_marker) clear of the axis lines —
// at every font size.
TEST(PhaseDiagram, MarkersAtZeroSitInsideTheAxes) {
  PhaseGrid g;
  g.sigma_w2 = {0, 5, 121};
  g.sigma_b2 = {0, 0.5, 61};
  render::FigureOptions opt;
  for (float font : {13.0f, 17.0f, 26.0f, 40.0f}) {
    SCOPED_TRACE(font);
    const render::PhaseLayout lay =
        render::phase_layout(ImVec2(20, 30), ImVec2(1200, 700), &g, opt, font);
    // The selected column's ring is the marker's widest part.
    const float reach =
        std::round(0.42f * font) + 0.45f * font + 0.5f * std::max(2.0f, 0.12f * font);
    for (double w2 : {0.0, 5.0})
      for (double b2 : {0.0, 0.5}) {
        const ImVec2 p = render::phase_point_pos(lay, w2, b2);
        EXPECT_GE(p.x - reach, lay.frame.x0 + 0.5f) << w2 << ", " << b2;
        EXPECT_LE(p.x + reach, lay.frame.x1 - 0.5f) << w2 << ", " << b2;
        EXPECT_GE(p.y - reach, lay.frame.y0 + 0.5f) << w2 << ", " << b2;
        EXPECT_LE(p.y + reach, lay.frame.y1 - 0.5f) << w2 << ", " << b2;
      }
    EXPECT_LE(lay.frame.x1, lay.colorbar.x0);
  }
}

TEST(PhaseDiagram, AxesHoldTheCriticalLine) {
  // tanh: critical σ_w² from 1 (σ_b² = 0) to ≈ 2.8 (0.5) → the default [0, 4] widened to 5;
  // sigmoid needs σ_w² ≈ 100.
  const PhaseGrid tanh = render::phase_diagram_grid(Activation::parse("tanh"));
  EXPECT_EQ(tanh.sigma_w2.lo, 0);
  EXPECT_GE(tanh.sigma_w2.hi, 4);
  EXPECT_LE(tanh.sigma_w2.hi, 5);
  EXPECT_DOUBLE_EQ(tanh.sigma_b2.hi, 0.5);
  for (double w2 : tanh.critical_sigma_w2) EXPECT_LT(w2, tanh.sigma_w2.hi);
  const PhaseGrid sigmoid = render::phase_diagram_grid(Activation::parse("sigmoid"));
  EXPECT_GT(sigmoid.sigma_w2.hi, 100);
  EXPECT_LT(sigmoid.critical_sigma_w2.back(), sigmoid.sigma_w2.hi);
}

TEST(PhaseDiagram, ColourScaleIsCentredOnCriticality) {
  EXPECT_DOUBLE_EQ(render::chi1_position(1.0), 0);
  EXPECT_DOUBLE_EQ(render::chi1_position(render::kChi1Min), -1);
  EXPECT_DOUBLE_EQ(render::chi1_position(render::kChi1Max), 1);
  EXPECT_DOUBLE_EQ(render::chi1_position(1e-6), -1);
  EXPECT_DOUBLE_EQ(render::chi1_position(50), 1);
  EXPECT_LT(render::chi1_position(0.5), 0);
  EXPECT_GT(render::chi1_position(1.2), 0);
  for (render::Theme t : {render::Theme::Light, render::Theme::Dark}) {
    const Rgb ordered = rgb_of(render::chi1_color(-1, t)),
              chaotic = rgb_of(render::chi1_color(1, t));
    EXPECT_GT(ordered.b, ordered.r + 40) << "ordered is blue";
    EXPECT_GT(chaotic.r, chaotic.b + 40) << "chaotic is red";
  }
}

// ---------------------------------------------------------------- exported figures

class FigureViews : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
  }
};

// Every heatmap plot holds cells of the colour map, and the colour bar runs from its low end at
// the bottom to its high end at the top.
void check_heatmaps(const Image& img, const render::HeatmapLayout& lay, size_t columns) {
  ASSERT_EQ(lay.plots.size(), columns);
  for (size_t c = 0; c < columns; ++c) {
    const render::CellRect& r = lay.plots[c].plot;
    ASSERT_GE(r.x0, 0);
    ASSERT_LE(r.x1, img.width);
    ASSERT_LE(r.y1, img.height);
    const int n = viridis_pixels(img, r);
    EXPECT_GE(n, 200) << "column " << c + 1 << ": " << n << " heatmap pixels";
  }
  const render::CellRect& bar = lay.colorbar;
  const int x = int((bar.x0 + bar.x1) / 2);
  EXPECT_LE(distance(rgb_at(img, x, int(bar.y1) - 2), rgb_of(render::count_color(0))), 12);
  EXPECT_LE(distance(rgb_at(img, x, int(bar.y0) + 2), rgb_of(render::count_color(1))), 12);
}

TEST_F(FigureViews, HeatmapExportHasAHeatmapPerColumnAndAColourBar) {
  TempFolder dir;
  const Experiment e = load_preset("compare");
  ExportOptions opt;
  opt.out = dir.file("heatmap.png");
  opt.view = "heatmap";
  export_figure(e, opt);
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, opt.width);
  const ExportLayout lay = export_layout(opt, e.layers);
  ASSERT_EQ(lay.whole, render::FigureKind::Heatmap);
  const Snapshot snap = Simulation::run(e);
  const render::HeatmapSeries series = render::layer_series(snap, lay.figure.quantity);
  check_heatmaps(img,
                 render::heatmap_layout(lay.figure_pos, lay.figure_size, series, snap, lay.figure,
                                        lay.font_px),
                 e.inits.size());
}

TEST_F(FigureViews, HistoryExportFollowsOneLayerOverUpdates) {
  TempFolder dir;
  Experiment e = load_preset("compare");
  e.layers = 4;
  e.widths = {100};
  e.batch = 200;
  ExportOptions opt;
  opt.out = dir.file("history.png");
  opt.view = "history";
  opt.theme = "dark";
  opt.history_layer = 3;
  opt.history_updates = 12;
  export_figure(e, opt);
  const Image img = read_png(opt.out);
  const ExportLayout lay = export_layout(opt, e.layers);
  // The layout only needs the series' shape: 12 slices per column.
  Snapshot shape = Simulation::run(e);
  render::HeatmapSeries series;
  series.columns.resize(e.inits.size());
  for (int k = 0; k < 12; ++k) {
    series.x.push_back(k + 1);
    for (auto& col : series.columns) col.push_back(nullptr);
  }
  const render::HeatmapLayout hl = render::heatmap_layout(lay.figure_pos, lay.figure_size, series,
                                                          shape, lay.figure, lay.font_px);
  EXPECT_EQ(hl.slices, 12);
  check_heatmaps(img, hl, e.inits.size());
}

TEST_F(FigureViews, PhaseExportIsBlueWhereOrderedAndRedWhereChaotic) {
  TempFolder dir;
  const Experiment e = load_preset("compare");  // tanh
  for (const char* theme : {"light", "dark"}) {
    SCOPED_TRACE(theme);
    ExportOptions opt;
    opt.out = dir.file(std::string("phase-") + theme + ".png");
    opt.view = "phase";
    opt.theme = theme;
    export_figure(e, opt);
    const Image img = read_png(opt.out);
    const ExportLayout lay = export_layout(opt, e.layers);
    ASSERT_EQ(lay.whole, render::FigureKind::Phase);
    const PhaseGrid grid = render::phase_diagram_grid(e.activation);
    const render::PhaseLayout pl =
        render::phase_layout(lay.figure_pos, lay.figure_size, &grid, lay.figure, lay.font_px);
    // Known points: σ_w² = 0.5 is deep in tanh's ordered phase (χ₁ ≈ 0.5), σ_w² = 4.5 at
    // σ_b² = 0.3 chaotic (χ₁ ≈ 1.3); both at grid samples, away from markers and labels.
    const auto colour_at = [&](double w2, double b2) {
      const ImVec2 p = render::phase_point_pos(pl, w2, b2);
      return rgb_at(img, int(p.x), int(p.y));
    };
    const auto expected = [&](double w2, double b2) {
      const FixedPoint fp = fixed_point(e.activation, w2, b2);
      return rgb_of(render::chi1_color(render::chi1_position(fp.chi1), lay.figure.theme));
    };
    const Rgb ordered = colour_at(0.5, 0.25), chaotic = colour_at(4.5, 0.3);
    EXPECT_GT(ordered.b, ordered.r + 20) << "ordered point should be blue";
    EXPECT_GT(chaotic.r, chaotic.b + 20) << "chaotic point should be red";
    EXPECT_LE(distance(ordered, expected(0.5, 0.25)), 8);
    EXPECT_LE(distance(chaotic, expected(4.5, 0.3)), 8);
  }
}

TEST_F(FigureViews, GradientGridExportShowsBarsInEveryCell) {
  TempFolder dir;
  Experiment e = load_preset("compare");
  e.layers = 5;
  e.widths = {200};
  e.batch = 300;
  ExportOptions opt;
  opt.out = dir.file("grad.png");
  opt.view = "grid";
  opt.quantity = "grad";
  opt.width = 1200;
  opt.height = 800;
  export_figure(e, opt);
  const Image img = read_png(opt.out);
  // The PNG carries the experiment as run: with the backward pass.
  const auto json = read_png_experiment(opt.out);
  ASSERT_TRUE(json.has_value());
  EXPECT_TRUE(Experiment::from_json(nlohmann::json::parse(*json), opt.out).gradients);
  const ExportLayout lay = export_layout(opt, e.layers);
  EXPECT_EQ(lay.figure.quantity, render::Quantity::ActivationGrad);
  const Snapshot snap = Simulation::run(e);
  const render::GridLayout grid =
      render::grid_layout(lay.grid_pos, lay.grid_size, snap, lay.figure, lay.font_px);
  for (size_t row = 0; row < grid.layers.size(); ++row)
    for (int c = 0; c < grid.columns; ++c) {
      const render::CellRect& r = grid.cells[row * grid.columns + c];
      int n = 0;
      const Rgb col = rgb_of(render::column_color(c, lay.figure.theme));
      for (int y = int(std::ceil(r.y0)); y < int(std::floor(r.y1)); ++y)
        for (int x = int(std::ceil(r.x0)); x < int(std::floor(r.x1)); ++x)
          n += distance(rgb_at(img, x, y), col) == 0;
      EXPECT_GE(n, 20) << "layer " << grid.layers[row] << ", column " << c + 1;
    }
}

// ---------------------------------------------------------------- training curves

// `export --view training` trains headlessly (on small IDX files written here, never the real
// Fashion-MNIST) and draws every column's loss and accuracy curves where the curves' layout
// says the plots are; the PNG carries the experiment as trained.
TEST_F(FigureViews, TrainingExportDrawsEveryColumnsCurves) {
  TempFolder data("export_training_data");
  test::write_split(data.path, "train", test::prototype_images(640, 8, 4, 1), true);
  test::write_split(data.path, "t10k", test::prototype_images(200, 8, 4, 2), false);
  Experiment e = load_preset("compare");
  e.layers = 2;
  e.widths = {16, 4};
  e.input_dim = 64;
  e.batch = 100;
  e.activation = Activation::parse("relu");
  e.inits = {InitSpec::parse("kaiming_normal"), InitSpec::parse("normal:std=1")};
  e.training = TrainingConfig{};
  e.training->data = data.path.string();
  e.training->batch = 32;
  TempFolder dir;
  ExportOptions opt;
  opt.out = dir.file("training.png");
  opt.view = "training";
  opt.steps = 30;
  export_figure(e, opt);
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, opt.width);
  ASSERT_EQ(img.height, opt.height);
  const ExportLayout lay = export_layout(opt, e.layers);
  ASSERT_EQ(lay.whole, render::FigureKind::Training);
  ImGui::CreateContext();
  render::load_fonts(lay.font_px);
  const render::TrainingCurvesLayout tl = render::training_curves_layout(
      lay.figure_pos, lay.figure_size, TrainingSnapshot{}, lay.figure, lay.font_px);
  ImGui::DestroyContext();
  for (int c = 0; c < 2; ++c) {
    const Rgb col = rgb_of(render::column_color(c, render::Theme::Light));
    for (const render::CellRect* r : {&tl.loss, &tl.accuracy}) {
      int n = 0;
      for (int y = int(std::ceil(r->y0)); y < int(std::floor(r->y1)); ++y)
        for (int x = int(std::ceil(r->x0)); x < int(std::floor(r->x1)); ++x)
          if (distance(rgb_at(img, x, y), col) <= 24) ++n;
      EXPECT_GE(n, 20) << "column " << c + 1 << (r == &tl.loss ? ": loss" : ": accuracy")
                       << " curve has " << n << " pixels of its colour";
    }
  }
  const std::optional<std::string> json = read_png_experiment(opt.out);
  ASSERT_TRUE(json.has_value());
  const Experiment back = Experiment::from_json(nlohmann::json::parse(*json), opt.out);
  ASSERT_TRUE(back.training.has_value());
  EXPECT_EQ(back.training->batch, 32);
  EXPECT_EQ(back.training->data, data.path.string());
}

TEST_F(FigureViews, TrainingExportOfAnExperimentThatCannotTrainIsAUsageError) {
  TempFolder dir;
  TempFolder data("export_training_bad");
  test::write_split(data.path, "train", test::prototype_images(64, 8, 4, 1), false);
  test::write_split(data.path, "t10k", test::prototype_images(32, 8, 4, 2), false);
  Experiment e = load_preset("compare");  // 500 outputs: not a 4-class classifier
  e.training = TrainingConfig{};
  e.training->data = data.path.string();
  ExportOptions opt;
  opt.out = dir.file("no.png");
  opt.view = "training";
  EXPECT_THROW(export_figure(e, opt), UsageError);
  EXPECT_TRUE(dir.entries().empty()) << "a refused export left a file";
}

}  // namespace
}  // namespace initscope
