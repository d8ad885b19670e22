// Issue 13's architecture options through the real binary: one-line errors with exit 2, the
// help text, and the stats JSON of a residual / normalized experiment (act = the stream,
// normed, branch, signal).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"

using cli_test::Result;
using cli_test::run;

TEST(CliArchitecture, BadArchitectureGivesOneLineErrorAndExitTwo) {
  struct Bad {
    const char* args;
    const char* must_mention;
  };
  const Bad cases[] = {
      {"stats --norm batch --batch 1", "--batch 1"},
      {"stats --norm batch --batch 1", "BatchNorm"},
      {"stats --residual pre --width 10,20,30 --layers 3", "--width"},
      {"stats --residual pre --width 10,20,30 --layers 3", "equal widths"},
      {"stats --residual pre --residual-scale abc", "--residual-scale 'abc'"},
      {"stats --residual pre --residual-scale abc", "1/sqrt(L)"},
      {"stats --norm bogus", "--norm"},
      {"stats --norm bogus", "bogus"},
      {"stats --norm bogus", "layer"},
      {"stats --residual sideways", "--residual"},
      {"stats --norm-gain x", "--norm-gain"},
      {"stats --init normal:std=1,norm=bn", "norm"},
  };
  for (const Bad& c : cases) {
    const Result r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.must_mention), std::string::npos) << c.args << " → " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << " → " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}

TEST(CliArchitecture, StatsHelpDocumentsTheArchitectureOptions) {
  const Result r = run("stats --help");
  EXPECT_EQ(r.code, 0);
  for (const char* k : {"--norm", "--norm-gain", "--residual", "--residual-scale", "1/sqrt(L)",
                        "batch", "rms", "pre", "post"})
    EXPECT_TRUE(cli_test::has(r.out, k)) << k;
}

