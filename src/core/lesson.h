#pragma once
// Lessons (assets/lessons/*.json, compiled into the binary like the presets): an ordered list
// of steps for a classroom. Each step is an experiment — a preset, overrides of the previous
// step's experiment in the presets' own keys (read by Experiment::from_json, the reader of
// --config files), or both — a question shown first, and an explanation revealed on the next
// key press together with the histograms.
//
//   {"title": "...", "summary": "...", "order": 1,
//    "steps": [{"preset": "collapse", "title": "Collapse", "question": "...",
//               "explanation": "...", "view": "grid", "show": "act"},
//              {"overrides": {"inits": ["normal:std=1"]}, "question": "...", ...}]}
#include <string>
#include <vector>

#include "experiment.h"

namespace initscope {

struct LessonStep {
  std::string title;        // a short heading ("Saturation"); the experiment's title if none
  std::string question;     // shown first, with the figure hidden
  std::string explanation;  // revealed with the figure
  Experiment experiment;    // resolved and validated
  // The figure revealed: a `--view` name and what it shows, a `--quantity` name. A gradient
  // turns the experiment's backward pass on.
  std::string view = "grid";
  std::string show = "act";
};

struct Lesson {
  std::string name, title, summary;
  std::vector<LessonStep> steps;
};

// The names a step's "view" and "show" accept (the window's --view and --quantity names).
const std::vector<std::string>& lesson_view_names();
const std::vector<std::string>& lesson_show_names();

struct LessonInfo {
  std::string name, title;
  int steps = 0;
};
// Every shipped lesson, in menu order ("order", then name). A lesson that fails to load is
// listed with 0 steps (the tests load every one).
const std::vector<LessonInfo>& lesson_list();

// A shipped lesson. Throws UsageError naming `option` and the lesson names ("did you mean …?").
Lesson load_lesson(const std::string& name, const std::string& option = "--lesson");

// Reads a lesson from its JSON text; `source` names it in errors ("assets/lessons/x.json"),
// each step by its number ("step 3"). Throws UsageError: invalid JSON, no steps, unknown keys,
// a missing question or explanation, an unknown preset, an override the experiment refuses.
Lesson parse_lesson(const std::string& text, const std::string& name, const std::string& source);

}  // namespace initscope
