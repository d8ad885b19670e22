// Lessons (core/lesson.h): every shipped lesson loads and every step's experiment validates;
// broken lesson files give the errors the loader promises, naming the file and the step.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "core/lesson.h"
#include "core/presets.h"

namespace initscope {
namespace {

std::string lesson_error_of(const std::string& text) {
  try {
    parse_lesson(text, "broken", "lessons/broken.json");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(Lessons, EveryShippedLessonLoadsAndEveryStepValidates) {
  ASSERT_GE(lesson_list().size(), 2u);
  for (const LessonInfo& info : lesson_list()) {
    SCOPED_TRACE(info.name);
    const Lesson lesson = load_lesson(info.name);
    EXPECT_EQ(info.steps, static_cast<int>(lesson.steps.size())) << "listed with its steps";
    EXPECT_FALSE(lesson.title.empty());
    ASSERT_FALSE(lesson.steps.empty());
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
      const LessonStep& step = lesson.steps[i];
      SCOPED_TRACE("step " + std::to_string(i + 1));
      EXPECT_NO_THROW(step.experiment.validate());
      EXPECT_NO_THROW(step.experiment.check_memory());
      EXPECT_FALSE(step.title.empty());
      EXPECT_GE(step.question.size(), 20u);
      EXPECT_GE(step.explanation.size(), 80u);
      EXPECT_TRUE(listed(lesson_view_names(), step.view));
      EXPECT_TRUE(listed(lesson_show_names(), step.show));
      if (step.show == "grad" || step.show == "wgrad") {
        EXPECT_TRUE(step.experiment.gradients || step.experiment.training)
            << "a gradient is shown: the backward pass runs";
      }
      // The experiment goes through the config reader unchanged (what --config would read).
      EXPECT_EQ(Experiment::from_json(nlohmann::json::parse(step.experiment.to_json().dump()),
                                      "round trip")
                    .to_json(),
                step.experiment.to_json());
    }
  }
}

TEST(Lessons, InitializationInEightStepsFollowsTheIssue) {
  const Lesson lesson = load_lesson("init-in-eight-steps");
  EXPECT_EQ(lesson.title, "Initialization in eight steps");
  const std::vector<std::string> presets{
      "collapse", "saturation", "xavier-tanh", "xavier-relu",
      "he-relu",  "sigmoid",    "zero-init",   "mnist-784-256-256-10"};
  ASSERT_EQ(lesson.steps.size(), presets.size());
  for (size_t i = 0; i < presets.size(); ++i) {
    EXPECT_EQ(lesson.steps[i].experiment.preset, presets[i]) << "step " << i + 1;
    EXPECT_EQ(lesson.steps[i].experiment.to_json(), load_preset(presets[i]).to_json())
        << "step " << i + 1 << " shows the preset as it is";
  }
  EXPECT_TRUE(lesson.steps.back().experiment.training.has_value());
  EXPECT_EQ(lesson.steps.back().view, "training");
}

TEST(Lessons, TheGradientsLessonShowsWeightGradients) {
  const Lesson lesson = load_lesson("gradients");
  bool weight_gradients = false, activations_with_gradients = false;
  for (const LessonStep& s : lesson.steps) {
    weight_gradients = weight_gradients || s.show == "wgrad";
    activations_with_gradients =
        activations_with_gradients || (s.show == "act" && s.experiment.gradients);
  }
  EXPECT_TRUE(weight_gradients) << "dL/dW histograms";
  EXPECT_TRUE(activations_with_gradients) << "activations with the gradient-norm profile";
}

TEST(Lessons, OverridesApplyToThePreviousStep) {
  const Lesson lesson = parse_lesson(R"({"title": "t", "steps": [
      {"preset": "collapse", "question": "q1", "explanation": "e1"},
      {"overrides": {"activation": "relu", "width": 300}, "question": "q2", "explanation": "e2"},
      {"question": "q3", "explanation": "e3", "show": "wgrad"},
      {"preset": "he-relu", "overrides": {"layers": 4}, "question": "q4", "explanation": "e4"}]})",
                                     "t", "t.json");
  ASSERT_EQ(lesson.steps.size(), 4u);
  const Experiment& second = lesson.steps[1].experiment;
  EXPECT_EQ(second.activation.name(), "relu");
  EXPECT_EQ(second.inits.size(), 1u);
  EXPECT_EQ(second.inits[0].text, "normal:std=0.01") << "kept from step 1";
  EXPECT_EQ(second.resolved_input_dim(), 300) << "a new width moves the default input with it";
  EXPECT_EQ(lesson.steps[2].experiment.widths, second.widths) << "no keys: the same experiment";
  EXPECT_TRUE(lesson.steps[2].experiment.gradients) << "showing dL/dW turns the backward pass on";
  EXPECT_FALSE(second.gradients);
  EXPECT_EQ(lesson.steps[3].experiment.layers, 4);
  EXPECT_EQ(lesson.steps[3].experiment.inits.size(), 2u) << "from he-relu, not from step 3";
}

