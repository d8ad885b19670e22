// Issue 12, "titles never lie", through the real binary: `stats` (JSON and table) and `export`
// (the settings its PNG carries) call an experiment by its preset's title only while it is the
// preset's; after an override, by a description of what is shown.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.h"
#include "core/png_text.h"

namespace fs = std::filesystem;
using cli_test::Result;
using cli_test::run;
using cli_test::slurp;

namespace {

fs::path temp_dir() {
  return cli_test::test_folder("cli_titles");
}

nlohmann::json stats_config(const std::string& args) {
  const Result r = run("stats " + args + " --format json");
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out).at("config");
}

const char* kSigmoidTitle = "Sigmoid: not centred at zero";
// --batch is not part of what a title says: a small batch keeps the runs short and the title.
const char* kFast = "--batch 40";

}  // namespace

TEST(CliTitles, StatsJsonTitleIsThePresetsOnlyAsGiven) {
  const auto given = stats_config(std::string("--preset sigmoid ") + kFast);
  EXPECT_EQ(given["title"], kSigmoidTitle);
  EXPECT_EQ(given["narrative"].get<std::string>().rfind("sigmoid(0) = 0.5", 0), 0u);

  // An override equal to the preset's value is no change.
  const auto same = stats_config(std::string("--preset sigmoid --activation sigmoid ") + kFast);
  EXPECT_EQ(same["title"], kSigmoidTitle);

  const auto tanh = stats_config(std::string("--preset sigmoid --activation tanh ") + kFast);
  EXPECT_EQ(tanh["title"],
            "tanh, 10 \xC3\x97 500, normal:std=0.01 vs normal:std=1 vs xavier_normal");
  EXPECT_EQ(tanh["narrative"].get<std::string>().rfind(
                "From preset 'sigmoid' (modified): sigmoid(0) = 0.5", 0),
            0u);
  EXPECT_EQ(tanh["preset"], "sigmoid");

  // "Four inits, one tanh network" on one column.
  const auto one = stats_config(std::string("--preset compare --init normal:std=1 ") + kFast);
  EXPECT_EQ(one["title"], "tanh, 10 \xC3\x97 500, normal:std=1");
}

TEST(CliTitles, StatsTableStartsWithTheTrueTitle) {
  const Result given = run(std::string("stats --preset collapse ") + kFast);
  ASSERT_EQ(given.code, 0) << given.err;
  EXPECT_EQ(given.out.rfind("Collapse to zero: tanh with N(0, 0.01)\n", 0), 0u) << given.out;
  const Result relu = run(std::string("stats --preset collapse --activation relu ") + kFast);
  ASSERT_EQ(relu.code, 0) << relu.err;
  EXPECT_EQ(relu.out.rfind("relu, 10 \xC3\x97 500, normal:std=0.01\n", 0), 0u) << relu.out;
}

// The figure's settings (what `--config fig.png` reads) carry the title the figure shows.
TEST(CliTitles, ExportAfterAnOverrideCarriesTheTrueTitle) {
  const std::string png = (temp_dir() / "sigmoid-tanh.png").string();
  const Result r = run("export --preset sigmoid --activation tanh --layers 3 --width 64 " +
                       std::string(kFast) + " --size 900x600 --force --out " + png);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto config = nlohmann::json::parse(initscope::read_png_experiment(png).value());
  EXPECT_EQ(config["title"],
            "tanh, 3 \xC3\x97 64, normal:std=0.01 vs normal:std=1 vs xavier_normal");
  EXPECT_EQ(config["narrative"].get<std::string>().rfind("From preset 'sigmoid' (modified): ", 0),
            0u);
  // Read back, it is still the modified sigmoid preset, titled the same way.
  const auto again = stats_config("--config " + png);
  EXPECT_EQ(again["title"], config["title"]);
  EXPECT_EQ(again["narrative"], config["narrative"]);

  const std::string plain = (temp_dir() / "sigmoid.png").string();
  ASSERT_EQ(run("export --preset sigmoid --size 900x600 --force --out " + plain).code, 0);
  EXPECT_EQ(nlohmann::json::parse(initscope::read_png_experiment(plain).value())["title"],
            kSigmoidTitle);
}

// A config of one's own keeps its title until an override changes what it shows.
TEST(CliTitles, AConfigsOwnTitleGoesWithAnOverride) {
  const fs::path cfg = temp_dir() / "mine.json";
  std::ofstream(cfg) << R"({"title": "My net", "narrative": "Mine.", "layers": 2, "width": 32,
                            "batch": 20, "inits": ["xavier_normal"]})";
  EXPECT_EQ(stats_config("--config " + cfg.string())["title"], "My net");
  EXPECT_EQ(stats_config("--config " + cfg.string() + " --seed 3")["title"], "My net");
  const auto deeper = stats_config("--config " + cfg.string() + " --layers 3");
  EXPECT_EQ(deeper["title"], "tanh, 3 \xC3\x97 32, xavier_normal");
  EXPECT_EQ(deeper["narrative"], "");
}
