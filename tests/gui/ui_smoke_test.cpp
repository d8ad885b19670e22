// The window's views driven without a window: a headless ImGui context (no GL — frames are
// built and Render()ed but never drawn), synthetic mouse and keys, a real LiveRunner. Checks
// that hovering anywhere and the classroom keys work and never crash, and that refused edits
// leave the running experiment alone.
#include <GLFW/glfw3.h>  // key codes (ImGui 1.86 indexes io.KeysDown by them)
#include <gtest/gtest.h>
#include <imgui.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "app/app_state.h"
#include "app/file_names.h"
#include "app/frame.h"
#include "app/panel_png.h"
#include "app/phase_point.h"
#include "app/ui_style.h"
#include "app/views.h"
#include "core/experiment_heading.h"
#include "core/presets.h"
#include "core/theory/mean_field.h"
#include "headless_window.h"
#include "render/fonts.h"
#include "render/phase_diagram.h"
#include "unit/synthetic_images.h"

namespace initscope::app {
namespace {

class HeadlessUi : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60;
    // What the window's OpenGL 3.3 renderer declares: draw lists may pass 64k vertices (a long
    // "over time" heatmap does). Nothing is drawn here; this only lets ImGui split the lists.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    render::load_fonts(render::font_pixels(1.0f));
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // marks the atlas built (no texture here)
    apply_style(render::Theme::Dark, render::font_pixels(1.0f));
    Experiment e = load_preset("compare");
    app_ = std::make_unique<AppState>(nullptr, e, Settings{}, /*scripted=*/false,
                                      /*compute_threads=*/1);
    app_->font_px = render::font_pixels(1.0f);
    ASSERT_NE(app_->runner.wait_for_snapshot(1, 120), nullptr);
  }
  void TearDown() override {
    app_.reset();
    ImGui::DestroyContext(ctx_);
  }
  // The window's own frame (app/frame.h) on a platform without a backend.
  void frame() {
    app::prepare_frame(*app_, platform_);
    app::build_frame(*app_, app_->poll_workers(), platform_);
  }
  void press(int key, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    frame();
  }
  app::test::NoGlPlatform platform_;
  ImGuiContext* ctx_ = nullptr;
  std::unique_ptr<AppState> app_;
};

TEST_F(HeadlessUi, HoveringEverywhereNeverCrashes) {
  ImGuiIO& io = ImGui::GetIO();
  frame();
  for (float y = 2; y < io.DisplaySize.y; y += 23)
    for (float x = 3; x < io.DisplaySize.x; x += 37) {
      io.MousePos = ImVec2(x, y);
      frame();
    }
  // Right-click in the middle of the grid opens its menu; Escape closes it.
  const MainLayout lay = app_->layout();
  io.MousePos = ImVec2(lay.figure.x + lay.figure.w / 2, lay.figure.y + lay.figure.h / 2);
  frame();
  io.MouseDown[1] = true;
  frame();
  io.MouseDown[1] = false;
  frame();
  EXPECT_TRUE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
  io.MousePos = ImVec2(5, io.DisplaySize.y / 2);  // click outside closes it
  io.MouseDown[0] = true;
  frame();
  io.MouseDown[0] = false;
  frame();
  EXPECT_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
}

// Ctrl+S and "Save … as PNG" before an export folder is chosen: the folder dialog opens and the
// request waits for it (AppState::after_export_dir); Cancel forgets it. The dialog's fields live
// in AppState (no static state in the views).
TEST_F(HeadlessUi, ExportFolderFlowWaitsForTheFolderAndCancelForgetsIt) {
  ImGui::GetIO().KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE;  // what the GLFW backend maps
  const auto any_popup = [] {
    return ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
  };
  ASSERT_TRUE(app_->settings.export_dir.empty());
  frame();
  app_->save_window_png = true;
  save_requested_window_png(*app_, 1600, 1000);  // no folder yet: no pixels are read
  EXPECT_FALSE(app_->save_window_png);
  EXPECT_EQ(app_->after_export_dir, AppState::AfterExportDir::SaveWindow);
  frame();
  EXPECT_TRUE(any_popup()) << "the export-folder dialog opens";
  EXPECT_EQ(app_->export_dir_dialog.path, default_export_dir());
  press(GLFW_KEY_ESCAPE);
  EXPECT_FALSE(any_popup());
  EXPECT_EQ(app_->after_export_dir, AppState::AfterExportDir::Nothing);

  app_->panel_png = PanelPngRequest{render::FigureKind::Heatmap, std::nullopt, 1.0f};
  save_requested_panel_png(*app_);
  EXPECT_EQ(app_->after_export_dir, AppState::AfterExportDir::SavePanel);
  EXPECT_TRUE(app_->panel_png.has_value()) << "the request waits for the folder";
  frame();
  EXPECT_TRUE(any_popup());
  press(GLFW_KEY_ESCAPE);
  EXPECT_FALSE(app_->panel_png.has_value()) << "Cancel forgets the request";
  EXPECT_EQ(app_->after_export_dir, AppState::AfterExportDir::Nothing);
  EXPECT_TRUE(app_->settings.export_dir.empty());
}