// Pre-LN residual next to a plain BatchNorm column (a column override): act, normed, branch and
// the signal numbers where they apply; the config records the architecture.
TEST(CliArchitecture, StatsJsonHasNormedBranchAndSignal) {
  const Result r = run(
      "stats --layers 4 --width 64 --batch 32 --activation relu --norm layer --residual pre "
      "--residual-scale 0.5 --init kaiming_normal --init kaiming_normal:residual=none,norm=batch "
      "--grad --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["config"]["norm"], "layer");
  EXPECT_EQ(j["config"]["residual"], "pre");
  EXPECT_EQ(j["config"]["residual_scale"], "0.5");
  const auto& res = j["columns"][0]["layers"];
  ASSERT_EQ(res.size(), 4u);
  EXPECT_FALSE(res[0].contains("branch"));  // the projection
  EXPECT_FALSE(res[0].contains("normed"));
  EXPECT_TRUE(res[0]["signal"]["branch_channel_var"].is_null());
  for (size_t l = 1; l < 4; ++l) {
    EXPECT_TRUE(res[l].contains("branch")) << l;
    EXPECT_TRUE(res[l].contains("normed")) << l;
    EXPECT_GT(res[l]["signal"]["branch_channel_var"].get<double>(), 0) << l;
    EXPECT_GT(res[l]["signal"]["channel_var"].get<double>(), 0) << l;
    EXPECT_TRUE(res[l].contains("grad")) << l;
    EXPECT_EQ(res[l]["act"]["count"], 32 * 64);
  }
  const auto& bn = j["columns"][1]["layers"];
  for (size_t l = 0; l < 4; ++l) {
    EXPECT_TRUE(bn[l].contains("normed")) << l;
    EXPECT_FALSE(bn[l].contains("branch")) << l;
    // BatchNorm with γ = 1, β = 0: every feature of norm(Z) has mean 0 and variance ≈ 1.
    EXPECT_NEAR(bn[l]["normed"]["mean"].get<double>(), 0, 1e-4) << l;
    EXPECT_NEAR(bn[l]["normed"]["std"].get<double>(), 1, 1e-3) << l;
  }
}

namespace {

// One CSV line split at its commas; a quoted field ("a,b", RFC 4180) is one cell.
std::vector<std::string> arch_csv_cells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

std::vector<std::string> arch_csv_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

const char* const kArchCsvRun =
    "--layers 4 --width 32 --batch 16 --activation relu --norm layer --residual pre "
    "--residual-scale 0.5 --init kaiming_normal --init xavier_normal:residual=none,norm=batch "
    "--seed 3 --bins 8";

}  // namespace

// Issue 13: the CSV of a residual / normalized experiment carries what its JSON does — normed
// and branch with act's columns, the signal numbers — with the JSON's numbers for the same seed
// (9 significant digits); an absent quantity or a null signal number is an empty cell.
TEST(CliArchitecture, CsvCarriesNormedBranchAndSignalWithTheJsonNumbers) {
  const Result c = run(std::string("stats --format csv ") + kArchCsvRun);
  const Result j = run(std::string("stats --format json ") + kArchCsvRun);
  ASSERT_EQ(c.code, 0) << c.err;
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json doc = nlohmann::json::parse(j.out);
  const std::vector<std::string> lines = arch_csv_lines(c.out);
  ASSERT_EQ(lines.size(), 1u + 2 * 4);  // header + columns × layers
  const std::vector<std::string> header = arch_csv_cells(lines[0]);
  for (const char* k :
       {"normed_mean", "normed_std", "normed_hist_counts", "branch_mean", "branch_std",
        "branch_hist_counts", "channel_sq_mean", "channel_var", "branch_channel_var"})
    EXPECT_NE(std::find(header.begin(), header.end(), k), header.end()) << k;
  // The JSON value of a CSV column: (quantity, field) or the signal's number.
  const char* const fields[] = {"mean",      "std",     "min",        "max",
                                "saturated", "zero",    "dead",       "nonfinite",
                                "hist_lo",   "hist_hi", "hist_below", "hist_above"};
  double worst = 0;
  size_t compared = 0, empty_cells = 0;
  for (size_t row = 1; row < lines.size(); ++row) {
    const std::vector<std::string> cells = arch_csv_cells(lines[row]);
    ASSERT_EQ(cells.size(), header.size()) << lines[row];
    const size_t col = (row - 1) / 4, layer = (row - 1) % 4;
    const nlohmann::json& lj = doc["columns"][col]["layers"][layer];
    auto check = [&](const std::string& name, const nlohmann::json* v) {
      const size_t i = std::find(header.begin(), header.end(), name) - header.begin();
      ASSERT_LT(i, header.size()) << name;
      if (!v || v->is_null()) {
        EXPECT_EQ(cells[i], "") << name << " row " << row;
        ++empty_cells;
        return;
      }
      ASSERT_NE(cells[i], "") << name << " row " << row;
      const double a = std::stod(cells[i]), b = v->get<double>();
      const double rel = std::fabs(a - b) / std::max(std::fabs(b), 1e-300);
      worst = std::max(worst, a == b ? 0.0 : rel);
      EXPECT_LE(a == b ? 0.0 : rel, 1e-8) << name << " row " << row << ": " << a << " vs " << b;
      ++compared;
    };
    for (const char* q : {"act", "normed", "branch"}) {
      const bool present = lj.contains(q);
      for (const char* f : fields) {
        const std::string name = std::string(q) + "_" + f;
        const std::string key = name.substr(name.find('_') + 1);
        const nlohmann::json* v = nullptr;
        if (present) v = key.rfind("hist_", 0) == 0 ? &lj[q]["hist"][key.substr(5)] : &lj[q][key];
        check(name, v);
      }
      // The counts, space-separated in one cell.
      const size_t i =
          std::find(header.begin(), header.end(), std::string(q) + "_hist_counts") - header.begin();
      std::string counts;
      if (present)
        for (const auto& n : lj[q]["hist"]["counts"])
          counts += (counts.empty() ? "" : " ") + std::to_string(n.get<uint64_t>());
      EXPECT_EQ(cells[i], counts) << q << " row " << row;
    }
    for (const char* s : {"channel_sq_mean", "channel_var", "branch_channel_var"})
      check(s, &lj["signal"][s]);
  }
  std::printf(
      "CSV vs JSON: %zu numbers compared, %zu empty cells, worst relative difference %.3g\n",
      compared, empty_cells, worst);
  EXPECT_GT(compared, 200u);
  EXPECT_GT(empty_cells, 10u);  // the projection's branch, BatchNorm's branch, null signals
}

// The table gains an "architecture" block per column; a plain experiment's CSV and table have
// none of the new columns (they stay what they were before issue 13).
TEST(CliArchitecture, TableHasTheArchitectureBlockAndPlainOutputsDoNot) {
  const Result t = run(std::string("stats ") + kArchCsvRun);
  ASSERT_EQ(t.code, 0) << t.err;
  for (const char* k :
       {"architecture", "normed std", "branch std", "ch. mean^2", "ch. var", "branch var"})
    EXPECT_TRUE(cli_test::has(t.out, k)) << k;
  const char* plain = "--layers 4 --width 32 --batch 16 --activation relu --init kaiming_normal";
  const Result pt = run(std::string("stats ") + plain);
  const Result pc = run(std::string("stats --format csv ") + plain);
  ASSERT_EQ(pt.code, 0) << pt.err;
  ASSERT_EQ(pc.code, 0) << pc.err;
  for (const char* k : {"architecture", "normed", "branch", "ch. var"})
    EXPECT_FALSE(cli_test::has(pt.out, k)) << k;
  for (const char* k : {"normed", "branch", "channel"}) EXPECT_FALSE(cli_test::has(pc.out, k)) << k;
  EXPECT_EQ(arch_csv_cells(arch_csv_lines(pc.out).front()).size(), 24u);
}
