// `initscope export --view sweep` from the command line (issue 15): the cells' means as data,
// and bad input refused with one line and exit 2, no file written.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_run.h"

namespace {

using cli_test::has;
using cli_test::run;

const std::string kFigureSweepCsv = std::string(INITSCOPE_TEST_DATA) + "/sweep_small.csv";

std::string sweep_figure_args(const std::string& rest) {
  return "export --view sweep --from " + kFigureSweepCsv + " " + rest;
}

TEST(CliSweepFigure, CsvDataAreTheCellMeans) {
  const auto r = run(sweep_figure_args("--y depth --value xi_c_measured --format csv --out -"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "sigma_w2,depth,xi_c_measured,rows\n1,5,2,2\n2,5,8,1\n3,5,3.5,2\n"
            "1,10,1.5,2\n2,10,12,2\n3,10,,0\n");
}

TEST(CliSweepFigure, JsonSweepFilesGiveTheSameCells) {
  const std::filesystem::path json = cli_test::test_folder("sweep_figure_json") / "sweep.json";
  std::filesystem::remove(json);
  const auto merged = run("sweep-merge " + json.string() + " " + kFigureSweepCsv);
  ASSERT_EQ(merged.code, 0) << merged.err;
  const auto from_json = run("export --view sweep --from " + json.string() +
                             " --y depth --value xi_c_measured --format csv --out -");
  const auto from_csv =
      run(sweep_figure_args("--y depth --value xi_c_measured --format csv --out -"));
  ASSERT_EQ(from_json.code, 0) << from_json.err;
  EXPECT_EQ(from_json.out, from_csv.out);
}

TEST(CliSweepFigure, BadInputIsOneLineExit2AndNoFile) {
  const std::filesystem::path dir = cli_test::test_folder("sweep_figure");
  const std::string png = (dir / "fig.png").string();
  const struct {
    std::string args, says;
  } cases[] = {
      {"export --view sweep --from " + (dir / "missing.csv").string() +
           " --y depth --value chi1 --out " + png,
       "no such file"},
      {sweep_figure_args("--y depth --value nope --out " + png), "--value 'nope'"},
      {sweep_figure_args("--x activation --y depth --value chi1 --out " + png),
       "not a grid column"},
      {sweep_figure_args("--y seed --value chi1 --out " + png), "--y 'seed'"},
      {sweep_figure_args("--y sigma_b2 --value chi1 --out " + png), "at least 2"},
      {sweep_figure_args("--y depth --out " + png), "--value"},
      {sweep_figure_args("--y depth --value chi1 --format svg --out " + png), "--format 'svg'"},
      {sweep_figure_args("--y depth --value chi1 --layers 3 --out " + png),
       "no experiment options"},
      {"export --view sweep --y depth --value chi1 --out " + png, "--from"},
      {"export --view sweep --from " + std::string(INITSCOPE_TEST_DATA) +
           "/../cli/cli_run.h --y depth --value chi1 --out " + png,
       "not a sweep file"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_TRUE(has(r.err, c.says)) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(png)) << c.args;
  }
}

}  // namespace