TEST_F(HeadlessUi, ClassroomKeys) {
  frame();
  ASSERT_TRUE(app_->runner.playing());
  press(GLFW_KEY_SPACE);
  EXPECT_FALSE(app_->runner.playing()) << "Space should pause";
  press(GLFW_KEY_SPACE);
  EXPECT_TRUE(app_->runner.playing()) << "Space should play";

  const uint64_t seed = app_->current.seed;
  press(GLFW_KEY_R);
  EXPECT_EQ(app_->current.seed, seed + 1) << "R draws new weights from seed + 1";

  const auto& presets = preset_list();
  ASSERT_GE(presets.size(), 2u);
  press(GLFW_KEY_2);
  EXPECT_EQ(app_->current.preset, presets[1].name) << "key 2 loads the second preset";
  EXPECT_EQ(app_->controls.inits.size(), app_->current.inits.size());

  press(GLFW_KEY_TAB);
  EXPECT_FALSE(app_->settings.show_controls);
  EXPECT_TRUE(app_->layout().controls.empty());
  press(GLFW_KEY_TAB);
  EXPECT_TRUE(app_->settings.show_controls);

  const float scale = app_->settings.font_scale;
  press(GLFW_KEY_EQUAL, /*ctrl=*/true);
  EXPECT_GT(app_->settings.font_scale, scale) << "Ctrl + makes the text larger";
  EXPECT_GT(app_->font_px, render::font_pixels(1.0f)) << "the atlas was rebuilt larger";
  press(GLFW_KEY_MINUS, true);
  EXPECT_EQ(app_->settings.font_scale, scale);
  for (int i = 0; i < 20; ++i) press(GLFW_KEY_MINUS, true);
  EXPECT_EQ(app_->settings.font_scale, kMinFontScale) << "clamped at the table's minimum";

  // Hover across the window at the largest scale too: the layout must hold at every scale.
  app_->set_font_scale(kMaxFontScale);
  frame();
  ImGuiIO& io = ImGui::GetIO();
  for (float y = 5; y < io.DisplaySize.y; y += 61)
    for (float x = 5; x < io.DisplaySize.x; x += 83) {
      io.MousePos = ImVec2(x, y);
      frame();
    }
}

TEST_F(HeadlessUi, RefusedEditsKeepTheRunningExperiment) {
  frame();
  const Experiment before = app_->current;
  Experiment bad = before;
  bad.layers = 0;
  EXPECT_NE(app_->apply(bad), "") << "0 layers must be refused with a message";
  EXPECT_EQ(app_->current.layers, before.layers);

  Experiment huge = before;
  huge.layers = 1000;
  huge.widths = {4096};
  huge.memory_limit_gb = 0.01;
  const std::string msg = app_->apply(huge);
  EXPECT_NE(msg, "") << "an experiment over the memory limit must be refused";
  EXPECT_EQ(app_->current.layers, before.layers);

  Experiment ok = before;
  ok.layers = 3;
  EXPECT_EQ(app_->apply(ok), "");
  auto s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 120);
  for (int i = 0; i < 200 && (!s || s->experiment.layers != 3); ++i)
    s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 1);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->experiment.layers, 3);
  frame();  // the views draw the new shape
}

