// The GAN figure (issue 14), headless (DISPLAY unset), drawn from a synthetic GanSnapshot whose
// samples are a known function of (column, image, row, col): every sample pixel must have the
// grey gan_sample_color gives its value; the title must be whole (no "…") at text ×1 and ×2;
// the parts must lie inside the figure without overlapping; and a GAN's probe statistics
// draw the existing figures (--view grid --network discriminator).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/presets.h"
#include "core/simulation.h"
#include "export/export_figure.h"
#include "export/export_layout.h"
#include "export/png_io.h"
#include "render/figure_heading.h"
#include "render/fonts.h"
#include "render/gan_figure.h"
#include "render/theme.h"
#include "temp_folder.h"

namespace initscope {
namespace {

// Value of pixel (r, q) of image k in column c; image 0 of column 1 is a constant 0.5 (a grid
// drawn smaller than its images averages it to the same grey).
float gan_test_value(int c, int k, int r, int q) {
  if (c == 1 && k == 0) return 0.5f;
  return std::sin(0.31f * float(r) + 0.17f * float(q) + 0.7f * float(k) + 1.3f * float(c));
}

// Four columns, 3 epochs of 100 G steps, 200 done; the last column diverged at step 40.
GanSnapshot gan_test_snapshot(int samples = 64) {
  GanSnapshot g;
  g.config.epochs = 3;
  g.config.samples = samples;
  g.train_images = 6400;
  g.steps_per_epoch = 100;
  g.total_steps = 300;
  g.step = 200;
  g.epoch = 2;
  const char* inits[] = {"torch_linear_default", "auto", "normal:std=0.02", "normal:std=1"};
  for (int c = 0; c < 4; ++c) {
    GanColumnHistory h;
    h.init = inits[c];
    const uint64_t last = c == 3 ? 40 : 200;
    for (uint64_t s = 10; s <= last; s += 10) {
      const double t = double(s);
      h.step.push_back(s);
      h.g_loss.push_back(0.7 + 0.4 * c + 2.0 * std::exp(-t / 50));
      h.d_loss.push_back(1.3 - 0.2 * c * std::exp(-t / 80));
      h.d_real.push_back(0.5 + 0.3 * std::exp(-t / 100));
      h.d_fake.push_back(0.5 - 0.3 * std::exp(-t / 100) + 0.02 * c);
      h.fooled.push_back(0.4 * (1 - std::exp(-t / 100)));
    }
    if (c == 3) {
      h.diverged_at = 40;
    } else {
      h.epochs.push_back({1, 100, 0.7 + 0.05 * c, 1.9, 40.0 - c});
      h.epochs.push_back({2, 200, 0.8 + 0.05 * c, 2.1, 20.0 - c});
    }
    for (int k = 0; k < samples; ++k)
      for (int r = 0; r < 28; ++r)
        for (int q = 0; q < 28; ++q) h.samples.push_back(gan_test_value(c, k, r, q));
    g.columns.push_back(std::move(h));
  }
  return g;
}

uint32_t gan_pixel(const Image& img, float x, float y) {
  const uint8_t* p = img.rgba.data() + (size_t(y) * img.width + size_t(x)) * 4;
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// An ImGui context with the figures' fonts at `font_px`, for measuring text (no GL).
class GanFonts {
 public:
  explicit GanFonts(float font_px) : previous_(ImGui::GetCurrentContext()) {
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    render::load_fonts(font_px);
    ImGui::GetIO().Fonts->Build();
  }
  ~GanFonts() {
    ImGui::DestroyContext(context_);
    ImGui::SetCurrentContext(previous_);
  }
  GanFonts(const GanFonts&) = delete;
  GanFonts& operator=(const GanFonts&) = delete;

 private:
  ImGuiContext* previous_;
  ImGuiContext* context_;
};

class GanFigureExport : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
  }
};

TEST_P(GanFigureExport, EverySamplePixelHasTheGreyOfItsValue) {
  test::TempFolder dir;
  const GanSnapshot g = gan_test_snapshot();
  ExportOptions opt;
  opt.out = dir.file("gan.png");
  opt.view = "gan";
  opt.theme = GetParam();
  export_gan_figure(g, opt, "{\"gan\": {}}");
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, 1600);
  EXPECT_EQ(read_png_experiment(opt.out).value_or(""), "{\"gan\": {}}");
  const ExportLayout el = export_layout(opt, 1);
  ASSERT_EQ(el.whole, render::FigureKind::Gan);
  GanFonts fonts(el.font_px);
  const render::GanFigureLayout lay =
      render::gan_figure_layout(el.figure_pos, el.figure_size, g, el.figure, el.font_px);
  ASSERT_EQ(lay.sample_grids.size(), 4u);
  ASSERT_EQ(lay.images_per_side, 8);
  int checked = 0, wrong = 0;
  for (int c = 0; c < 4; ++c)
    for (int k : {0, 9, 63}) {
      const render::CellRect r = render::gan_image_rect(lay, c, k);
      const float w = r.x1 - r.x0, h = r.y1 - r.y0;
      ASSERT_GE(w, 28) << "the grid is drawn at full resolution at 1600×1000";
      for (int row : {0, 5, 13, 27})
        for (int col : {0, 7, 20, 27}) {
          const float x = r.x0 + (float(col) + 0.5f) * w / 28,
                      y = r.y0 + (float(row) + 0.5f) * h / 28;
          const uint32_t want = render::gan_sample_color(gan_test_value(c, k, row, col));
          const uint32_t got = gan_pixel(img, x, y);
          ++checked;
          if (got != want) {
            ++wrong;
            ADD_FAILURE() << "column " << c << " image " << k << " pixel (" << row << ", " << col
                          << ") at " << x << "," << y << ": " << std::hex << got << " want "
                          << want;
          }
        }
    }
  EXPECT_EQ(checked, 4 * 3 * 16);
  EXPECT_EQ(wrong, 0);
}

