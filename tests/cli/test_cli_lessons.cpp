// `initscope lessons` and `gui --lesson NAME [--step K]` as a user types them, and "did you
// mean …?" for misspelled names on the command line and in a config file.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_run.h"
#include "core/lesson.h"

namespace fs = std::filesystem;
using cli_test::has;
using cli_test::Result;
using cli_test::run;
using cli_test::slurp;

namespace {

fs::path temp_dir() {
  return cli_test::test_folder("cli_lessons");
}

}  // namespace

TEST(CliLessons, ListsEveryLessonOneLineEachNameFirst) {
  const Result r = run("lessons");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  size_t i = 0;
  const auto& lessons = initscope::lesson_list();
  while (std::getline(lines, line)) {
    ASSERT_LT(i, lessons.size()) << "one line per lesson: " << r.out;
    EXPECT_EQ(line.rfind(lessons[i].name + "  ", 0), 0u) << line;
    EXPECT_TRUE(has(line, lessons[i].title)) << line;
    std::string count = "(";  // (not "(" + to_string(…): GCC 12 warns falsely, -Wrestrict)
    count += std::to_string(lessons[i].steps);
    EXPECT_TRUE(has(line, count + " steps)")) << line;
    ++i;
  }
  EXPECT_EQ(i, lessons.size());
  EXPECT_TRUE(has(r.out, "init-in-eight-steps  Initialization in eight steps  (8 steps)"));
}

TEST(CliLessons, BadLessonOrStepIsAUsageErrorListingTheValidValues) {
  Result r = run("gui --lesson init-in-8-steps");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--lesson 'init-in-8-steps': unknown lesson")) << r.err;
  EXPECT_TRUE(has(r.err, "did you mean 'init-in-eight-steps'")) << r.err;
  for (const auto& l : initscope::lesson_list()) EXPECT_TRUE(has(r.err, l.name)) << r.err;

  r = run("gui --lesson init-in-eight-steps --step 9");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--step '9'") && has(r.err, "1 to 8")) << r.err;
  r = run("gui --lesson gradients --step 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--step '0'")) << r.err;
  r = run("gui --lesson gradients --step two");
  EXPECT_EQ(r.code, 2);

  r = run("gui --lesson gradients --preset collapse");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "takes no --preset")) << r.err;
  r = run("gui --lesson gradients --layers 3");
  EXPECT_EQ(r.code, 2);
  r = run("gui --lesson gradients --view heatmap");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--view")) << r.err;
  r = run("gui --step 2");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--step: only with --lesson")) << r.err;
  r = run("gui --reveal");
  EXPECT_EQ(r.code, 2);
}

TEST(CliLessons, AValidLessonGetsAsFarAsTheWindow) {
  // No display here (DISPLAY is empty): a valid lesson and step pass every check and fail only
  // at opening the window, exit 1.
  const Result r = run("gui --lesson gradients --step 3 --reveal");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(has(r.err, "window")) << r.err;
}

TEST(CliLessons, MisspelledNamesGetDidYouMean) {
  Result r = run("stats --preset colapse");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'collapse'")) << r.err;
  r = run("stats --activation rleu");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'relu'")) << r.err;
  r = run("stats --init xavier_normal --init he_normall");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'he_normal'")) << r.err;
  const fs::path config = temp_dir() / "typo.json";
  std::ofstream(config) << R"({"activation": "sigmod", "inits": ["xavier_normal"]})";
  r = run("stats --config " + config.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "typo.json") && has(r.err, "did you mean 'sigmoid'")) << r.err;
}
