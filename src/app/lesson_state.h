#pragma once
// A lesson being given in the window (core/lesson.h): which step, and whether its question or
// its explanation is on screen. AppState holds one (AppState::lesson); the keys (→ / PageDown,
// ← / PageUp), the Presets menu's Lessons section and `gui --lesson` move it through here.
#include <string>

#include "core/lesson.h"

namespace initscope::app {

struct AppState;

// A step is first asked (the figure hidden behind its question), then revealed.
enum class LessonPhase { Question, Reveal };

struct LessonProgress {
  Lesson lesson;
  int step = 0;  // 0-based
  LessonPhase phase = LessonPhase::Question;
  // What the lesson panel showed in the last frame ("Step 3 / 8"): the UI test reads it.
  std::string shown_heading;
  LessonPhase shown_phase = LessonPhase::Question;
};

// "Step 3 / 8".
std::string lesson_step_heading(const LessonProgress& p);

// Starts `lesson` at `step` (0-based) in `phase`: its experiment, view and quantity are shown.
// Returns "" or why not (the experiment refused: nothing changes).
std::string open_lesson(AppState& app, Lesson lesson, int step, LessonPhase phase);
// → / PageDown: question → explanation → the next step's question (stays at the end).
void lesson_forward(AppState& app);
// ← / PageUp: explanation → question → the previous step's explanation (stays at the start).
void lesson_back(AppState& app);
// Leaves the lesson; the experiment of the step shown stays.
void close_lesson(AppState& app);

}  // namespace initscope::app
