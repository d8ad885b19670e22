// Runs the real binary the way users and scripts do and checks the contracts of
// docs/ARCHITECTURE.md and the README.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/limits.h"

namespace fs = std::filesystem;

namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

// Runs `initscope ARGS`, capturing stdout and stderr.
Result run(const std::string& args) {
  static int n = 0;
  const fs::path dir = fs::temp_directory_path() / ("initscope_cli_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / ("out" + std::to_string(n))).string();
  const std::string err = (dir / ("err" + std::to_string(n++))).string();
  const std::string cmd = std::string(INITSCOPE_BIN) + " " + args + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

fs::path temp_dir() {
  const fs::path d =
      fs::temp_directory_path() / ("initscope_cli_files_" + std::to_string(getpid()));
  fs::create_directories(d);
  return d;
}

const char* kSmall = "--layers 3 --width 64 --batch 50";

}  // namespace

TEST(Cli, StatsJsonHasTheContractFields) {
  Result r = run("stats --preset compare --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& cfg = j.at("config");
  for (const char* k : {"layers", "width", "input_dim", "batch", "activation", "bias", "input",
                        "seed", "bins", "updates", "inits"}) {
    EXPECT_TRUE(cfg.contains(k)) << k;
  }
  EXPECT_EQ(cfg["input_dim"], 500);
  ASSERT_EQ(j.at("columns").size(), 4u);
  EXPECT_EQ(j["columns"][0]["init"], "normal:std=0.01");
  const auto& l1 = j["columns"][0]["layers"][0];
  EXPECT_EQ(l1["layer"], 1);
  EXPECT_EQ(l1["fan_in"], 500);
  EXPECT_EQ(l1["fan_out"], 500);
  for (const char* k : {"mean", "std"}) EXPECT_TRUE(l1["weight"].contains(k)) << k;
  for (const char* k : {"mean", "std"}) EXPECT_TRUE(l1["preact"].contains(k)) << k;
  for (const char* k :
       {"mean", "std", "min", "max", "saturated", "zero", "dead", "nonfinite", "hist"}) {
    EXPECT_TRUE(l1["act"].contains(k)) << k;
  }
  for (const char* k : {"lo", "hi", "counts", "below", "above"}) {
    EXPECT_TRUE(l1["act"]["hist"].contains(k)) << k;
  }
  EXPECT_EQ(l1["act"]["hist"]["counts"].size(), 100u);
  EXPECT_NEAR(l1["act"]["std"].get<double>(), 0.2131, 0.2131 * 0.03);
}

TEST(Cli, StatsIsDeterministicAndConfigReproducesIt) {
  Result a = run(std::string("stats --format json --updates 2 ") + kSmall);
  Result b = run(std::string("stats --format json --updates 2 ") + kSmall);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const fs::path f = temp_dir() / "stats.json";
  std::ofstream(f) << a.out;
  Result c = run("stats --format json --config " + f.string());
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out, a.out);
}

TEST(Cli, TableAndCsv) {
  Result t = run(std::string("stats ") + kSmall);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("act std"), std::string::npos);
  Result c = run(std::string("stats --format csv ") + kSmall);
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(std::count(c.out.begin(), c.out.end(), '\n'), 1 + 4 * 3);  // header + cols × layers
}