TEST_P(GanFigureExport, ASmallGridAveragesItsImages) {
  test::TempFolder dir;
  const GanSnapshot g = gan_test_snapshot();
  ExportOptions opt;
  opt.out = dir.file("small.png");
  opt.view = "gan";
  opt.theme = GetParam();
  opt.width = 900, opt.height = 560;
  export_gan_figure(g, opt, "");
  const Image img = read_png(opt.out);
  const ExportLayout el = export_layout(opt, 1);
  GanFonts fonts(el.font_px);
  const render::GanFigureLayout lay =
      render::gan_figure_layout(el.figure_pos, el.figure_size, g, el.figure, el.font_px);
  const render::CellRect r = render::gan_image_rect(lay, 1, 0);
  ASSERT_LT(r.x1 - r.x0, 28) << "this size must draw the images smaller than 28 px";
  ASSERT_GE(r.x1 - r.x0, 4);
  // The constant image: every shown pixel is the mean, 0.5.
  EXPECT_EQ(gan_pixel(img, 0.5f * (r.x0 + r.x1), 0.5f * (r.y0 + r.y1)),
            render::gan_sample_color(0.5f));
  EXPECT_EQ(gan_pixel(img, r.x0 + 0.5f, r.y0 + 0.5f), render::gan_sample_color(0.5f));
}

INSTANTIATE_TEST_SUITE_P(Themes, GanFigureExport, ::testing::Values("light", "dark"));

bool gan_inside(const render::CellRect& r, ImVec2 pos, ImVec2 size) {
  return r.x0 >= pos.x && r.y0 >= pos.y && r.x1 <= pos.x + size.x + 0.5f &&
         r.y1 <= pos.y + size.y + 0.5f && r.x1 > r.x0 && r.y1 > r.y0;
}