// The figure views, by key: V cycles Grid → Heatmap → Over time → Signal → Phase diagram →
// Training
// (outside training mode: how to start it) → Grid, each drawn and hovered everywhere; Q cycles the
// quantity, and a gradient turns the backward pass on.
TEST_F(HeadlessUi, ViewKeysAndHoveringEveryView) {
  ImGuiIO& io = ImGui::GetIO();
  frame();
  ASSERT_EQ(app_->settings.view, FigureView::Grid);
  for (FigureView expected : {FigureView::Heatmap, FigureView::History, FigureView::Signal,
                              FigureView::Phase, FigureView::Training, FigureView::Grid}) {
    press(GLFW_KEY_V);
    EXPECT_EQ(app_->settings.view, expected) << "V goes to " << view_key(expected);
    frame();
    EXPECT_EQ(app_->settings.view, expected) << "the tab bar follows " << view_key(expected);
    for (float y = 4; y < io.DisplaySize.y; y += 47)
      for (float x = 6; x < io.DisplaySize.x; x += 71) {
        io.MousePos = ImVec2(x, y);
        frame();
      }
    io.MousePos = ImVec2(-1, -1);
  }
  io.KeyShift = true;
  press(GLFW_KEY_V);
  io.KeyShift = false;
  EXPECT_EQ(app_->settings.view, FigureView::Training) << "Shift+V goes back";

  EXPECT_FALSE(app_->current.gradients);
  press(GLFW_KEY_Q);
  EXPECT_EQ(app_->settings.quantity, render::Quantity::PreActivation);
  press(GLFW_KEY_Q);
  EXPECT_EQ(app_->settings.quantity, render::Quantity::ActivationGrad);
  EXPECT_TRUE(app_->current.gradients) << "a gradient view turns the backward pass on";
  EXPECT_EQ(app_->controls.gradients, true) << "and the checkbox shows it";
  // Every view draws gradients (once the worker has them) without trouble.
  auto s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 120);
  for (int i = 0; i < 200 && (!s || !s->columns.front().layers.front().has_grad); ++i)
    s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 1);
  ASSERT_TRUE(s && s->columns.front().layers.front().has_grad);
  for (FigureView v : kFigureViews) {
    app_->set_view(v);
    frame();
    frame();
  }
  // Turning the backward pass off while a gradient is shown goes back to activations.
  EXPECT_EQ(app_->set_gradients(false, "sum"), "");
  EXPECT_EQ(app_->settings.quantity, render::Quantity::Activation);
  EXPECT_FALSE(app_->current.gradients);
}

// The phase diagram's point of a column, moved to (σ_w², σ_b²): the init keeps σ_w² exactly in
// every layer whatever its size; the bias (shared) gets σ_b², or goes away at 0.
TEST(PhasePoint, RewritesTheColumnAndTheSharedBias) {
  Experiment e = load_preset("compare");
  e.widths = {500, 300, 200, 400};
  e.layers = 4;
  const Experiment moved = with_phase_point(e, 2, 2.78, 0.05);
  EXPECT_EQ(moved.inits[2].text,
            "variance_scaling:scale=2.78,mode=fan_in,distribution=untruncated_normal");
  EXPECT_EQ(moved.inits[0].text, e.inits[0].text) << "other columns keep their init";
  for (int l = 1; l <= e.layers; ++l)
    EXPECT_NEAR(effective_init(moved, moved.inits[2], l).sigma_w2, 2.78, 1e-9) << "layer " << l;
  ASSERT_TRUE(moved.bias.has_value());
  EXPECT_EQ(moved.bias->text, "normal:std=0.2236");
  EXPECT_NEAR(effective_init(moved, moved.inits[0], 1).sigma_b2, 0.05, 1e-4);
  const Experiment no_bias = with_phase_point(moved, 0, 0.5, 0.0001);
  EXPECT_FALSE(no_bias.bias.has_value()) << "σ_b² ≈ 0: no bias";
  EXPECT_NO_THROW(no_bias.validate());
  EXPECT_EQ(with_phase_point(e, 0, 0, 0).inits[0].number("scale", e.activation), 0.001)
      << "σ_w² = 0 is kept at the smallest representable value";
}

