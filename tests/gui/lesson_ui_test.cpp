// A lesson driven through the window's own per-frame function (app/frame.h) without a window:
// key presses injected as the GLFW backend delivers them, every step of every shipped lesson
// walked forward with → / PageDown and back with ← / PageUp, checking after each press the step
// and whether its question (figure hidden) or its explanation (figure shown) is on screen.
#include <GLFW/glfw3.h>  // key codes (ImGui 1.86 indexes io.KeysDown by them)
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName: which panels the last frame drew

#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/frame.h"
#include "app/lesson_state.h"
#include "core/lesson.h"
#include "core/presets.h"
#include "headless_window.h"
#include "render/fonts.h"

namespace initscope::app {
namespace {

class LessonUi : public ::testing::Test {
 protected:
  // The window's own per-frame function, headless (headless_window.h); the pointer is the
  // test's (not scripted).
  LessonUi() : window_("compare", /*scripted=*/false), app_(&window_.app()) {}
  void frame() { window_.frame(); }
  void press(int key) { window_.press(key); }
  // Drawn in the last frame.
  static bool drawn(const char* panel) {
    const ImGuiWindow* w = ImGui::FindWindowByName(panel);
    return w && w->Active;
  }
  static const char* figure_panel(const std::string& view) {
    return view == "training" ? "##training" : view == "grid" ? "##grid" : "##heatmap";
  }
  // What the window shows now is step `index` (0-based) of `lesson` in `phase`.
  void expect_shown(const Lesson& lesson, int index, LessonPhase phase, const std::string& after) {
    SCOPED_TRACE(lesson.name + ", after " + after);
    ASSERT_TRUE(app_->lesson.has_value());
    const LessonProgress& p = *app_->lesson;
    const LessonStep& step = lesson.steps[static_cast<size_t>(index)];
    EXPECT_EQ(p.step, index);
    EXPECT_EQ(p.phase, phase);
    EXPECT_EQ(p.shown_heading,
              "Step " + std::to_string(index + 1) + " / " + std::to_string(lesson.steps.size()))
        << "the step number on screen";
    EXPECT_EQ(p.shown_phase, phase);
    const bool asking = phase == LessonPhase::Question;
    EXPECT_EQ(drawn("##lesson_question"), asking) << "the question card hides the figure";
    EXPECT_EQ(drawn(figure_panel(step.view)), !asking) << "the revealed figure";
    EXPECT_TRUE(drawn("##lesson")) << "the lesson panel is always there";
    EXPECT_FALSE(drawn("##narrative"));
    EXPECT_EQ(app_->current.to_json(), step.experiment.to_json()) << "the step's experiment runs";
    EXPECT_STREQ(view_key(app_->settings.view), step.view.c_str());
  }

  test::HeadlessWindow window_;
  AppState* app_;
};

TEST_F(LessonUi, EveryLessonStepsForwardAndBackWithTheKeys) {
  for (const LessonInfo& info : lesson_list()) {
    const Lesson lesson = load_lesson(info.name);
    const int n = static_cast<int>(lesson.steps.size());
    ASSERT_EQ(open_lesson(*app_, lesson, 0, LessonPhase::Question), "");
    frame();
    expect_shown(lesson, 0, LessonPhase::Question, "opening");
    // Forward: question → reveal → next question …, alternating → and PageDown (a clicker).
    int presses = 0;
    for (int i = 0; i < n; ++i) {
      for (LessonPhase phase : {LessonPhase::Question, LessonPhase::Reveal}) {
        if (i == 0 && phase == LessonPhase::Question) continue;
        const bool arrow = presses++ % 2 == 0;
        press(arrow ? GLFW_KEY_RIGHT : GLFW_KEY_PAGE_DOWN);
        expect_shown(lesson, i, phase, std::to_string(presses) + (arrow ? " x →" : " x PgDn"));
      }
    }
    press(GLFW_KEY_RIGHT);
    expect_shown(lesson, n - 1, LessonPhase::Reveal, "→ at the end (stays)");
    // Back: reveal → question → the previous step's reveal …, alternating ← and PageUp.
    presses = 0;
    for (int i = n - 1; i >= 0; --i) {
      for (LessonPhase phase : {LessonPhase::Reveal, LessonPhase::Question}) {
        if (i == n - 1 && phase == LessonPhase::Reveal) continue;
        const bool arrow = presses++ % 2 == 0;
        press(arrow ? GLFW_KEY_LEFT : GLFW_KEY_PAGE_UP);
        expect_shown(lesson, i, phase, std::to_string(presses) + (arrow ? " x ←" : " x PgUp"));
      }
    }
    press(GLFW_KEY_LEFT);
    expect_shown(lesson, 0, LessonPhase::Question, "← at the start (stays)");
  }
}

TEST_F(LessonUi, NStillStepsTheSimulationAndAPresetKeyLeavesTheLesson) {
  const Lesson lesson = load_lesson("init-in-eight-steps");
  ASSERT_EQ(open_lesson(*app_, lesson, 2, LessonPhase::Reveal), "");
  frame();
  expect_shown(lesson, 2, LessonPhase::Reveal, "opening at step 3, revealed");
  press(GLFW_KEY_N);
  EXPECT_EQ(app_->lesson->step, 2) << "N is the simulation's step, not the lesson's";
  EXPECT_EQ(app_->lesson->phase, LessonPhase::Reveal);
  press(GLFW_KEY_1);
  EXPECT_FALSE(app_->lesson.has_value()) << "a preset chosen by hand leaves the lesson";
  EXPECT_EQ(app_->current.preset, preset_list()[0].name);
  frame();
  EXPECT_FALSE(drawn("##lesson"));
  EXPECT_FALSE(drawn("##lesson_question"));
  EXPECT_TRUE(drawn("##narrative"));
}

TEST_F(LessonUi, AStepOutsideTheLessonIsRefused) {
  const Lesson lesson = load_lesson("gradients");
  EXPECT_NE(
      open_lesson(*app_, lesson, static_cast<int>(lesson.steps.size()), LessonPhase::Question), "");
  EXPECT_FALSE(app_->lesson.has_value());
  EXPECT_EQ(app_->current.preset, "compare") << "the running experiment is kept";
}

}  // namespace
}  // namespace initscope::app