TEST(Cli, ListingsHelpAndVersion) {
  Result i = run("inits");
  ASSERT_EQ(i.code, 0);
  for (const char* s : {"xavier_uniform", "kaiming_normal", "orthogonal", "variance_scaling",
                        "glorot_uniform", "he_normal", "trunc_normal", "sparse", "lecun_normal",
                        "torch_linear_default", "eye", "auto", "He for (leaky) ReLU layers"}) {
    EXPECT_NE(i.out.find(s), std::string::npos) << s;
  }
  Result p = run("presets");
  ASSERT_EQ(p.code, 0);
  for (const char* s : {"collapse", "saturation", "xavier-tanh", "xavier-relu", "he-relu",
                        "sigmoid", "zero-init", "uniform-1", "compare"}) {
    EXPECT_NE(p.out.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(run("--help").code, 0);
  EXPECT_EQ(run("stats --help").code, 0);
  EXPECT_EQ(run("export --help").code, 0);
  Result v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("initscope"), std::string::npos);
}

struct BadInput {
  const char* args;
  const char* must_mention;
};

TEST(Cli, BadInputGivesOneLineErrorAndExitTwo) {
  const BadInput cases[] = {
      {"stats --init bogus", "bogus"},
      {"stats --init normal:sd=1", "sd"},
      {"stats --init normal:std=abc", "abc"},
      {"stats --init normal:std=-1", "std"},
      {"stats --activation tanhh", "tanhh"},
      {"stats --layers 0", "--layers"},
      {"stats --layers -3", "--layers"},
      {"stats --layers 2.5", "--layers"},
      {"stats --width 0", "--width"},
      {"stats --width 10,20 --layers 3", "--width"},
      {"stats --width 10,x", "--width"},
      {"stats --batch 0", "--batch"},
      {"stats --bins 0", "--bins"},
      {"stats --seed -1", "--seed"},
      {"stats --preset nope", "nope"},
      {"stats --format xml", "--format"},
      {"stats --input xavier_normal", "--input"},
      {"stats --bias kaiming_normal", "--bias"},
      {"stats --no-such-option", "no-such-option"},
      {"stats --config /nonexistent/x.json", "/nonexistent/x.json"},
      {"export --preset compare", "--out"},
  };
  for (const BadInput& c : cases) {
    Result r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.must_mention), std::string::npos) << c.args << " → " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << " → " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}

TEST(Cli, CorruptConfigNamesLineAndColumn) {
  const fs::path f = temp_dir() / "bad.json";
  std::ofstream(f) << "{\n  \"layers\": 3,\n  \"width\": ]\n}\n";
  Result r = run("stats --config " + f.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(f.string()), std::string::npos) << r.err;
}

