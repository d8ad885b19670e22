// `initscope sweep` and `sweep-merge` (issue 15): the columns, determinism across thread counts,
// shards merged == one run (CSV and JSON), --resume, and bad input (exit 2, no output file).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.h"

using cli_test::has;
using cli_test::run;
using cli_test::slurp;

namespace {

const std::filesystem::path& sweep_dir() {
  static const std::filesystem::path d = cli_test::test_folder("cli_sweep");
  return d;
}

std::string sweep_file_path(const std::string& name) {
  return (sweep_dir() / name).string();
}

// Small and quick: 2 × 2 points × 2 seeds of tanh 4 × 32.
const std::string kSweepArgs =
    "sweep --activation tanh --layers 4 --width 32 --batch 16 --grid sigma_w2=1:2:1 "
    "--grid sigma_b2=0,0.05 --seeds 2";

}  // namespace

TEST(CliSweep, WritesTheColumnsInCanonicalOrder) {
  const cli_test::Result r = run(kSweepArgs + " --out " + sweep_file_path("cols.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string text = slurp(sweep_file_path("cols.csv"));
  EXPECT_EQ(
      text.rfind("# initscope sweep {\"grid\":{\"sigma_w2\":[1.0,2.0],\"sigma_b2\":[0.0,0.05]}", 0),
      0u)
      << text.substr(0, 200);
  EXPECT_TRUE(has(text,
                  "\nsigma_w2,sigma_b2,depth,width,activation,seed,q_star,chi1,xi_c_theory,"
                  "c_star,q_measured,xi_c_measured,c_measured,grad_ratio\n1,0,4,32,tanh,0,"));
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 2u + 8u);
  EXPECT_FALSE(std::filesystem::exists(sweep_file_path("cols.csv.partial")));
}

TEST(CliSweep, SameBytesOnOneAndTwoThreads) {
  ASSERT_EQ(std::system(("OMP_NUM_THREADS=1 " + std::string(INITSCOPE_BIN) + " " + kSweepArgs +
                         " --out " + sweep_file_path("t1.csv") + " 2>/dev/null")
                            .c_str()),
            0);
  ASSERT_EQ(std::system(("OMP_NUM_THREADS=2 " + std::string(INITSCOPE_BIN) + " " + kSweepArgs +
                         " --out " + sweep_file_path("t2.csv") + " 2>/dev/null")
                            .c_str()),
            0);
  EXPECT_EQ(slurp(sweep_file_path("t1.csv")), slurp(sweep_file_path("t2.csv")));
}

TEST(CliSweep, ThreeShardsMergedEqualOneRun) {
  for (const std::string ext : {".csv", ".json"}) {
    ASSERT_EQ(run(kSweepArgs + " --out " + sweep_file_path("whole" + ext)).code, 0);
    std::string parts;
    for (int k : {2, 0, 1}) {
      const std::string part = sweep_file_path("part" + std::to_string(k) + ext);
      const cli_test::Result r =
          run(kSweepArgs + " --shard " + std::to_string(k) + "/3 --out " + part);
      ASSERT_EQ(r.code, 0) << r.err;
      EXPECT_TRUE(has(slurp(part), "\"shard\":\"" + std::to_string(k) + "/3\"") ||
                  has(slurp(part), "\"shard\": \"" + std::to_string(k) + "/3\""));
      parts += " " + part;
    }
    const cli_test::Result m = run("sweep-merge " + sweep_file_path("merged" + ext) + parts);
    ASSERT_EQ(m.code, 0) << m.err;
    EXPECT_EQ(slurp(sweep_file_path("merged" + ext)), slurp(sweep_file_path("whole" + ext))) << ext;
  }
  const auto j = nlohmann::json::parse(slurp(sweep_file_path("whole.json")));
  EXPECT_EQ(j["rows"].size(), 8u);
  EXPECT_TRUE(j["sweep"].contains("grid"));
}

TEST(CliSweep, ResumeSkipsRowsDoneAndRefusesAnotherGrid) {
  const std::string out = sweep_file_path("resume.csv");
  ASSERT_EQ(run(kSweepArgs + " --out " + sweep_file_path("resume_ref.csv")).code, 0);
  // A stopped run: the checkpoint holds the header, 3 rows and a line cut short.
  const std::string ref = slurp(sweep_file_path("resume_ref.csv"));
  size_t at = 0;
  for (int i = 0; i < 5; ++i) at = ref.find('\n', at) + 1;
  std::ofstream(out + ".partial") << ref.substr(0, at) << "2,0.05,4,";
  const cli_test::Result r = run(kSweepArgs + " --out " + out + " --resume");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "row 4/8")) << r.err;
  EXPECT_FALSE(has(r.err, "row 3/8")) << r.err;
  EXPECT_EQ(slurp(out), ref);
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  // Complete: nothing to do. Another grid: exit 2, the file untouched.
  EXPECT_EQ(run(kSweepArgs + " --out " + out + " --resume").code, 0);
  const cli_test::Result other =
      run(kSweepArgs + " --pair-correlation 0.3 --out " + out + " --resume");
  EXPECT_EQ(other.code, 2);
  EXPECT_TRUE(has(other.err, "different sweep")) << other.err;
  EXPECT_EQ(slurp(out), ref);
}

