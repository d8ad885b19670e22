#include "lesson_state.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "app_state.h"
#include "figure_view.h"
#include "render/quantity.h"

namespace initscope::app {
namespace {

// Shows step `index` of the open lesson (its experiment, view and quantity) in `phase`.
std::string go_to_step(AppState& app, int index, LessonPhase phase) {
  LessonProgress& p = *app.lesson;
  const LessonStep& step = p.lesson.steps.at(static_cast<size_t>(index));
  if (index != p.step && app.current.to_json() != step.experiment.to_json()) {
    if (std::string err = app.apply(step.experiment); !err.empty()) {
      app.notify(err, true);
      return err;
    }
  }
  app.controls.sync(app.current);
  app.controls.clear_error();
  FigureView view = FigureView::Grid;
  parse_view(step.view, view);  // the names were checked by the lesson's loader
  app.set_view(view);
  render::Quantity quantity = render::Quantity::Activation;
  render::parse_quantity(step.show, quantity);
  app.set_quantity(quantity);
  p.step = index;
  p.phase = phase;
  return "";
}

}  // namespace

std::string lesson_step_heading(const LessonProgress& p) {
  return "Step " + std::to_string(p.step + 1) + " / " + std::to_string(p.lesson.steps.size());
}

std::string open_lesson(AppState& app, Lesson lesson, int step, LessonPhase phase) {
  if (step < 0 || step >= static_cast<int>(lesson.steps.size()))
    return "no step " + std::to_string(step + 1) + " in this lesson";
  std::optional<LessonProgress> before = std::move(app.lesson);
  app.lesson.emplace();
  app.lesson->lesson = std::move(lesson);
  app.lesson->step = -1;  // whatever runs now, the step's experiment is applied
  if (std::string err = go_to_step(app, step, phase); !err.empty()) {
    app.lesson = std::move(before);
    return err;
  }
  app.notify("Lesson: " + app.lesson->lesson.title +
             " \xE2\x80\x94 \xE2\x86\x92 / PgDn next, "
             "\xE2\x86\x90 / PgUp back");
  return "";
}

void lesson_forward(AppState& app) {
  if (!app.lesson) return;
  LessonProgress& p = *app.lesson;
  if (p.phase == LessonPhase::Question) {
    p.phase = LessonPhase::Reveal;
  } else if (p.step + 1 < static_cast<int>(p.lesson.steps.size())) {
    go_to_step(app, p.step + 1, LessonPhase::Question);
  } else {
    app.notify(
        "The end of the lesson (\xE2\x86\x90 goes back; Presets \xE2\x86\x92 Leave the "
        "lesson)");
  }
}

void lesson_back(AppState& app) {
  if (!app.lesson) return;
  LessonProgress& p = *app.lesson;
  if (p.phase == LessonPhase::Reveal)
    p.phase = LessonPhase::Question;
  else if (p.step > 0)
    go_to_step(app, p.step - 1, LessonPhase::Reveal);
}

void close_lesson(AppState& app) {
  if (!app.lesson) return;
  app.notify("Left the lesson " + app.lesson->lesson.title);
  app.lesson.reset();
}

}  // namespace initscope::app
