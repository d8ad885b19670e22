// End to end, with no display: export the `compare` preset, decode the PNG and check what a
// reader would — size, content, a histogram in every cell — and that the embedded settings
// reproduce identical statistics.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/presets.h"
#include "core/simulation.h"
#include "core/stats_io.h"
#include "export/export_figure.h"
#include "export/export_layout.h"
#include "export/png_io.h"
#include "render/figure.h"
#include "temp_folder.h"

namespace initscope {
namespace {

using test::TempFolder;

class HeadlessExport : public ::testing::Test {
 protected:
  // Headless means headless: any X or Wayland connection attempt would fail loudly.
  void SetUp() override {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
  }
};

uint32_t pixel(const Image& img, int x, int y) {
  const uint8_t* p = img.rgba.data() + (size_t(y) * img.width + x) * 4;
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// Pixels inside the cell (whole pixels strictly within it) with exactly this colour; bars are
// drawn on whole pixels in the column's colour (render/histogram_grid.cpp).
int count_colour(const Image& img, const render::CellRect& r, ImU32 colour) {
  int n = 0;
  for (int y = int(std::ceil(r.y0)); y < int(std::floor(r.y1)); ++y)
    for (int x = int(std::ceil(r.x0)); x < int(std::floor(r.x1)); ++x)
      if (pixel(img, x, y) == colour) ++n;
  return n;
}

void check_figure(const Experiment& e, const ExportOptions& opt) {
  export_figure(e, opt);
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, opt.width);
  ASSERT_EQ(img.height, opt.height);

  // Not blank: many colours, and a good share of the pixels differ from the background.
  std::set<uint32_t> colours;
  const uint32_t background = pixel(img, 0, 0);
  size_t drawn = 0;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const uint32_t p = pixel(img, x, y);
      colours.insert(p);
      drawn += p != background;
    }
  EXPECT_GT(colours.size(), 50u);
  EXPECT_GT(double(drawn) / (double(img.width) * img.height), 0.05) << "drawn pixels";

  // A histogram in every cell, in its column's colour.
  const Snapshot snap = Simulation::run(e);
  const ExportLayout lay = export_layout(opt, e.layers);
  ASSERT_TRUE(lay.grid);
  const render::GridLayout grid =
      render::grid_layout(lay.grid_pos, lay.grid_size, snap, lay.figure, lay.font_px);
  ASSERT_EQ(grid.columns, int(e.inits.size()));
  ASSERT_FALSE(grid.layers.empty());
  int worst = 1 << 30;
  for (size_t row = 0; row < grid.layers.size(); ++row)
    for (int c = 0; c < grid.columns; ++c) {
      const render::CellRect& r = grid.cells[row * grid.columns + c];
      ASSERT_GE(r.x0, 0);
      ASSERT_LE(r.x1, opt.width);
      ASSERT_GE(r.y0, 0);
      ASSERT_LE(r.y1, opt.height);
      const int n = count_colour(img, r, render::column_color(c, lay.figure.theme));
      worst = std::min(worst, n);
      EXPECT_GE(n, 20) << "layer " << grid.layers[row] << ", column " << c + 1 << " ("
                       << e.inits[c].text << "): " << n << " bar pixels";
    }
  std::cout << "fewest bar pixels in a cell: " << worst << "\n";
}

TEST_F(HeadlessExport, ComparePresetFigureHasABarChartInEveryCell) {
  ASSERT_EQ(std::getenv("DISPLAY"), nullptr);
  TempFolder dir;
  ExportOptions opt;
  opt.out = dir.file("compare.png");
  opt.width = 1600;
  opt.height = 1000;
  check_figure(load_preset("compare"), opt);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"compare.png"});
}

TEST_F(HeadlessExport, DarkGridOnlyFigure) {
  TempFolder dir;
  ExportOptions opt;
  opt.out = dir.file("dark.png");
  opt.view = "grid";
  opt.theme = "dark";
  opt.width = 1200;
  opt.height = 900;
  check_figure(load_preset("compare"), opt);
}

TEST_F(HeadlessExport, EmbeddedSettingsReproduceIdenticalStatistics) {
  TempFolder dir;
  const Experiment e = load_preset("compare");
  ExportOptions opt;
  opt.out = dir.file("compare.png");
  opt.view = "profiles";
  opt.width = 800;
  opt.height = 500;
  export_figure(e, opt);

  const auto text = read_png_experiment(opt.out);
  ASSERT_TRUE(text.has_value()) << "no embedded experiment";
  const Experiment back = Experiment::from_json(nlohmann::json::parse(*text), opt.out);
  const std::string original = snapshot_json(Simulation::run(e)).dump(1);
  const std::string reproduced = snapshot_json(Simulation::run(back)).dump(1);
  if (original != reproduced) {
    size_t i = 0;
    while (i < original.size() && i < reproduced.size() && original[i] == reproduced[i]) ++i;
    const size_t from = i > 200 ? i - 200 : 0;
    ADD_FAILURE() << "stats JSON differs at byte " << i << "\noriginal:   …"
                  << original.substr(from, 300) << "\nreproduced: …"
                  << reproduced.substr(from, 300);
  }
}

TEST_F(HeadlessExport, RefusesToOverwriteAndLeavesTheFileAlone) {
  TempFolder dir;
  ExportOptions opt;
  opt.out = dir.file("fig.png");
  { std::ofstream(opt.out) << "keep me"; }
  Experiment e = load_preset("compare");
  e.layers = 3;
  e.widths = {64};
  e.batch = 50;
  EXPECT_THROW(export_figure(e, opt), RuntimeError);
  std::ifstream in(opt.out);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "keep me");
  opt.force = true;
  export_figure(e, opt);
  EXPECT_TRUE(is_png_file(opt.out));
}

TEST_F(HeadlessExport, BadViewIsAUsageErrorBeforeAnyWork) {
  TempFolder dir;
  ExportOptions opt;
  opt.out = dir.file("fig.png");
  opt.view = "table";
  EXPECT_THROW(export_figure(load_preset("compare"), opt), UsageError);
  EXPECT_TRUE(dir.entries().empty());
}

TEST_F(HeadlessExport, TwoExportsInOneProcess) {
  // The EGL display is terminated and re-initialised; the ImGui context is fresh each time.
  TempFolder dir;
  Experiment e = load_preset("compare");
  e.layers = 4;
  e.widths = {64};
  e.batch = 100;
  for (const char* name : {"a.png", "b.png"}) {
    ExportOptions opt;
    opt.out = dir.file(name);
    opt.width = 640;
    opt.height = 480;
    opt.view = "grid";
    check_figure(e, opt);
  }
}

}  // namespace
}  // namespace initscope