TEST(CliSweep, BadInputIsOneLineExitTwoAndNoFile) {
  struct Case {
    std::string args, says;
  };
  const std::string base = "sweep --layers 3 --width 8 --batch 4 ";
  const std::vector<Case> cases = {
      {base + "--grid sigma_w=1,2", "did you mean 'sigma_w2'"},
      {base + "--grid depth=5:1:1", "empty range"},
      {base + "--grid depth=1:5:0", "STEP must be > 0"},
      {base + "--grid depth=1:5:-1", "STEP must be > 0"},
      {base + "--grid width=0,8", "--grid width"},
      {base + "--grid sigma_w2=1 --shard 3/3", "--shard"},
      {base + "--grid sigma_w2=1 --shard 1", "--shard"},
      {base + "--grid sigma_w2=1 --shard -1/3", "--shard"},
      {base + "--grid sigma_w2=1 --seeds 0", "--seeds"},
      {base + "--grid sigma_w2=1 --pair-correlation 2", "--pair-correlation"},
      {base, "--grid"},
      {base + "--grid batch=1,4", "--batch 1"},
      {base + "--grid sigma_w2=1 --out " + sweep_file_path("bad.txt"), "--out"},
  };
  for (const Case& c : cases) {
    const cli_test::Result r = run(c.args + " --out " + sweep_file_path("bad.csv"));
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_TRUE(has(r.err, c.says)) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(sweep_file_path("bad.csv"))) << c.args;
    EXPECT_FALSE(std::filesystem::exists(sweep_file_path("bad.csv.partial"))) << c.args;
  }
}

TEST(CliSweep, MergeRefusesHolesDuplicatesAndOtherGrids) {
  const std::string args = "sweep --layers 2 --width 8 --batch 4 --grid depth=1:4:1";
  for (int k = 0; k < 2; ++k)
    ASSERT_EQ(run(args + " --shard " + std::to_string(k) + "/2 --out " +
                  sweep_file_path("m" + std::to_string(k) + ".csv"))
                  .code,
              0);
  ASSERT_EQ(run("sweep --layers 2 --width 8 --batch 4 --grid depth=1,2,3,5 --shard 1/2 --out " +
                sweep_file_path("other1.csv"))
                .code,
            0);
  const std::string p0 = sweep_file_path("m0.csv"), p1 = sweep_file_path("m1.csv");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {p0, "missing"},
      {p0 + " " + p1 + " " + p1, "twice"},
      {p0 + " " + sweep_file_path("other1.csv"), "different sweep"},
      {p0 + " " + sweep_file_path("nothere.csv"), "nothere.csv"},
  };
  for (const auto& [parts, says] : cases) {
    const cli_test::Result r =
        run("sweep-merge " + sweep_file_path("merged_bad.csv") + " " + parts);
    EXPECT_NE(r.code, 0) << parts;
    EXPECT_TRUE(has(r.err, says)) << parts << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(sweep_file_path("merged_bad.csv"))) << parts;
  }
  EXPECT_EQ(
      run("sweep-merge " + sweep_file_path("merged_bad.csv") + " " + p0 + " " + p1 + " " + p1).code,
      2);
}

TEST(CliSweep, HelpNamesTheColumnsAndShards) {
  const cli_test::Result r = run("sweep --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(has(r.out, "xi_c_measured"));
  EXPECT_TRUE(has(r.out, "0-based"));
  EXPECT_TRUE(has(run("--help").out, "sweep-merge"));
}

TEST(CliSweep, TrainStepsAddTheAccuracies) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const std::string args =
      "sweep --activation tanh --width 32 --batch 16 --grid depth=2,3 --grid sigma_w2=1 "
      "--train-steps 20";
  ASSERT_EQ(std::system(("OMP_NUM_THREADS=1 " + std::string(INITSCOPE_BIN) + " " + args +
                         " --out " + sweep_file_path("train1.csv") + " 2>/dev/null")
                            .c_str()),
            0);
  ASSERT_EQ(std::system(("OMP_NUM_THREADS=2 " + std::string(INITSCOPE_BIN) + " " + args +
                         " --out " + sweep_file_path("train2.csv") + " 2>/dev/null")
                            .c_str()),
            0);
  const std::string text = slurp(sweep_file_path("train1.csv"));
  EXPECT_TRUE(has(text, ",grad_ratio,train_accuracy,test_accuracy\n")) << text;
  EXPECT_EQ(text, slurp(sweep_file_path("train2.csv")));
  // 20 Adam steps lift a 10-class classifier well above chance (0.1).
  const size_t last = text.rfind(',', text.size() - 2);
  EXPECT_GT(std::stod(text.substr(last + 1)), 0.3) << text;
}
