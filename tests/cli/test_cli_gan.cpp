// `initscope gan` (issue 14): the JSON contract on a short Fashion-MNIST run, CSV and table,
// same seed → same document, and one-line errors with exit 2 and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "cli_run.h"

namespace {

namespace fs = std::filesystem;

fs::path gan_temp_dir() {
  return cli_test::test_folder("cli_gan");
}

bool gan_have_fashion_mnist() {
  return fs::is_directory("/usr/share/datasets/fashion-mnist");
}

// The quality measure's classifier, trained once per machine (≈ 10 s) into the cache folder the
// unit tests of gan_quality use (tests/unit/test_gan_quality.cpp), and read from there after.
// Set in this process's environment, which `initscope` inherits.
void gan_use_test_classifier_cache() {
  const fs::path dir = fs::temp_directory_path() / "initscope-test-classifier-cache";
  ::setenv("INITSCOPE_CACHE_DIR", dir.c_str(), 1);
}

cli_test::Result gan_run(const std::string& args) {
  gan_use_test_classifier_cache();
  return cli_test::run(args);
}

// Small and fast: 256 images, 4 G steps of 64, tiny networks.
const std::string kGanSmall =
    "gan --train-limit 256 --epochs 1 --latent 16 --g-layers 32,64 --d-layers 64,32 "
    "--log-every 2 --samples 16 --seed 3";

TEST(CliGan, JsonHasTheContractsKeys) {
  if (!gan_have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto r = gan_run(kGanSmall + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(cli_test::has(r.err, "epoch 1/1")) << r.err;
  EXPECT_TRUE(cli_test::has(r.err, "initscope: classifier: ")) << r.err;
  EXPECT_TRUE(cli_test::has(r.err, "test accuracy ")) << r.err;
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
    // The quality measure of the one epoch: confidence in (0, 1], class entropy in [0, ln 10],
    // FID ≥ 0 (gan_quality.h).
    ASSERT_EQ(c["epochs"].size(), 1u) << c["epochs"].dump();
    const auto& q = c["epochs"][0];
    std::printf("  %-22s confidence %.3f, class entropy %.3f, FID %.1f\n",
                c["init"].get<std::string>().c_str(), q["confidence"].get<double>(),
                q["class_entropy"].get<double>(), q["fid"].get<double>());
    EXPECT_EQ(q["epoch"], 1);
    EXPECT_TRUE(q["confidence"] > 0 && q["confidence"] <= 1) << q;
    EXPECT_TRUE(q["class_entropy"] >= 0 && q["class_entropy"] <= std::log(10.0) + 1e-12) << q;
    EXPECT_TRUE(q["fid"] >= 0 && std::isfinite(q["fid"].get<double>())) << q;
    EXPECT_TRUE(c.contains("diverged_at"));
    EXPECT_TRUE(c["diverged_at"].is_null());
  }
  // Same seed → the same document.
  const auto again = gan_run(kGanSmall + " --format json");
  EXPECT_EQ(again.out, r.out);
}

TEST(CliGan, CsvTableAndOut) {
  if (!gan_have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto csv = gan_run(kGanSmall + " --init normal:std=0.02 --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("init,step,g_loss,d_loss,d_real,d_fake,fooled,", 0), 0u) << csv.out;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 3);  // header + 2 points
  const auto table = gan_run(kGanSmall + " --init normal:std=0.02");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(cli_test::has(table.out, "G loss")) << table.out;
  const fs::path out = gan_temp_dir() / "gan.json";
  fs::remove(out);
  const auto written =
      gan_run(kGanSmall + " --init normal:std=0.02 --format json --out " + out.string());
  ASSERT_EQ(written.code, 0) << written.err;
  EXPECT_EQ(nlohmann::json::parse(cli_test::slurp(out))["columns"].size(), 1u);
}

TEST(CliGan, BadInputIsOneLineExit2AndNoFile) {
  const fs::path out = gan_temp_dir() / "bad.json";
  for (const char* bad :
       {"--latent 0", "--g-layers 256,x", "--d-layers ''", "--g-layers 0", "--lr -1", "--lr 0",
        "--beta1 1", "--batch 0", "--d-steps 0", "--epochs 0", "--quality-samples 1", "--init lsuv",
        "--init fixup", "--init nope", "--format xml", "--activation nope"}) {
    SCOPED_TRACE(bad);
    fs::remove(out);
    const auto r = cli_test::run(std::string("gan ") + bad + " --out " + out.string());
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

// `export --view gan --format json|csv` writes the document `gan` writes: its config read back
// from `gan`'s own JSON (--config), the same seed, so byte for byte the same file.
TEST(CliGan, ExportWritesTheGanCommandsDocument) {
  if (!gan_have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const fs::path dir = gan_temp_dir();
  const fs::path config = dir / "from_gan.json";  // the json run's file is the csv run's config
  for (const std::string format : {"json", "csv"}) {
    SCOPED_TRACE(format);
    const fs::path from_gan = dir / ("from_gan." + format);
    const fs::path from_export = dir / ("from_export." + format);
    fs::remove(from_gan), fs::remove(from_export);
    const auto g = gan_run(kGanSmall + " --format " + format + " --out " + from_gan.string());
    ASSERT_EQ(g.code, 0) << g.err;
    const auto e = gan_run("export --view gan --config " + config.string() + " --format " + format +
                           " --out " + from_export.string());
    ASSERT_EQ(e.code, 0) << e.err;
    EXPECT_EQ(cli_test::slurp(from_export), cli_test::slurp(from_gan));
  }
}

// A data format where it does not apply is one line naming it, exit 2, before any training.
TEST(CliGan, ExportFormatErrorsAreOneLineExit2AndNoFile) {
  const fs::path json_out = gan_temp_dir() / "bad_export.json";
  const fs::path png_out = gan_temp_dir() / "bad_export.png";
  const std::pair<std::string, std::string> cases[] = {
      {"export --view gan --format xml --out " + json_out.string(), "allowed: png, json, csv"},
      {"export --view grid --network generator --format json --out " + json_out.string(),
       "--view gan"},
      {"export --view gan --format json --out " + png_out.string(), "not a PNG"},
      {"export --view gan --out " + json_out.string(), "ending in .png"},
      {"export --view gan --value q_star --out " + png_out.string(), "only with --view sweep"},
      {"export --preset compare --format json --out " + json_out.string(),
       "only with --view sweep"}};
  for (const auto& [args, says] : cases) {
    SCOPED_TRACE(args);
    fs::remove(json_out), fs::remove(png_out);
    const auto r = cli_test::run(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(cli_test::has(r.err, says)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(json_out) || fs::exists(png_out));
  }
}

TEST(CliGan, MissingDataNamesThePackage) {
  const auto r = cli_test::run("gan --data " + (gan_temp_dir() / "nowhere").string());
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(cli_test::has(r.err, "dataset-fashion-mnist")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