TEST(Lessons, BrokenFilesNameTheFileAndTheStep) {
  const std::string ok = R"("question": "q", "explanation": "e")";
  struct Case {
    std::string text;
    std::vector<std::string> parts;
  } cases[] = {
      {R"({"title": "t", "steps": []})", {"lessons/broken.json", "non-empty list of steps"}},
      {R"({"title": "t"})", {"lessons/broken.json", "steps"}},
      {R"({"title": "t", "steps": [)", {"lessons/broken.json", "line"}},
      {R"({"titel": "t", "steps": []})", {"unknown key \"titel\"", "did you mean 'title'"}},
      {R"({"steps": [{"preset": "colapse", )" + ok + "}]}",
       {"lessons/broken.json step 1", "unknown preset", "did you mean 'collapse'"}},
      {R"({"steps": [{"preset": "collapse", )" + ok + R"(}, {"overrides": {"layers": 0}, )" + ok +
           "}]}",
       {"lessons/broken.json step 2", "layers"}},
      {R"({"steps": [{"preset": "collapse", )" + ok +
           R"(}, {"overrides": {"activaton": "relu"}, )" + ok + "}]}",
       {"step 2", "unknown key \"activaton\""}},
      {R"({"steps": [{"preset": "collapse", )" + ok +
           R"(}, {"overrides": {"activation": "rleu"}, )" + ok + "}]}",
       {"step 2", "did you mean 'relu'"}},
      {R"({"steps": [{"preset": "collapse", )" + ok + R"(}, {"overrides": [1], )" + ok + "}]}",
       {"step 2", "must be an object"}},
      {R"({"steps": [{"preset": "collapse", "explanation": "e"}]})", {"step 1", "no \"question\""}},
      {R"({"steps": [{"preset": "collapse", "question": "q"}]})", {"step 1", "no \"explanation\""}},
      {R"({"steps": [{"preset": "collapse", "question": "", "explanation": "e"}]})",
       {"step 1 \"question\"", "non-empty string"}},
      {R"({"steps": [{"overrides": {"layers": 3}, )" + ok + "}]}",
       {"step 1", "first step needs a \"preset\""}},
      {R"({"steps": [{"preset": "collapse", "questoin": "q", )" + ok + "}]}",
       {"step 1", "unknown key \"questoin\"", "did you mean 'question'"}},
      {R"({"steps": [{"preset": "collapse", "view": "grd", )" + ok + "}]}",
       {"step 1 \"view\" 'grd'", "did you mean 'grid'", "allowed: grid"}},
      {R"({"steps": [{"preset": "collapse", "show": "weights", )" + ok + "}]}",
       {"step 1 \"show\"", "allowed: act, preact, grad, wgrad"}},
      {R"({"steps": [{"preset": "collapse", "view": "training", )" + ok + "}]}",
       {"step 1", "no \"training\" object"}},
      {R"({"steps": [{"preset": "collapse", )" + ok + R"(}, 7]})", {"step 2", "must be an object"}},
  };
  for (const Case& c : cases) {
    const std::string msg = lesson_error_of(c.text);
    for (const std::string& part : c.parts)
      EXPECT_TRUE(has(msg, part)) << "lesson: " << c.text << "\nerror: " << msg
                                  << "\nexpected to contain: " << part;
  }
}

TEST(Lessons, UnknownLessonNamesTheLessons) {
  try {
    load_lesson("init-in-8-steps");
    FAIL() << "an unknown lesson must be refused";
  } catch (const UsageError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(has(msg, "--lesson 'init-in-8-steps': unknown lesson")) << msg;
    for (const LessonInfo& l : lesson_list()) EXPECT_TRUE(has(msg, l.name)) << msg;
  }
}

}  // namespace
}  // namespace initscope