// A click in the phase diagram (where render::phase_layout says the point is) moves the selected
// column there: its init and the experiment's bias are rewritten and handed to the worker.
TEST_F(HeadlessUi, ClickingThePhaseDiagramMovesTheSelectedColumn) {
  ImGuiIO& io = ImGui::GetIO();
  app_->set_view(FigureView::Phase);
  app_->phase_column = 1;
  const PhaseGrid* grid = nullptr;
  for (int i = 0; i < 600 && !grid; ++i) {
    frame();
    grid = app_->phase_grid.get(app_->current.activation);
    if (!grid) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(grid, nullptr) << "the phase field never arrived";
  frame();
  // The diagram's rectangle as phase_view.cpp draws it: the figure less its bottom line.
  const UiMetrics m = app_->metrics();
  const Rect fr = figure_rect(app_->layout(), m);
  const render::PhaseLayout lay =
      render::phase_layout(ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h - phase_help_height(m.font_px)),
                           grid, app_->figure_options(), m.font_px);
  const ImVec2 p = render::phase_point_pos(lay, 3.0, 0.2);
  io.MousePos = p;
  frame();
  io.MouseDown[0] = true;
  frame();
  io.MouseDown[0] = false;
  frame();
  const InitSpec& spec = app_->current.inits[1];
  ASSERT_EQ(spec.scheme->name, "variance_scaling") << spec.text;
  // One pixel of the plot is (hi − lo) / width of σ_w²: the click lands within it.
  const double px_w2 = (lay.sigma_w2.hi - lay.sigma_w2.lo) / (lay.plot.x1 - lay.plot.x0);
  const double px_b2 = (lay.sigma_b2.hi - lay.sigma_b2.lo) / (lay.plot.y1 - lay.plot.y0);
  EXPECT_NEAR(spec.number("scale", app_->current.activation), 3.0, px_w2 + 0.01) << spec.text;
  ASSERT_TRUE(app_->current.bias.has_value());
  const EffectiveInit init = effective_init(app_->current, spec, 1);
  EXPECT_NEAR(init.sigma_b2, 0.2, px_b2 + 0.002) << app_->current.bias->text;
  EXPECT_NE(app_->current.inits[0].scheme->name, "variance_scaling") << "only column 2 moved";
  EXPECT_NE(app_->notice.find("every column"), std::string::npos) << app_->notice;
}

// The "over time" history grows by one entry per new snapshot and starts over when the
// experiment changes.
TEST_F(HeadlessUi, HistoryRecordsSnapshotsAndRestartsOnChange) {
  frame();
  const uint64_t first = app_->runner.status().updates;
  size_t before = app_->history.size();
  EXPECT_GE(before, 1u);
  for (int i = 0; i < 3; ++i) {
    app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 60);
    frame();
  }
  EXPECT_GT(app_->runner.status().updates, first);
  EXPECT_GT(app_->history.size(), before);
  EXPECT_EQ(app_->history.layer(), app_->current.layers) << "0 = the last layer";
  Experiment e = app_->current;
  e.layers = 3;
  ASSERT_EQ(app_->apply(e), "");
  auto s = app_->runner.latest();
  for (int i = 0; i < 400 && (!s || s->experiment.layers != 3); ++i)
    s = app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 1);
  frame();
  EXPECT_EQ(app_->history.size(), 1u) << "a new experiment starts a new history";
  EXPECT_EQ(app_->history.layer(), 3);
}

