// `initscope train` run as users and scripts run it: the JSON/CSV/table contract, determinism,
// `--config` reproducing a run, and one-line errors with exit codes. The data is a small MNIST-
// format folder the test writes itself (plain IDX files); one test uses the real Fashion-MNIST
// when Debian's dataset-fashion-mnist is installed.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"

namespace fs = std::filesystem;
using cli_test::Result;
using cli_test::run;
using cli_test::slurp;

namespace {

fs::path temp_dir() {
  return cli_test::test_folder("cli_train");
}

// An IDX byte array: 00 00 08 NDIMS, big-endian sizes, the bytes.
std::string idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string s = {0, 0, 8, static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  return s + std::string(data.begin(), data.end());
}

// An MNIST-format folder of 8×8 images in 4 classes: class k lights up row pair k, plus noise.
fs::path small_data() {
  const fs::path dir = temp_dir() / "data";
  if (fs::exists(dir / "t10k-labels-idx1-ubyte")) return dir;
  fs::create_directories(dir);
  uint64_t state = 12345;
  auto next = [&] {  // xorshift: enough for test images
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  for (auto [prefix, count] : {std::pair{"train", 800}, std::pair{"t10k", 200}}) {
    std::vector<uint8_t> pixels, labels;
    for (int i = 0; i < count; ++i) {
      const int label = static_cast<int>(next() % 4);
      labels.push_back(static_cast<uint8_t>(label));
      for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
          pixels.push_back(static_cast<uint8_t>((r / 2 == label ? 160 : 0) + next() % 90));
    }
    std::ofstream(dir / (std::string(prefix) + "-images-idx3-ubyte"), std::ios::binary)
        << idx({static_cast<uint32_t>(count), 8, 8}, pixels);
    std::ofstream(dir / (std::string(prefix) + "-labels-idx1-ubyte"), std::ios::binary)
        << idx({static_cast<uint32_t>(count)}, labels);
  }
  return dir;
}

// A 64-16-4 network on small_data().
std::string small(const std::string& width = "16,4", const std::string& input_dim = "64",
                  const std::string& train_batch = "20") {
  return "--data " + small_data().string() + " --input-dim " + input_dim + " --layers 2 --width " +
         width + " --batch 100 --train-batch " + train_batch + " --epochs 2";
}

}  // namespace

TEST(CliTrain, JsonHasTheFields) {
  Result r = run("train --format json " + small() + " --init kaiming_normal --init normal:std=1");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& t = j.at("config").at("training");
  for (const char* k : {"data", "epochs", "batch", "optimizer", "lr", "momentum", "beta1", "beta2",
                        "eps", "train_limit", "test_limit", "log_every"}) {
    EXPECT_TRUE(t.contains(k)) << k;
  }
  EXPECT_EQ(t["epochs"], 2);
  EXPECT_EQ(t["batch"], 20);
  EXPECT_EQ(j["data"]["train_images"], 800);
  EXPECT_EQ(j["data"]["test_images"], 200);
  EXPECT_EQ(j["steps_per_epoch"], 40);
  EXPECT_EQ(j["steps"], 80);
  ASSERT_EQ(j["columns"].size(), 2u);
  for (const auto& c : j["columns"]) {
    ASSERT_EQ(c["epochs"].size(), 2u);
    for (const char* k :
         {"epoch", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy"}) {
      EXPECT_TRUE(c["epochs"][0].contains(k)) << k;
    }
    EXPECT_EQ(c["final_test_accuracy"], c["epochs"][1]["test_accuracy"]);
    EXPECT_EQ(c["train_loss"]["step"].size(), c["train_loss"]["loss"].size());
    EXPECT_EQ(c["train_loss"]["step"].size(), 8u);  // every 10 of 80 steps
    ASSERT_EQ(c["layers"].size(), 2u);
    EXPECT_TRUE(c["layers"][0].contains("grad"));
    EXPECT_EQ(c["layers"][1]["fan_out"], 4);
  }
  EXPECT_EQ(j["columns"][0]["init"], "kaiming_normal");
  EXPECT_GT(j["columns"][0]["final_test_accuracy"].get<double>(), 0.9);
  EXPECT_NE(r.err.find("epoch 2/2"), std::string::npos) << r.err;
}

TEST(CliTrain, SameSeedSameDocumentAndConfigReproducesIt) {
  Result a = run("train --format json " + small());
  Result b = run("train --format json " + small());
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const fs::path f = temp_dir() / "train.json";
  std::ofstream(f) << a.out;
  Result c = run("train --format json --config " + f.string());
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out, a.out);
  Result other = run("train --format json --seed 9 " + small());
  EXPECT_NE(other.out, a.out);
}

TEST(CliTrain, CsvAndTable) {
  Result c = run("train --format csv " + small());
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out.rfind("init,epoch,step,train_loss,train_accuracy,test_loss,test_accuracy\n", 0),
            0u);
  EXPECT_EQ(std::count(c.out.begin(), c.out.end(), '\n'), 1 + 3 * 2);  // preset: 3 inits
  Result t = run("train " + small());
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("final test accuracy:"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("xavier_uniform"), std::string::npos) << t.out;
}

