// A lesson on screen (lesson_state.h): the panel beside the figure with the step number, the
// question and — once revealed — the explanation; and, while a step's question is asked, the
// card that stands in for the figure, so that the class predicts before it sees.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "render/fonts.h"
#include "render/quantity.h"
#include "views.h"

namespace initscope::app {
namespace {

constexpr const char* kNextKeys = "\xE2\x86\x92 / PgDn";  // → / PgDn
constexpr const char* kBackKeys = "\xE2\x86\x90 / PgUp";  // ← / PgUp

void wrapped(ImFont* font, const std::string& text) {
  ImGui::PushFont(font);
  wrapped_text(text);
  ImGui::PopFont();
}

// Back / Reveal / Next for the mouse; the keys are written under them.
void step_buttons(AppState& app) {
  const LessonProgress& p = *app.lesson;
  const bool first = p.step == 0 && p.phase == LessonPhase::Question;
  const bool last =
      p.step + 1 == static_cast<int>(p.lesson.steps.size()) && p.phase == LessonPhase::Reveal;
  ImGui::BeginDisabled(first);
  if (ImGui::Button("\xE2\x86\x90 Back")) lesson_back(app);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(last);
  if (ImGui::Button(p.phase == LessonPhase::Question ? "Reveal \xE2\x86\x92" : "Next \xE2\x86\x92"))
    lesson_forward(app);
  ImGui::EndDisabled();
}

}  // namespace

void draw_lesson_panel(AppState& app, const Rect& r) {
  if (!begin_panel("##lesson", r)) {
    end_panel();
    return;
  }
  LessonProgress& p = *app.lesson;
  const LessonStep& step = p.lesson.steps[static_cast<size_t>(p.step)];
  const render::Fonts fonts = render::fonts();
  p.shown_heading = lesson_step_heading(p);
  p.shown_phase = p.phase;
  wrapped_text_disabled(p.lesson.title);
  wrapped(fonts.title, p.shown_heading);
  wrapped(fonts.bold, step.title);
  wrapped_text_disabled(app.current.summary());
  ImGui::Spacing();
  ImGui::Separator();
  wrapped(fonts.bold, "Question");
  wrapped_text(step.question);
  ImGui::Spacing();
  if (p.phase == LessonPhase::Reveal) {
    ImGui::Separator();
    wrapped(fonts.bold, "The answer");
    wrapped_text(step.explanation);
  } else {
    wrapped_text_disabled(std::string("Think, discuss, predict \xE2\x80\x94 then ") + kNextKeys +
                          " shows the answer.");
  }
  ImGui::Spacing();
  ImGui::Separator();
  step_buttons(app);
  wrapped_text_disabled(std::string(kNextKeys) + " next \xC2\xB7 " + kBackKeys +
                        " back \xC2\xB7 Space play/pause \xC2\xB7 N new batch");
  end_panel();
}

void draw_lesson_question(AppState& app, const Rect& r) {
  if (!begin_panel("##lesson_question", r)) {
    end_panel();
    return;
  }
  const LessonProgress& p = *app.lesson;
  const LessonStep& step = p.lesson.steps[static_cast<size_t>(p.step)];
  const render::Fonts fonts = render::fonts();
  const float pad = app.metrics().pad;
  ImGui::SetCursorPos(ImVec2(2 * pad, 2 * pad));
  ImGui::BeginGroup();  // the card's lines keep the left margin
  wrapped_text_disabled(p.lesson.title + " \xC2\xB7 " + lesson_step_heading(p));
  wrapped(fonts.title, step.title);
  ImGui::Spacing();
  wrapped_text_disabled("The experiment: " + app.current.summary());
  for (const InitSpec& init : app.current.inits) ImGui::BulletText("%s", init.text.c_str());
  wrapped_text_disabled(std::string("The figure: ") +
                        render::quantity_title(app.settings.quantity));
  ImGui::Spacing();
  ImGui::Spacing();
  wrapped(fonts.title, step.question);
  ImGui::Spacing();
  ImGui::Spacing();
  wrapped_text_disabled(std::string("The figure is hidden until you answer: ") + kNextKeys +
                        " reveals it.");
  ImGui::EndGroup();
  end_panel();
}

}  // namespace initscope::app
