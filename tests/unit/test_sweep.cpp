// Sweeps (core/sweeps/): grid parsing and its errors, the canonical order of rows, shards, the
// file formats' round trip, and merging parts (holes, duplicates, other grids).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_text.h"
#include "core/presets.h"
#include "core/sweeps/sweep_file.h"
#include "core/sweeps/sweep_grid.h"

using namespace initscope;

namespace {

Experiment small_sweep_base() {
  Experiment e = load_preset("compare");
  e.layers = 3;
  e.widths = {16};
  e.batch = 8;
  return e;
}

std::string sweep_usage_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no UsageError)";
}

std::filesystem::path sweep_test_folder() {
  const auto d =
      std::filesystem::temp_directory_path() / ("initscope_sweep_unit_" + std::to_string(getpid()));
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace

TEST(SweepGrid, RangesIncludeStopAndAreCanonical) {
  const SweepAxis a = parse_sweep_axis("sigma_w2=1:2:0.1");
  ASSERT_EQ(a.values.size(), 11u);
  EXPECT_EQ(a.values[2], "1.2");  // not 1.2000000000000002
  EXPECT_EQ(a.values.back(), "2");
  EXPECT_EQ(parse_sweep_axis("depth=10:100:30").values,
            (std::vector<std::string>{"10", "40", "70", "100"}));
  EXPECT_EQ(parse_sweep_axis("activation=tanh,relu").values,
            (std::vector<std::string>{"tanh", "relu"}));
  EXPECT_EQ(parse_sweep_axis("init=kaiming_normal:mode=fan_out,nonlinearity=relu;xavier_normal")
                .values.size(),
            2u);
}

TEST(SweepGrid, BadAxesAreOneLineUsageErrors) {
  EXPECT_NE(
      sweep_usage_message([] { parse_sweep_axis("sigma_w=1,2"); }).find("did you mean 'sigma_w2'"),
      std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("depth=10:5:1"); }).find("empty range"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("depth=1:5:0"); }).find("STEP must be > 0"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("depth=1.5"); }).find("--grid depth"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("width=0"); }).find("1 to 65536"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("sigma_w2=0"); }).find("> 0"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_axis("activation=tanhh"); }).find("tanh"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_shard("3/3"); }).find("K must be below N"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] { parse_sweep_shard("1-3"); }).find("K/N"), std::string::npos);
  for (const std::string& m : {sweep_usage_message([] { parse_sweep_axis("bogus=1"); }),
                               sweep_usage_message([] { parse_sweep_shard("x/2"); })})
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

TEST(SweepGrid, CanonicalOrderWhateverTheOrderGiven) {
  const SweepGrid a = SweepGrid::make(small_sweep_base(), {"depth=2,3", "sigma_w2=1,2"}, 2, 0.5, 0);
  const SweepGrid b = SweepGrid::make(small_sweep_base(), {"sigma_w2=1,2", "depth=2,3"}, 2, 0.5, 0);
  EXPECT_EQ(json_text(a.description()), json_text(b.description()));
  ASSERT_EQ(a.rows(), 8u);
  // sigma_w2 slowest, then depth, then the seed repeats.
  EXPECT_EQ(a.row_experiment(0).layers, 2);
  EXPECT_EQ(a.row_experiment(1).seed, a.row_experiment(0).seed + 1);
  EXPECT_EQ(a.row_experiment(2).layers, 3);
  EXPECT_EQ(a.row_experiment(4).inits.front().text,
            "variance_scaling:scale=2,mode=fan_in,distribution=untruncated_normal");
  EXPECT_EQ(a.description(SweepShard{1, 3})["shard"], "1/3");
  EXPECT_NE(sweep_usage_message([] {
              SweepGrid::make(small_sweep_base(), {"depth=2", "depth=3"}, 1, 0.5, 0);
            }).find("already"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([] {
              SweepGrid::make(small_sweep_base(), {"sigma_w2=1", "init=xavier_normal"}, 1, 0.5, 0);
            }).find("give one"),
            std::string::npos);
}

TEST(SweepFile, CsvAndJsonRoundTrip) {
  SweepTable t;
  t.description = SweepGrid::make(small_sweep_base(), {"sigma_w2=1,2"}, 1, 0.5, 0).description();
  t.rows.push_back({{"1", "0", "3", "16", "tanh", "0", "0.5", "0.9", "inf", "1", "0.25", "nan",
                     "0.999", "0.01"}});
  t.rows.push_back({{"2", "0", "3", "16", "tanh", "0", "0.7", "1.1", "12.5", "0.3", "0.75", "10.25",
                     "0.31", "1.5"}});
  for (SweepFormat f : {SweepFormat::Csv, SweepFormat::Json}) {
    const std::string text = sweep_text(t, f);
    const SweepTable back = parse_sweep_table(text, "mem");
    // JSON has no inf: it comes back as nan (null); everything else byte for byte.
    EXPECT_EQ(sweep_text(back, f), text);
    EXPECT_EQ(back.rows[1].cells, t.rows[1].cells);
  }
  EXPECT_EQ(sweep_text(t, SweepFormat::Csv).rfind("# initscope sweep {", 0), 0u);
}

TEST(SweepFile, MergeChecksGridHolesAndDuplicates) {
  const auto dir = sweep_test_folder();
  const SweepGrid g = SweepGrid::make(small_sweep_base(), {"depth=1:5:1"}, 1, 0.5, 0);
  auto part = [&](int k, int n, size_t drop = 0, const SweepGrid* other = nullptr) {
    const SweepGrid& grid = other ? *other : g;
    SweepTable t;
    t.description = grid.description(SweepShard{k, n});
    for (size_t i = static_cast<size_t>(k); i < grid.rows(); i += static_cast<size_t>(n))
      t.rows.push_back({{"1", "0", std::to_string(i + 1), "16", "tanh", "0", "1", "1", "1", "1",
                         "1", "1", "1", "1"}});
    t.rows.resize(t.rows.size() - drop);
    const auto path = dir / ("p" + std::to_string(k) + "_" + std::to_string(n) + (drop ? "d" : "") +
                             (other ? "o" : "") + ".csv");
    std::ofstream(path) << sweep_text(t, SweepFormat::Csv);
    return path.string();
  };
  const SweepTable whole = merge_sweep_parts({part(2, 3), part(0, 3), part(1, 3)});
  ASSERT_EQ(whole.rows.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(whole.rows[i].cells[2], std::to_string(i + 1));
  EXPECT_FALSE(whole.description.contains("shard"));
  EXPECT_NE(sweep_usage_message([&] {
              merge_sweep_parts({part(0, 3), part(1, 3)});
            }).find("missing"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([&] {
              merge_sweep_parts({part(0, 3), part(1, 3), part(1, 3), part(2, 3)});
            }).find("twice"),
            std::string::npos);
  EXPECT_NE(sweep_usage_message([&] {
              merge_sweep_parts({part(0, 3), part(1, 3, 1), part(2, 3)});
            }).find("rows"),
            std::string::npos);
  const SweepGrid other = SweepGrid::make(small_sweep_base(), {"depth=1:5:2"}, 1, 0.5, 0);
  EXPECT_NE(sweep_usage_message([&] {
              merge_sweep_parts({part(0, 2), part(1, 2, 0, &other)});
            }).find("different sweep"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}