TEST(CliTrain, OutIsWrittenWholeAndKeptWithoutForce) {
  const fs::path f = temp_dir() / "result.csv";
  fs::remove(f);
  ASSERT_EQ(run("train --format csv --out " + f.string() + " " + small()).code, 0);
  const std::string first = slurp(f);
  EXPECT_FALSE(first.empty());
  Result again = run("train --format csv --out " + f.string() + " " + small());
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(slurp(f), first);
}

TEST(CliTrain, BadOptionsGiveOneLineErrorAndExitTwo) {
  const std::pair<std::string, std::string> cases[] = {
      {small("16,4", "64", "5000"), "mini-batch (--train-batch) of 5000 is more than the 800"},
      {small("16,5"), "the network's last layer has 5 units"},
      {small("16,4", "100"), "input dimension is 100"},
      {"--epochs 0", "--epochs"},
      {"--epochs two", "--epochs"},
      {"--optimizer rmsprop", "--optimizer 'rmsprop': allowed: sgd, momentum, adam"},
      {"--lr 0", "--lr"},
      {"--lr abc", "--lr"},
      {"--momentum 1.5", "--momentum"},
      {"--train-batch 0", "--train-batch"},
      {"--train-limit -1", "--train-limit"},
      {"--train-limit 10", "--train-limit 10"},
      {"--log-every 0", "--log-every"},
      {"--format xml", "--format 'xml': allowed: table, json, csv"},
      {"--init bogus", "bogus"},
      {"--init rbm:epochs=0", "epochs"},
      // Issue 13: BatchNorm needs two examples per mini-batch; residual blocks equal widths.
      {small("16,4", "64", "1") + " --init kaiming_normal:norm=batch", "--train-batch 1"},
      {"--data " + small_data().string() +
           " --input-dim 64 --layers 3 --width 16,8,4 --init kaiming_normal:residual=pre",
       "residual blocks need equal widths"},
  };
  for (const auto& [extra, mention] : cases) {
    // Either whole arguments or options added to small()'s.
    const std::string args = extra.rfind("--data", 0) == 0 ? extra : small() + " " + extra;
    Result r = run("train " + args);
    EXPECT_EQ(r.code, 2) << extra << "\n" << r.err;
    EXPECT_NE(r.err.find(mention), std::string::npos) << extra << " → " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << extra << " → " << r.err;
    EXPECT_TRUE(r.out.empty()) << extra;
  }
}

TEST(CliTrain, MissingDataNamesThePackage) {
  Result r = run("train --data /nonexistent/fashion");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/fashion"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dataset-fashion-mnist"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliTrain, CorruptDataNamesTheFile) {
  const fs::path dir = temp_dir() / "corrupt";
  fs::create_directories(dir);
  for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    fs::copy_file(small_data() / f, dir / f, fs::copy_options::overwrite_existing);
  }
  std::ofstream(dir / "train-labels-idx1-ubyte", std::ios::binary)
      << idx({799}, std::vector<uint8_t>(799, 1));
  Result r = run("train --data " + dir.string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("train-labels-idx1-ubyte': 799 labels for the 800 images"),
            std::string::npos)
      << r.err;
}

TEST(CliTrain, ListingsShowTheRbmSchemeAndTheTrainingPresets) {
  Result i = run("inits");
  ASSERT_EQ(i.code, 0);
  EXPECT_NE(i.out.find("rbm  (alias dbn) — RBM / DBN pretraining"), std::string::npos) << i.out;
  Result p = run("presets");
  ASSERT_EQ(p.code, 0);
  EXPECT_NE(p.out.find("mnist-784-256-256-10"), std::string::npos);
  EXPECT_NE(p.out.find("mnist-deep-512x4"), std::string::npos);
  EXPECT_EQ(run("train --help").code, 0);
}

TEST(CliTrain, FashionMnistByDefault) {
  if (!fs::is_directory("/usr/share/datasets/fashion-mnist")) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  }
  Result r = run("train --train-limit 1280 --test-limit 1000 --epochs 1 --format csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1 + 3);
  EXPECT_NE(r.err.find("/usr/share/datasets/fashion-mnist"), std::string::npos) << r.err;
}

// Issue 11: a --data folder whose name is not UTF-8 (byte 0xFF) goes into the JSON document as
// U+FFFD instead of aborting the process with nlohmann's type_error 316.
TEST(CliTrain, DataFolderThatIsNotUtf8) {
  const fs::path odd = temp_dir() / "data\xFF";
  fs::create_directories(odd);
  for (const auto& f : fs::directory_iterator(small_data()))
    fs::copy_file(f.path(), odd / f.path().filename(), fs::copy_options::overwrite_existing);
  Result r =
      run("train --format json --data '" + odd.string() +
          "' --input-dim 64 --layers 2 --width 16,4 --batch 100 --train-batch 20 --epochs 1");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NE(j.dump().find("data\xEF\xBF\xBD"), std::string::npos) << "the path, with U+FFFD";
}

