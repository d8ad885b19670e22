// `initscope gan` (issue 14): the JSON contract on a short Fashion-MNIST run, CSV and table,
// same seed → same document, and one-line errors with exit 2 and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.h"

namespace {

namespace fs = std::filesystem;

fs::path gan_temp_dir() {
  return cli_test::test_folder("cli_gan");
}

bool gan_have_fashion_mnist() {
  return fs::is_directory("/usr/share/datasets/fashion-mnist");
}

// Small and fast: 256 images, 4 G steps of 64, tiny networks.
const std::string kGanSmall =
    "gan --train-limit 256 --epochs 1 --latent 16 --g-layers 32,64 --d-layers 64,32 "
    "--log-every 2 --samples 16 --seed 3";

TEST(CliGan, JsonHasTheContractsKeys) {
  if (!gan_have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto r = cli_test::run(kGanSmall + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(cli_test::has(r.err, "epoch 1/1")) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["config"]["latent"], 16);
  EXPECT_EQ(j["config"]["g_layers"], nlohmann::json::parse("[32, 64]"));
  ASSERT_EQ(j["columns"].size(), 4u);  // the default columns
  EXPECT_EQ(j["columns"][0]["init"], "torch_linear_default");
  for (const auto& c : j["columns"]) {
    for (const char* k : {"step", "g_loss", "d_loss", "d_real", "d_fake", "fooled"}) {
      ASSERT_TRUE(c["curves"].contains(k)) << k;
      EXPECT_EQ(c["curves"][k].size(), 2u) << k;  // steps 2 and 4
    }
    EXPECT_EQ(c["curves"]["step"], nlohmann::json::parse("[2, 4]"));
    EXPECT_TRUE(c["epochs"].is_array());
    EXPECT_TRUE(c.contains("diverged_at"));
    EXPECT_TRUE(c["diverged_at"].is_null());
  }
  // Same seed → the same document.
  const auto again = cli_test::run(kGanSmall + " --format json");
  EXPECT_EQ(again.out, r.out);
}

TEST(CliGan, CsvTableAndOut) {
  if (!gan_have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto csv = cli_test::run(kGanSmall + " --init normal:std=0.02 --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("init,step,g_loss,d_loss,d_real,d_fake,fooled,", 0), 0u) << csv.out;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 3);  // header + 2 points
  const auto table = cli_test::run(kGanSmall + " --init normal:std=0.02");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(cli_test::has(table.out, "G loss")) << table.out;
  const fs::path out = gan_temp_dir() / "gan.json";
  fs::remove(out);
  const auto written =
      cli_test::run(kGanSmall + " --init normal:std=0.02 --format json --out " + out.string());
  ASSERT_EQ(written.code, 0) << written.err;
  EXPECT_NO_THROW((void)nlohmann::json::parse(cli_test::slurp(out)));
}

TEST(CliGan, BadInputIsOneLineExit2AndNoFile) {
  const fs::path out = gan_temp_dir() / "bad.json";
  for (const char* bad :
       {"--latent 0", "--g-layers 256,x", "--d-layers ''", "--g-layers 0", "--lr -1", "--lr 0",
        "--beta1 1", "--batch 0", "--d-steps 0", "--epochs 0", "--init lsuv", "--init fixup",
        "--init nope", "--format xml", "--activation nope"}) {
    SCOPED_TRACE(bad);
    fs::remove(out);
    const auto r = cli_test::run(std::string("gan ") + bad + " --out " + out.string());
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(CliGan, MissingDataNamesThePackage) {
  const auto r = cli_test::run("gan --data " + (gan_temp_dir() / "nowhere").string());
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(cli_test::has(r.err, "dataset-fashion-mnist")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