TEST(Cli, MemoryLimitRefusesWithEstimate) {
  Result r = run("stats --layers 1000 --width 4096 --memory-limit 1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("GB"), std::string::npos) << r.err;
}

TEST(Cli, OverflowIsDataNotACrash) {
  Result r =
      run("stats --activation relu --layers 200 --width 100 --batch 50 --init normal:std=1 "
          "--format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& last = j["columns"][0]["layers"][199];
  EXPECT_GT(last["act"]["nonfinite"].get<uint64_t>() + last["preact"]["nonfinite"].get<uint64_t>(),
            0u);
}

TEST(Cli, OutIsWrittenWholeOrNotAtAll) {
  const fs::path d = temp_dir();
  // Missing folder: error, nothing written.
  Result r = run(std::string("stats ") + kSmall + " --out " + (d / "missing" / "x.json").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "missing"));
  // Unwritable folder (skip when running as root: root can write anywhere).
  if (geteuid() != 0) {
    fs::create_directories(d / "ro");
    fs::permissions(d / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    r = run(std::string("stats ") + kSmall + " --out " + (d / "ro" / "x.json").string());
    EXPECT_EQ(r.code, 1);
    EXPECT_FALSE(fs::exists(d / "ro" / "x.json"));
  }
  // A place nobody can write, root included.
  r = run(std::string("stats ") + kSmall + " --out /proc/initscope-test.json");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/proc/initscope-test.json"), std::string::npos) << r.err;
  // Written, then refused without --force, then overwritten with it.
  const fs::path f = d / "s.json";
  fs::remove(f);
  r = run(std::string("stats --format json ") + kSmall + " --out " + f.string());
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream written(f);
  EXPECT_TRUE(nlohmann::json::accept(written)) << f;
  r = run(std::string("stats --format json ") + kSmall + " --out " + f.string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  r = run(std::string("stats --format json ") + kSmall + " --out " + f.string() + " --force");
  EXPECT_EQ(r.code, 0) << r.err;
  for (const auto& entry : fs::directory_iterator(d)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

// ---- the table of limits and hostile input (issue 11 items 2 and 9) ----------------------------

// Runs ARGS and expects a usage error: exit 2, one short line naming `mention`.
void expect_usage_error(const std::string& args, const std::string& mention) {
  Result r = run(args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.err.substr(0, 500);
  EXPECT_NE(r.err.find(mention), std::string::npos) << args << " → " << r.err.substr(0, 500);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args;
  EXPECT_LT(r.err.size(), 400u) << args << " → " << r.err.substr(0, 500);
  EXPECT_TRUE(r.out.empty()) << args;
}

std::string number_text(double v, bool integer) {
  char buf[64];
  std::snprintf(buf, sizeof buf, integer ? "%.0f" : "%.17g", v);
  return buf;
}

// Every experiment option is refused just outside the table's range, with the range quoted;
// `gui` and `export` refuse the same font scales and sizes (no window is opened for a refusal).
TEST(Cli, OptionsFollowTheTableOfLimits) {
  using namespace initscope;
  for (const Limit* l :
       {&limits::kLayers, &limits::kWidth, &limits::kInputDim, &limits::kBatch, &limits::kBins,
        &limits::kUpdates, &limits::kSeed, &limits::kMemoryLimitGb}) {
    const double below = l->integer ? l->lo - 1 : l->lo / 2;
    expect_usage_error(std::string("stats ") + l->option + " " + number_text(below, l->integer),
                       l->range_text());
    expect_usage_error(std::string("stats ") + l->option + " x", l->range_text());
  }
  for (const char* cmd : {"gui --preset compare", "export --preset compare --out f.png"}) {
    const Limit& f = limits::kFontScale;
    expect_usage_error(std::string(cmd) + " --font-scale " + number_text(f.lo * 0.99, false),
                       f.range_text());
    expect_usage_error(std::string(cmd) + " --font-scale " + number_text(f.hi * 1.01, false),
                       f.range_text());
    const Limit& s = limits::kFigureSide;
    expect_usage_error(std::string(cmd) + " --size " + number_text(s.hi + 1, true) + "x500",
                       s.range_text());
    expect_usage_error(std::string(cmd) + " --size 500x" + number_text(s.lo - 1, true),
                       s.range_text());
  }
  // The boundary values are drawn: the smallest and largest font scale, the smallest figure.
  const fs::path d = temp_dir();
  for (const std::string opts : {"--font-scale 0.5 --size 64x64", "--font-scale 4 --size 64x64"}) {
    Result r = run("export --layers 2 --width 16 --batch 10 --out " + (d / "edge.png").string() +
                   " --force " + opts);
    EXPECT_EQ(r.code, 0) << opts << ": " << r.err;
  }
}

TEST(Cli, HostileConfigFilesGiveAShortErrorNotACrash) {
  const fs::path d = temp_dir();
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(d / name, std::ios::binary) << text;
    return (d / name).string();
  };
  const std::string deep(100000, '[');
  const std::string closing(100000, ']');
  expect_usage_error(
      "stats --config " + write("deep1.json", "{\"layers\": " + deep + closing + "}"),
      "nested deeper than 64 levels");
  expect_usage_error("stats --config " + write("deep2.json", "{\"title\": " + deep + closing + "}"),
                     "nested deeper than 64 levels");
  expect_usage_error("stats --config " + write("deep3.json", deep), "nested deeper than 64 levels");
  std::string huge = "{\"width\": [1";
  for (int i = 0; i < 1100000; ++i) huge += ",1";
  expect_usage_error("stats --config " + write("huge.json", huge + "]}"), "more than 1000000");
  expect_usage_error(
      "stats --config " + write("long.json", "{\"title\": " + std::string(1600000, '7') + "}"),
      "number overflow");
  expect_usage_error("stats --config /dev/zero", "longer than 64 MB");
  // A PNG header claiming 32768×32768 (the rest is never read).
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x80\0\0\0\x80\0\x08\x06\0\0\0", 29);
  png += "\xc4\x7c\xa3\x7f";  // the CRC
  expect_usage_error("stats --config " + write("huge.png", png), "claims 32768x32768");
}

TEST(Cli, EmptyNamesUnknownCommandsAndFormatsAreRefused) {
  expect_usage_error("stats --preset ''", "--preset");
  expect_usage_error("stats --config ''", "--config");
  expect_usage_error("gui --preset ''", "empty");
  expect_usage_error("statz --preset compare", "commands: gui, stats, export, train");
  expect_usage_error("export --preset compare --out x.jpg", "PNG");
  expect_usage_error("gui --preset compare --screenshot x.jpg", "PNG");
  expect_usage_error("stats --init normal:std=1e40", "from -1e+30 to 1e+30");
  expect_usage_error("stats --input normal:mean=1e39", "from -1e+30 to 1e+30");
}