// At text ×1 and ×2 on 1600×1000 and 1920×1080: the title is whole, the curves sit above the
// column names, the grids side by side inside the figure, the quality lines above its bottom.
TEST(GanFigureLayout, TitleWholeAndPartsInsideAtTextTimesOneAndTwo) {
  const GanSnapshot g = gan_test_snapshot();
  for (float scale : {1.0f, 2.0f})
    for (auto [w, h] : {std::pair{1600, 1000}, std::pair{1920, 1080}}) {
      ExportOptions opt;
      opt.view = "gan";
      opt.width = w, opt.height = h;
      opt.font_scale = scale;
      const ExportLayout el = export_layout(opt, 1);
      GanFonts fonts(el.font_px);
      const float f = el.font_px;
      const std::string at = "text \xC3\x97" + std::to_string(int(scale)) + " at " +
                             std::to_string(w) + "x" + std::to_string(h);
      const render::FigureHeading head = render::figure_heading(
          render::gan_figure_what(g), render::gan_figure_subject(g), el.figure_size.x, f);
      EXPECT_EQ(head.title.find("\xE2\x80\xA6"), std::string::npos) << at << ": " << head.title;
      for (const std::string& line : head.subtitle)
        EXPECT_EQ(line.find("\xE2\x80\xA6"), std::string::npos) << at << ": " << line;
      const render::GanFigureLayout lay =
          render::gan_figure_layout(el.figure_pos, el.figure_size, g, el.figure, f);
      EXPECT_TRUE(gan_inside(lay.losses, el.figure_pos, el.figure_size)) << at;
      EXPECT_TRUE(gan_inside(lay.probabilities, el.figure_pos, el.figure_size)) << at;
      // The curves' ticks and epoch names (2.8 f under the plot) end above the column names.
      EXPECT_LE(std::max(lay.losses.y1, lay.probabilities.y1) + 2.8f * f, lay.samples_header_y + 1)
          << at;
      EXPECT_GE(lay.losses.y1 - lay.losses.y0, 5 * f) << at << ": loss plot too short";
      for (size_t c = 0; c < lay.sample_grids.size(); ++c) {
        const render::CellRect& r = lay.sample_grids[c];
        EXPECT_TRUE(gan_inside(r, el.figure_pos, el.figure_size)) << at << " grid " << c;
        EXPECT_GE(r.x1 - r.x0, 8 * 8) << at << ": every image at least 7 px";
        if (c > 0) {
          EXPECT_LT(lay.sample_grids[c - 1].x1, r.x0) << at;
        }
      }
      // Two lines of quality numbers (1.25 f apart, 1.2 f high) end inside the figure.
      EXPECT_LE(lay.quality_y + 2.5f * f, el.figure_pos.y + el.figure_size.y + 1) << at;
    }
}

TEST(GanFigureExportViews, ProbeViewsDrawTheChosenNetworkAndGanRefusesExperiments) {
  ::unsetenv("DISPLAY");
  test::TempFolder dir;
  GanSnapshot g = gan_test_snapshot(4);
  Experiment e = load_preset("compare");
  e.layers = 3;
  e.widths = {64};
  e.batch = 64;
  g.discriminator_probe = Simulation::run(e);
  ExportOptions opt;
  opt.view = "grid";
  opt.network = GanNetwork::Discriminator;
  opt.out = dir.file("d.png");
  export_gan_figure(g, opt, "");
  EXPECT_EQ(read_png(opt.out).width, 1600);
  // The generator has no statistics in this snapshot: one clear error, no file.
  opt.network = GanNetwork::Generator;
  opt.out = dir.file("g.png");
  EXPECT_THROW(export_gan_figure(g, opt, ""), UsageError);
  EXPECT_FALSE(std::filesystem::exists(opt.out));
  opt.view = "training";
  EXPECT_THROW(export_gan_figure(g, opt, ""), UsageError);
  // --view gan of a plain experiment is refused before anything runs.
  opt.view = "gan";
  EXPECT_THROW(export_figure(e, opt), UsageError);
}

}  // namespace
}  // namespace initscope