// Values that come from a preset are not blamed on an option the user did not type.
TEST(CliTrain, ErrorsDoNotBlameOptionsNotGiven) {
  Result r = run("train --preset compare --batch 100 --data " + small_data().string());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("last layer has 500 units"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("initscope: --width"), std::string::npos) << r.err;
  r = run("train --data " + small_data().string() +
          " --input-dim 64 --layers 2 --width 16,4 "
          "--batch 100 --train-limit 0 --train-batch 900");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("more than the 800 training images"), std::string::npos) << r.err;
}

namespace {

// Peak resident memory of `initscope ARGS` (wait4's ru_maxrss of the process), in bytes.
double peak_bytes(const std::string& args) {
  const std::string cmd = "exec " + std::string(INITSCOPE_BIN) + " " + args + " >/dev/null 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << args;
  return ru.ru_maxrss * 1024.0;
}

// The program's estimate, from its refusal under a 1 MB limit ("needs about 1.2 GB of memory").
double estimate_bytes(const std::string& args) {
  const Result r = run(args + " --memory-limit 0.001");
  const auto at = r.err.find("needs about ");
  if (at == std::string::npos) {
    ADD_FAILURE() << args << ": " << r.err;
    return 0;
  }
  std::istringstream in(r.err.substr(at + 12));
  double v = 0;
  std::string unit;
  in >> v >> unit;
  return v * (unit == "GB" ? 1e9 : unit == "MB" ? 1e6 : 1e3);
}

}  // namespace

// Issue 11: the estimate held for the simulation only; training's was half its peak and an
// orthogonal draw's QR workspace was not counted. The peak above a tiny run's (the binary and
// its libraries) must stay within the estimate.
TEST(CliTrain, MemoryEstimateHoldsForTrainingAndOrthogonal) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The estimate is of the program's own buffers; a sanitized binary adds shadow memory and a
  // quarantine of freed blocks (measured under ASan: orthogonal 522 MB against 336 MB unsanitized).
  GTEST_SKIP() << "peak memory is not the program's under a sanitizer";
#endif
  const double base = peak_bytes("stats --layers 1 --width 1 --batch 1 --format json");
  const std::string runs[] = {
      "train --data " + small_data().string() +
          " --input-dim 64 --layers 3 --width 2048,2048,4 --batch 100 --train-limit 64 "
          "--test-limit 200 --epochs 1 --train-batch 64 --optimizer adam --init kaiming_normal "
          "--init xavier_uniform --init normal:std=1",
      // Issue 13: block networks keep more per layer (normed, φ, branch, sum).
      "train --data " + small_data().string() +
          " --input-dim 64 --layers 3 --width 2048,2048,4 --batch 100 --train-limit 128 "
          "--test-limit 200 --epochs 1 --train-batch 128 --optimizer adam "
          "--init kaiming_normal:norm=batch --init kaiming_normal:norm=layer,residual=pre",
      "stats --init orthogonal --layers 2 --width 2048 --batch 10 --format json",
  };
  for (const std::string& args : runs) {
    const double estimate = estimate_bytes(args), peak = peak_bytes(args) - base;
    std::printf("%s\n  estimate %.0f MB, peak above base %.0f MB\n", args.c_str(), estimate / 1e6,
                peak / 1e6);
    EXPECT_GE(estimate, peak) << args << ": worst shortfall " << (peak - estimate) / 1e6 << " MB";
  }
}

// Issue 13: columns with a norm or a residual train end to end (column overrides in --init;
// --norm/--residual are the same architecture for every column).
TEST(CliTrain, NormedAndResidualColumnsTrain) {
  Result r = run("train --format json --data " + small_data().string() +
                 " --input-dim 64 --layers 3 --width 16,16,4 --batch 100 --train-batch 20"
                 " --epochs 2 --init kaiming_normal --init kaiming_normal:norm=batch"
                 " --init 'kaiming_normal:norm=layer,residual=pre,scale=1/sqrt(L)'");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["columns"].size(), 3u);
  for (const auto& c : j["columns"]) {
    EXPECT_GT(c["final_test_accuracy"].get<double>(), 0.9) << c["init"];
    EXPECT_EQ(c["layers"].size(), 3u) << c["init"];
  }
}

TEST(CliTrain, FashionMnistWithBatchNorm) {
  if (!fs::is_directory("/usr/share/datasets/fashion-mnist")) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  }
  Result r =
      run("train --train-limit 1280 --test-limit 1000 --epochs 1 --format json"
          " --init kaiming_normal:norm=batch --init 'kaiming_normal:norm=layer,residual=pre'"
          " --layers 4 --width 128,128,128,10");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["columns"].size(), 2u);
  for (const auto& c : j["columns"]) {
    // 1,280 images, one epoch: well above chance (10%).
    EXPECT_GT(c["final_test_accuracy"].get<double>(), 0.5) << c["init"];
  }
}