// Training mode driven as a user would: switch an experiment to training (small IDX data
// written here), look at every view, pause, step one burst, reset, and back to exploring.
TEST_F(HeadlessUi, TrainingModeTransportAndViews) {
  initscope::test::TempFolder data("ui_training_data");
  initscope::test::write_split(data.path, "train", initscope::test::prototype_images(640, 8, 4, 1),
                               true);
  initscope::test::write_split(data.path, "t10k", initscope::test::prototype_images(200, 8, 4, 2),
                               true);
  Experiment e = app_->current;
  e.layers = 2;
  e.widths = {16, 4};
  e.input_dim = 64;
  e.batch = 100;
  e.activation = Activation::parse("relu");
  e.training = TrainingConfig{};
  e.training->data = data.path.string();
  e.training->batch = 32;
  e.training->epochs = 50;
  app_->set_train_burst(5);
  ASSERT_EQ(app_->apply(e), "");
  ASSERT_TRUE(app_->training());
  EXPECT_FALSE(app_->runner.playing()) << "the simulation rests while training";
  ASSERT_NE(app_->trainer->wait_for_snapshot(10, 60), nullptr);
  frame();
  ASSERT_NE(app_->snap, nullptr) << "the views show the training networks' probe";
  EXPECT_EQ(app_->snap->columns.size(), e.inits.size());

  // Space pauses (the running burst ends first).
  press(GLFW_KEY_SPACE);
  ASSERT_FALSE(app_->playing());
  for (int i = 0; i < 200 && app_->trainer->status().phase != TrainingPhase::Paused; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(app_->trainer->status().phase, TrainingPhase::Paused);

  // Every view, hovered, with activations and with weight gradients (the probe has them).
  ImGuiIO& io = ImGui::GetIO();
  for (FigureView v : kFigureViews) {
    app_->set_view(v);
    for (render::Quantity q : {render::Quantity::Activation, render::Quantity::WeightGrad}) {
      EXPECT_EQ(app_->set_quantity(q), "");
      frame();
      for (float y = 40; y < io.DisplaySize.y; y += 97)
        for (float x = 350; x < io.DisplaySize.x; x += 131) {
          io.MousePos = ImVec2(x, y);
          frame();
        }
    }
  }
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  EXPECT_TRUE(app_->current.training.has_value()) << "showing dL/dW must not leave training";

  // → runs exactly one burst (5 steps) and stays paused.
  const std::shared_ptr<const TrainingSnapshot> at = app_->trainer->latest();
  ASSERT_NE(at, nullptr);
  const uint64_t before = at->step;
  press(GLFW_KEY_RIGHT);
  const std::shared_ptr<const TrainingSnapshot> stepped =
      app_->trainer->wait_for_snapshot(before + 5, 30);
  ASSERT_NE(stepped, nullptr);
  EXPECT_EQ(stepped->step, before + 5) << "→ runs one burst of 5 steps";
  EXPECT_FALSE(app_->playing());

  // R starts over from the same init: a snapshot at step 0 (paused, it stays there).
  press(GLFW_KEY_R);
  std::shared_ptr<const TrainingSnapshot> reset;
  for (int i = 0; i < 300; ++i) {
    reset = app_->trainer->latest();
    if (reset && reset->step == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(reset, nullptr);
  EXPECT_EQ(reset->step, 0u) << "R: training starts over";
  EXPECT_EQ(app_->current.seed, e.seed) << "R keeps the seed in training mode";
  frame();

  // Back to exploring: the trainer goes (stopped off the UI thread), the simulation plays.
  EXPECT_EQ(app_->set_training(false), "");
  EXPECT_FALSE(app_->training());
  EXPECT_FALSE(app_->current.training.has_value());
  ASSERT_NE(app_->runner.wait_for_snapshot(app_->runner.status().updates + 1, 60), nullptr);
  frame();
  EXPECT_NE(app_->snap, nullptr);
}

// Issue 12: the Input dim control holds the value in use (the first width while none is set),
// not 0, and follows the width; an edit is a change from the preset: its title goes.
TEST_F(HeadlessUi, InputDimShowsTheValueInUseAndEditsRetitle) {
  frame();
  EXPECT_EQ(app_->current.input_dim, 0);
  EXPECT_EQ(app_->controls.input_dim, 500);
  Experiment e = app_->current;
  e.widths = {300};
  ASSERT_EQ(app_->apply(e), "");
  frame();
  EXPECT_EQ(app_->controls.input_dim, 300);
  EXPECT_EQ(experiment_heading(app_->current).title,
            "tanh, 10 \xC3\x97 300, 4 inits: normal, normal, xavier_normal, kaiming_normal");
  e.input_dim = 784;
  ASSERT_EQ(app_->apply(e), "");
  frame();
  EXPECT_EQ(app_->controls.input_dim, 784);
  app_->load_preset("compare");
  frame();
  EXPECT_EQ(app_->controls.input_dim, 500);
  EXPECT_EQ(experiment_heading(app_->current).title, "Four inits, one tanh network");
}

}  // namespace
}  // namespace initscope::app
