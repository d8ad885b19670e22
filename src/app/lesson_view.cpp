// A lesson on screen (lesson_state.h): the panel beside the figure with the step number, the
// question and — once revealed — the explanation; and, while a step's question is asked, the
// card that stands in for the figure, so that the class predicts before it sees.
#include <imgui.h>

#include "render/fonts.h"
#include "render/quantity.h"
#include "views.h"

namespace initscope::app {
namespace {

constexpr const char* kNextKeys = "\xE2\x86\x92 / PgDn";  // → / PgDn
constexpr const char* kBackKeys = "\xE2\x86\x90 / PgUp";  // ← / PgUp

void wrapped(ImFont* font, const std::string& text) {
  ImGui::PushFont(font);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopFont();
}

// Back / Next for the mouse, the keys written on them.
void step_buttons(AppState& app) {
  const LessonProgress& p = *app.lesson;
  const bool first = p.step == 0 && p.phase == LessonPhase::Question;
  const bool last =
      p.step + 1 == static_cast<int>(p.lesson.steps.size()) && p.phase == LessonPhase::Reveal;
  const std::string back = std::string("Back (") + kBackKeys + ")";
  const std::string next =
      std::string(p.phase == LessonPhase::Question ? "Reveal (" : "Next (") + kNextKeys + ")";
  ImGui::BeginDisabled(first);
  if (ImGui::Button(back.c_str())) lesson_back(app);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(last);
  if (ImGui::Button(next.c_str())) lesson_forward(app);
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
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", p.lesson.title.c_str());
  wrapped(fonts.title, p.shown_heading);
  wrapped(fonts.bold, step.title);
  ImGui::TextDisabled("%s", app.current.summary().c_str());
  ImGui::Spacing();
  ImGui::Separator();
  wrapped(fonts.bold, "Question");
  ImGui::TextUnformatted(step.question.c_str());
  ImGui::Spacing();
  if (p.phase == LessonPhase::Reveal) {
    ImGui::Separator();
    wrapped(fonts.bold, "What the histograms show");
    ImGui::TextUnformatted(step.explanation.c_str());
  } else {
    ImGui::TextDisabled("Think, discuss, predict \xE2\x80\x94 then %s shows the answer.",
                        kNextKeys);
  }
  ImGui::Spacing();
  ImGui::Separator();
  step_buttons(app);
  ImGui::TextDisabled("%s next \xC2\xB7 %s back \xC2\xB7 Space play/pause \xC2\xB7 N new batch",
                      kNextKeys, kBackKeys);
  ImGui::PopTextWrapPos();
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
  ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - 2 * pad);
  ImGui::TextDisabled("%s \xC2\xB7 %s", p.lesson.title.c_str(), lesson_step_heading(p).c_str());
  wrapped(fonts.title, step.title);
  ImGui::Spacing();
  ImGui::TextDisabled("The experiment: %s", app.current.summary().c_str());
  for (const InitSpec& init : app.current.inits) ImGui::BulletText("%s", init.text.c_str());
  ImGui::TextDisabled("The figure: %s", render::quantity_title(app.settings.quantity));
  ImGui::Spacing();
  ImGui::Spacing();
  wrapped(fonts.title, step.question);
  ImGui::Spacing();
  ImGui::Spacing();
  ImGui::TextDisabled("The figure is hidden until you answer: %s reveals it.", kNextKeys);
  ImGui::PopTextWrapPos();
  end_panel();
}

}  // namespace initscope::app
