// Presentation mode (issue 12): F5 in, F5 or Esc out; at 1920×1080 with text ×2 and at
// 1280×720 with text ×1.5 the `compare` preset's grid lays out all 10 layers × 4 columns inside
// the window, and neither the grid nor the narrative scrolls.
#include <imgui.h>
#include <imgui_internal.h>  // ImGui::FindWindowByName: the panels' scroll limits

#include "app/views.h"
#include "headless_window.h"

namespace initscope::app {
namespace {

struct Screen {
  float width, height, font_scale;
};

// The scroll range of a panel (begin_panel's window of that name); 0 = everything is visible.
float scroll_max_y(const char* panel) {
  const ImGuiWindow* w = ImGui::FindWindowByName(panel);
  return w ? w->ScrollMax.y : -1.0f;
}

class Presentation : public ::testing::TestWithParam<Screen> {};

TEST_P(Presentation, CompareShowsTenLayersFourColumnsAndTheNarrative) {
  const Screen screen = GetParam();
  test::HeadlessWindow win("compare");
  ASSERT_TRUE(win.has_snapshot());
  AppState& app = win.app();
  win.set_size(screen.width, screen.height);
  win.set_font_scale(screen.font_scale);
  win.settle();
  ASSERT_FALSE(app.presenting);
  win.press(GLFW_KEY_F5);
  ASSERT_TRUE(app.presenting) << "F5 enters presentation mode";
  win.settle();
  EXPECT_EQ(app.settings.font_scale, screen.font_scale) << "already ≥ ×1.5: the text is kept";

  const MainLayout lay = app.last_layout;
  EXPECT_TRUE(lay.menu.empty() && lay.controls.empty() && lay.tabs.empty() && lay.status.empty())
      << "presentation mode shows the figure and the narrative only";
  ASSERT_FALSE(lay.narrative.empty()) << "the narrative is shown";
  ASSERT_FALSE(lay.figure.empty());
  EXPECT_LE(lay.figure.x + lay.figure.w, lay.narrative.x) << "side by side";
  EXPECT_LE(lay.narrative.x + lay.narrative.w, screen.width + 0.5f);
  EXPECT_LE(lay.figure.y + lay.figure.h, screen.height + 0.5f);

  // The grid as grid_view.cpp lays it out (window padding 0, the figure inset by pad).
  const UiMetrics m = app.metrics();
  const ImVec2 pos(lay.figure.x + m.pad, lay.figure.y + m.pad);
  const ImVec2 size(lay.figure.w - 2 * m.pad, lay.figure.h - 2 * m.pad);
  const render::FigureOptions opt = app.figure_options();
  EXPECT_TRUE(opt.compact);
  const render::GridLayout grid = render::grid_layout(pos, size, *app.snap, opt, m.font_px);
  ASSERT_EQ(grid.layers.size(), 10u) << "every layer has a row";
  ASSERT_EQ(grid.columns, 4) << "every init has a column";
  EXPECT_LE(grid.total_height, size.y) << "the grid needs no scrolling";
  for (const render::CellRect& c : grid.cells) {
    EXPECT_GE(c.x0, lay.figure.x);
    EXPECT_LE(c.x1, lay.figure.x + lay.figure.w);
    EXPECT_LE(c.y1, lay.figure.y + lay.figure.h - m.pad) << "a row below the window's edge";
    // Readable from the back: a cell is at least ~2 text lines high and 7 font sizes wide.
    EXPECT_GE(c.y1 - c.y0, 1.7f * m.font_px);
    EXPECT_GE(c.x1 - c.x0, 7.0f * m.font_px);
  }
  EXPECT_EQ(scroll_max_y("##grid"), 0.0f) << "the grid panel does not scroll";
  EXPECT_EQ(scroll_max_y("##narrative"), 0.0f) << "the narrative fits without scrolling";

  win.press(GLFW_KEY_F5);
  EXPECT_FALSE(app.presenting) << "F5 leaves";
  win.frame();
  EXPECT_FALSE(app.last_layout.menu.empty()) << "the menu is back";
  win.press(GLFW_KEY_F5);
  ASSERT_TRUE(app.presenting);
  win.press(GLFW_KEY_ESCAPE);
  EXPECT_FALSE(app.presenting) << "Esc leaves";
}

INSTANTIATE_TEST_SUITE_P(ProjectorSizes, Presentation,
                         ::testing::Values(Screen{1920, 1080, 2.0f}, Screen{1280, 720, 1.5f}),
                         [](const ::testing::TestParamInfo<Screen>& info) {
                           return std::to_string(int(info.param.width)) + "x" +
                                  std::to_string(int(info.param.height));
                         });

// At text ×1 presentation mode raises the text to ×1.5, and gives ×1 back on leaving.
TEST(PresentationText, RaisedWhileCompareIsPresentedAndGivenBack) {
  test::HeadlessWindow win("compare");
  ASSERT_TRUE(win.has_snapshot());
  win.set_size(1280, 720);
  win.settle();
  win.press(GLFW_KEY_F5);
  EXPECT_EQ(win.app().settings.font_scale, kPresentFontScale);
  win.press(GLFW_KEY_ESCAPE);
  EXPECT_EQ(win.app().settings.font_scale, 1.0f);
}

}  // namespace
}  // namespace initscope::app
