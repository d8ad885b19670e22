// The real window under Xvfb (this binary is started by `xvfb-run -a`): for every preset,
// `initscope gui --preset P --frames 3 --screenshot F.png`, then the PNG must have the window's
// size, not be blank, carry the experiment, and every histogram cell of the grid must hold bar
// pixels of its column's colour. Cell rectangles come from the same layout arithmetic the window
// uses (app::main_layout + render::grid_layout) at the scripted font size (scale 1; Xvfb's
// monitor content scale is 1).
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "app/app_state.h"
#include "app/layout.h"
#include "app/panel_png.h"
#include "app/ui_style.h"
#include "app/views.h"
#include "core/presets.h"
#include "core/simulation.h"
#include "export/png_io.h"
#include "render/color_maps.h"
#include "render/figure.h"
#include "render/fonts.h"
#include "render/heatmap.h"
#include "render/phase_diagram.h"
#include "render/theme.h"
#include "render/training_curves.h"
#include "unit/synthetic_images.h"

namespace initscope {
namespace {

constexpr int kWidth = 1600, kHeight = 1000;

std::string out_dir() {
  std::filesystem::create_directories(GUI_TEST_OUT);
  return GUI_TEST_OUT;
}

int run(const std::string& args) {
  const std::string cmd = std::string(INITSCOPE_BIN) + " " + args;
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

struct Rgb {
  int r, g, b;
};
Rgb pixel(const Image& img, int x, int y) {
  const uint8_t* p = &img.rgba[(size_t(y) * img.width + x) * 4];
  return {p[0], p[1], p[2]};
}
Rgb rgb_of(ImU32 c) {
  return {int(c & 0xFF), int((c >> 8) & 0xFF), int((c >> 16) & 0xFF)};  // ImGui packs ABGR
}
bool near(Rgb a, Rgb b, int tol) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

// Pixels of colour `c` (±2 per channel) inside the cell.
int count_color(const Image& img, const render::CellRect& r, Rgb c) {
  int n = 0;
  for (int y = std::max(0, int(r.y0)); y < std::min(img.height, int(r.y1)); ++y)
    for (int x = std::max(0, int(r.x0)); x < std::min(img.width, int(r.x1)); ++x)
      if (near(pixel(img, x, y), c, 2)) ++n;
  return n;
}

void check_screenshot(const std::string& preset, const std::string& theme) {
  SCOPED_TRACE("preset " + preset + ", theme " + theme);
  const std::string png = out_dir() + "/" + preset + "-" + theme + ".png";
  const std::string args = "gui --preset " + preset + " --frames 3 --force --size " +
                           std::to_string(kWidth) + "x" + std::to_string(kHeight) + " --theme " +
                           theme + " --screenshot " + png;
  ASSERT_EQ(run(args), 0) << "initscope " << args;

  const Image img = read_png(png);
  ASSERT_EQ(img.width, kWidth);
  ASSERT_EQ(img.height, kHeight);

  // Not blank: many colours, and most of the window is not the background colour.
  const render::Theme t = theme == "light" ? render::Theme::Light : render::Theme::Dark;
  std::set<uint32_t> colours;
  for (int y = 0; y < img.height; y += 3)
    for (int x = 0; x < img.width; x += 3) {
      const Rgb p = pixel(img, x, y);
      colours.insert(uint32_t(p.r) << 16 | uint32_t(p.g) << 8 | uint32_t(p.b));
    }
  EXPECT_GT(colours.size(), 200u) << "the screenshot looks blank";

  // The experiment travels with the picture.
  const auto json = read_png_experiment(png);
  ASSERT_TRUE(json.has_value()) << "no embedded experiment";
  const Experiment e = Experiment::from_json(nlohmann::json::parse(*json), png);
  EXPECT_EQ(e.preset, preset);

  // Where the window put the grid (its shape only depends on layers × columns).
  Snapshot shape;
  shape.experiment = e;
  shape.columns.resize(e.inits.size());
  for (ColumnStats& c : shape.columns) c.layers.resize(e.layers);
  const float font_px = render::font_pixels(1.0f);
  const app::UiMetrics m = app::ui_metrics(font_px);
  const render::FigureOptions opt = app::window_figure_options(t);
  const app::MainLayout lay =
      app::main_layout(kWidth, kHeight, m, app::PanelToggles{}, !e.narrative.empty(),
                       app::grid_needed_height(shape, opt, m));
  const app::Rect fig = app::figure_rect(lay, m);
  const render::GridLayout grid =
      render::grid_layout(ImVec2(fig.x, fig.y), ImVec2(fig.w, fig.h), shape, opt, font_px);
  ASSERT_EQ(grid.layers.size(), static_cast<size_t>(e.layers)) << "not every layer is shown";
  ASSERT_LE(grid.total_height, fig.h + 0.5f) << "the grid scrolls at this size";

  // Bars in every cell, unless that layer has no finite value at all (then nothing to draw).
  const Snapshot stats = Simulation::run(e);
  for (size_t row = 0; row < grid.layers.size(); ++row)
    for (int c = 0; c < grid.columns; ++c) {
      const int layer = grid.layers[row];
      const ValueStats& v = stats.columns[c].layers[layer - 1].act;
      if (v.nonfinite == v.count) continue;
      const render::CellRect& r = grid.cells[row * grid.columns + c];
      // Bars in the column's colour, or the spike of exact zeros (dead ReLU units) in the
      // half-way shade towards the dim text colour — all a cell shows when a column's shared
      // axis is so wide (an exploding column) that every value of the layer is in its first bar.
      const Rgb col = rgb_of(render::column_color(c, t));
      const Rgb dim = rgb_of(render::palette(t).text_dim);
      const Rgb spike{(col.r + dim.r) / 2, (col.g + dim.g) / 2, (col.b + dim.b) / 2};
      const int n = count_color(img, r, col) + count_color(img, r, spike);
      EXPECT_GE(n, 6) << "no bars in layer " << layer << ", column " << c + 1 << " ("
                      << e.inits[c].text << "), cell [" << r.x0 << ", " << r.x1 << ") x [" << r.y0
                      << ", " << r.y1 << "): " << n << " pixels of the column colour";
    }
}

TEST(GuiScreenshot, EveryPresetShowsBarsInEveryCell) {
  ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run me under xvfb-run -a";
  int i = 0;
  for (const PresetInfo& p : preset_list()) {
    // Training presets open in training mode, on Fashion-MNIST, which tests must not need:
    // GuiTraining covers that mode on images of its own. The GAN preset opens GAN mode, on
    // Fashion-MNIST too (GanRunner's tests cover its worker).
    const Experiment e = load_preset(p.name);
    if (e.training || e.gan) continue;
    check_screenshot(p.name, i++ % 2 ? "light" : "dark");
  }
}

TEST(GuiScreenshot, BothThemesOfTheDefaultPreset) {
  check_screenshot("compare", "light");
}

// Right-click "Save … as PNG": the panel is rendered off screen (an FBO in the window's GL
// context, fonts rasterised at the larger size), not cropped from the screen.
TEST(PanelPng, GridAtTwiceTheScaleHasBarsInEveryCell) {
  ASSERT_TRUE(glfwInit());
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(64, 64, "panel test", nullptr, nullptr);
  ASSERT_NE(window, nullptr);
  glfwMakeContextCurrent(window);

  ImGuiContext* ctx = ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::GetIO().DisplaySize = ImVec2(kWidth, kHeight);
  const float font_px = render::font_pixels(1.0f);
  {
    const Experiment e = load_preset("compare");
    app::Settings settings;
    settings.export_dir = out_dir() + "/panels";
    std::filesystem::create_directories(settings.export_dir);
    app::AppState app(window, e, settings, /*scripted=*/true, /*compute_threads=*/1);
    app.font_px = font_px;
    app.snap = app.runner.wait_for_snapshot(1, 120);
    ASSERT_NE(app.snap, nullptr);
    // The other views' panels: files with content.
    for (auto what :
         {render::FigureKind::Heatmap, render::FigureKind::History, render::FigureKind::Phase}) {
      const PhaseGrid* grid = nullptr;
      for (int i = 0; i < 500 && !grid; ++i) {
        grid = app.phase_grid.get(app.snap->experiment.activation);
        if (!grid) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      app.history.record(app.snap, 0, app.settings.quantity);
      app::save_panel_png(app, app::PanelPngRequest{what, std::nullopt, 1.0f});
      ASSERT_FALSE(app.notice_error) << app.notice;
      const Image img = read_png(app.notice.substr(6));
      std::set<uint32_t> colours;
      for (size_t i = 0; i < img.rgba.size(); i += 4 * 7)
        colours.insert(uint32_t(img.rgba[i]) << 16 | uint32_t(img.rgba[i + 1]) << 8 |
                       img.rgba[i + 2]);
      EXPECT_GT(colours.size(), 50u) << "panel " << static_cast<int>(what) << " looks blank";
    }
    app::save_panel_png(app, app::PanelPngRequest{render::FigureKind::Grid, std::nullopt, 2.0f});
    ASSERT_FALSE(app.notice_error) << app.notice;
    ASSERT_EQ(app.notice.rfind("Saved ", 0), 0u) << app.notice;
    const std::string path = app.notice.substr(6);
    const Image img = read_png(path);
    ASSERT_TRUE(read_png_experiment(path).has_value());

    // The grid as the window lays it out, at twice the size.
    const app::UiMetrics m = app::ui_metrics(font_px);
    const app::MainLayout lay = app.layout();
    EXPECT_EQ(img.width, static_cast<int>(std::round(lay.figure.w * 2)));
    const float pad = std::round(m.pad * 2), f2 = std::round(font_px * 2);
    render::FigureOptions opt = app.figure_options();
    opt.fit_rows = false;
    const render::GridLayout grid = render::grid_layout(
        ImVec2(pad, pad), ImVec2(img.width - 2 * pad, img.height - 2 * pad), *app.snap, opt, f2);
    for (size_t row = 0; row < grid.layers.size(); ++row)
      for (int c = 0; c < grid.columns; ++c) {
        const render::CellRect& r = grid.cells[row * grid.columns + c];
        EXPECT_GE(count_color(img, r, rgb_of(render::column_color(c, app.theme))), 12)
            << "layer " << grid.layers[row] << ", column " << c + 1;
      }
    app.runner.stop();
  }
  ImGui::DestroyContext(ctx);
  glfwDestroyWindow(window);
  glfwTerminate();
}

// Pixels of the rectangle on the heatmaps' colour map (within 3 per channel of a sample of it).
int count_viridis(const Image& img, const render::CellRect& r) {
  std::vector<Rgb> map;
  for (int i = 0; i < 256; ++i) map.push_back(rgb_of(render::count_color(i / 255.0f)));
  int n = 0;
  for (int y = std::max(0, int(r.y0)); y < std::min(img.height, int(r.y1)); ++y)
    for (int x = std::max(0, int(r.x0)); x < std::min(img.width, int(r.x1)); ++x)
      for (const Rgb& m : map)
        if (near(pixel(img, x, y), m, 3)) {
          ++n;
          break;
        }
  return n;
}

// `gui --view V` opens that figure; the screenshot is checked where the layout functions put
// it: the window's main_layout (with the view's needed height) and the view's own layout.
struct ViewShot {
  Image img;
  Experiment e;
  app::Rect fig;  // the figure's rectangle in the window
  float font_px;
};
ViewShot view_screenshot(const std::string& view, const std::string& theme,
                         const std::string& extra = "") {
  const std::string png = out_dir() + "/view-" + view + "-" + theme + ".png";
  const std::string args = "gui --preset compare --frames 3 --force --size " +
                           std::to_string(kWidth) + "x" + std::to_string(kHeight) + " --theme " +
                           theme + " --view " + view + " " + extra + " --screenshot " + png;
  EXPECT_EQ(run(args), 0) << "initscope " << args;
  ViewShot s;
  s.img = read_png(png);
  s.e = Experiment::from_json(nlohmann::json::parse(*read_png_experiment(png)), png);
  s.font_px = render::font_pixels(1.0f);
  const app::UiMetrics m = app::ui_metrics(s.font_px);
  const app::MainLayout lay =
      app::main_layout(kWidth, kHeight, m, app::PanelToggles{}, !s.e.narrative.empty(),
                       app::figure_needed_height(s.font_px));
  s.fig = app::figure_rect(lay, m);
  return s;
}

TEST(GuiViews, HeatmapViewHasAHeatmapPerColumn) {
  for (const char* theme : {"dark", "light"}) {
    SCOPED_TRACE(theme);
    const ViewShot s = view_screenshot("heatmap", theme);
    ASSERT_EQ(s.img.width, kWidth);
    // Plot rectangles depend on the number of columns only.
    Snapshot shape = Simulation::run(s.e);
    const render::Theme t =
        std::string(theme) == "light" ? render::Theme::Light : render::Theme::Dark;
    const render::FigureOptions opt = app::window_figure_options(t);
    const render::HeatmapLayout hl =
        render::heatmap_layout(ImVec2(s.fig.x, s.fig.y), ImVec2(s.fig.w, s.fig.h),
                               render::layer_series(shape, opt.quantity), shape, opt, s.font_px);
    ASSERT_EQ(hl.plots.size(), s.e.inits.size());
    for (size_t c = 0; c < hl.plots.size(); ++c)
      EXPECT_GE(count_viridis(s.img, hl.plots[c].plot), 200) << "column " << c + 1;
  }
}

TEST(GuiViews, HistoryViewOfGradients) {
  const ViewShot s = view_screenshot("history", "dark", "--quantity wgrad --layer 3");
  EXPECT_TRUE(s.e.gradients) << "a gradient view runs the backward pass";
  std::set<uint32_t> colours;
  for (int y = int(s.fig.y); y < int(s.fig.y + s.fig.h); y += 2)
    for (int x = int(s.fig.x); x < int(s.fig.x + s.fig.w); x += 2) {
      const Rgb p = pixel(s.img, x, y);
      colours.insert(uint32_t(p.r) << 16 | uint32_t(p.g) << 8 | uint32_t(p.b));
    }
  EXPECT_GT(colours.size(), 30u) << "the history view looks blank";
}

TEST(GuiViews, PhaseDiagramIsBlueWhereOrderedAndRedWhereChaotic) {
  for (const char* theme : {"dark", "light"}) {
    SCOPED_TRACE(theme);
    const ViewShot s = view_screenshot("phase", theme);
    const PhaseGrid grid = render::phase_diagram_grid(s.e.activation);
    const render::Theme t =
        std::string(theme) == "light" ? render::Theme::Light : render::Theme::Dark;
    // phase_view.cpp keeps a line under the diagram (the column a click moves).
    const render::PhaseLayout pl = render::phase_layout(
        ImVec2(s.fig.x, s.fig.y), ImVec2(s.fig.w, s.fig.h - app::phase_help_height(s.font_px)),
        &grid, app::window_figure_options(t), s.font_px);
    const ImVec2 o = render::phase_point_pos(pl, 0.5, 0.25),
                 c = render::phase_point_pos(pl, 4.5, 0.3);
    const Rgb ordered = pixel(s.img, int(o.x), int(o.y)),
              chaotic = pixel(s.img, int(c.x), int(c.y));
    EXPECT_GT(ordered.b, ordered.r + 20) << "ordered (σ_w² 0.5) should be blue";
    EXPECT_GT(chaotic.r, chaotic.b + 20) << "chaotic (σ_w² 4.5) should be red";
  }
}

TEST(GuiViews, BadViewIsAUsageError) {
  EXPECT_EQ(run("gui --preset collapse --frames 1 --view table --screenshot " + out_dir() +
                "/never.png 2>/dev/null"),
            2);
}

// Training mode on a small image set the test writes (8×8 images, 4 classes): a config with a
// "training" object opens the window in training mode; --steps waits for that much training.
class GuiTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new test::TempFolder("gui_training_data");
    test::write_split(data_->path, "train", test::prototype_images(640, 8, 4, 1), true);
    test::write_split(data_->path, "t10k", test::prototype_images(200, 8, 4, 2), true);
    config_ = (data_->path / "experiment.json").string();
    nlohmann::json j = {
        {"layers", 2},
        {"width", {16, 4}},
        {"input_dim", 64},
        {"batch", 100},
        {"activation", "relu"},
        {"seed", 3},
        {"inits", {"kaiming_normal", "xavier_uniform"}},
        {"training", {{"data", data_->path.string()}, {"epochs", 2}, {"batch", 32}}}};
    FILE* f = std::fopen(config_.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(j.dump().c_str(), f);
    std::fclose(f);
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  // Runs the window on the config and returns its screenshot.
  static Image shot(const std::string& view, const std::string& extra = "") {
    const std::string png = out_dir() + "/training-" + view + ".png";
    const std::string args = "gui --config " + config_ + " --frames 3 --force --size " +
                             std::to_string(kWidth) + "x" + std::to_string(kHeight) + " --view " +
                             view + " " + extra + " --screenshot " + png;
    EXPECT_EQ(run(args), 0) << "initscope " << args;
    return read_png(png);
  }
  static test::TempFolder* data_;
  static std::string config_;
};
test::TempFolder* GuiTraining::data_ = nullptr;
std::string GuiTraining::config_;

TEST_F(GuiTraining, CurvesViewDrawsEveryColumnsCurves) {
  const Image img = shot("training", "--steps 20");
  ASSERT_EQ(img.width, kWidth);
  ASSERT_EQ(img.height, kHeight);
  std::set<uint32_t> colours;
  for (int y = 0; y < img.height; y += 3)
    for (int x = 0; x < img.width; x += 3) {
      const Rgb p = pixel(img, x, y);
      colours.insert(uint32_t(p.r) << 16 | uint32_t(p.g) << 8 | uint32_t(p.b));
    }
  EXPECT_GT(colours.size(), 200u) << "the screenshot looks blank";

  // The plots where the curves' layout puts them (it depends on the figure's size only).
  const float font_px = render::font_pixels(1.0f);
  const app::UiMetrics m = app::ui_metrics(font_px);
  const app::MainLayout lay = app::main_layout(kWidth, kHeight, m, app::PanelToggles{}, false,
                                               app::figure_needed_height(font_px));
  const app::Rect fig = app::figure_rect(lay, m);
  const render::FigureOptions opt = app::window_figure_options(render::Theme::Dark);
  const render::TrainingCurvesLayout tl = render::training_curves_layout(
      ImVec2(fig.x, fig.y), ImVec2(fig.w, fig.h), TrainingSnapshot{}, opt, font_px);
  for (int c = 0; c < 2; ++c) {
    const Rgb col = rgb_of(render::column_color(c, render::Theme::Dark));
    EXPECT_GE(count_color(img, tl.loss, col), 20) << "no loss curve of column " << c + 1;
    EXPECT_GE(count_color(img, tl.accuracy, col), 20) << "no accuracy curve of column " << c + 1;
  }
  // The picture carries the experiment as trained, with its training config.
  const auto json = read_png_experiment(out_dir() + "/training-training.png");
  ASSERT_TRUE(json.has_value());
  const Experiment e = Experiment::from_json(nlohmann::json::parse(*json), "training-training.png");
  ASSERT_TRUE(e.training.has_value());
  EXPECT_EQ(e.training->epochs, 2);
}

TEST_F(GuiTraining, GridShowsTheProbeOfTheTrainingNetworks) {
  const Image img = shot("grid", "--steps 10");
  ASSERT_EQ(img.width, kWidth);
  Snapshot shape;
  shape.experiment = Experiment::from_json(
      nlohmann::json::parse(*read_png_experiment(out_dir() + "/training-grid.png")), "grid");
  shape.columns.resize(2);
  for (ColumnStats& c : shape.columns) c.layers.resize(2);
  const float font_px = render::font_pixels(1.0f);
  const app::UiMetrics m = app::ui_metrics(font_px);
  const render::FigureOptions opt = app::window_figure_options(render::Theme::Dark);
  const app::MainLayout lay = app::main_layout(kWidth, kHeight, m, app::PanelToggles{}, false,
                                               app::grid_needed_height(shape, opt, m));
  const app::Rect fig = app::figure_rect(lay, m);
  const render::GridLayout grid =
      render::grid_layout(ImVec2(fig.x, fig.y), ImVec2(fig.w, fig.h), shape, opt, font_px);
  ASSERT_EQ(grid.layers.size(), 2u);
  for (size_t row = 0; row < grid.layers.size(); ++row)
    for (int c = 0; c < grid.columns; ++c) {
      const Rgb col = rgb_of(render::column_color(c, render::Theme::Dark));
      const Rgb dim = rgb_of(render::palette(render::Theme::Dark).text_dim);
      const Rgb spike{(col.r + dim.r) / 2, (col.g + dim.g) / 2, (col.b + dim.b) / 2};
      const render::CellRect& r = grid.cells[row * grid.columns + c];
      EXPECT_GE(count_color(img, r, col) + count_color(img, r, spike), 6)
          << "no bars in layer " << grid.layers[row] << ", column " << c + 1;
    }
}

TEST_F(GuiTraining, StepsOutsideTrainingModeIsAUsageError) {
  EXPECT_EQ(run("gui --preset collapse --frames 1 --steps 10 --screenshot " + out_dir() +
                "/never.png 2>/dev/null"),
            2);
  EXPECT_EQ(run("gui --config " + config_ + " --frames 1 --steps -3 --screenshot " + out_dir() +
                "/never.png 2>/dev/null"),
            2);
}

TEST(GuiScreenshot, RefusesToOverwriteWithoutForce) {
  const std::string png = out_dir() + "/exists.png";
  {
    FILE* f = std::fopen(png.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("keep me", f);
    std::fclose(f);
  }
  EXPECT_NE(run("gui --preset collapse --frames 1 --screenshot " + png + " 2>/dev/null"), 0);
  EXPECT_EQ(std::filesystem::file_size(png), 7u) << "the existing file was touched";
}

// Issue 12: a successful screenshot says where it went, as `export` does; the window after an
// override carries the title it shows (a description, not the preset's).
TEST(GuiScreenshot, SaysWhereItWroteAndCarriesTheTrueTitle) {
  const std::string png = out_dir() + "/sigmoid-tanh.png", said = out_dir() + "/said.txt";
  ASSERT_EQ(run("gui --preset sigmoid --activation tanh --layers 3 --width 64 --batch 40 "
                "--frames 1 --force --size 1280x720 --screenshot " +
                png + " 2>" + said),
            0);
  std::ifstream in(said);
  const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(err.find("initscope: wrote " + png + "\n"), std::string::npos) << err;
  const auto config = nlohmann::json::parse(read_png_experiment(png).value());
  EXPECT_EQ(config["title"],
            "tanh, 3 \xC3\x97 64, normal:std=0.01 vs normal:std=1 vs xavier_normal");
}

TEST(GuiScreenshot, BadThemeIsAUsageError) {
  EXPECT_EQ(run("gui --preset collapse --frames 1 --theme purple --screenshot " + out_dir() +
                "/never.png 2>/dev/null"),
            2);
}

}  // namespace
}  // namespace initscope
