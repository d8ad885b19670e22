// Whole-program figures, timed the way a user meets them:
//  - the window under Xvfb (Mesa's software GL) with the `compare` preset simulating
//    continuously: frame times and updates/s, read from `initscope gui --frames N --timing F`;
//  - `initscope export --preset compare --out f.png` as a whole process, with no display;
//  - the classic figure made with numpy + matplotlib (tests/bench/matplotlib_figure.py), also as
//    a whole process, for the ratio.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("initscope-bench-" + name);
}

// Runs `cmd` through the shell; returns its wall time in seconds, or a negative number on error.
double timed(const std::string& cmd) {
  const auto t0 = Clock::now();
  const int rc = std::system(cmd.c_str());
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  return rc == 0 ? s : -1;
}

void BM_WindowFrames(benchmark::State& state) {
  const fs::path timing = scratch("timing.json");
  const std::string cmd = std::string("xvfb-run -a -s '-screen 0 1920x1200x24' ") + INITSCOPE_BIN +
                          " gui --preset compare --frames 300 --timing " + timing.string() +
                          " >/dev/null 2>&1";
  for (auto _ : state) {
    if (timed(cmd) < 0) {
      state.SkipWithError("`initscope gui` under xvfb-run failed (apt-get install xvfb xauth)");
      return;
    }
    std::ifstream in(timing);
    const nlohmann::json j = nlohmann::json::parse(in);
    state.SetIterationTime(j["frame_ms"]["mean"].get<double>() / 1e3);
    state.counters["frame_p95_ms"] = j["frame_ms"]["p95"].get<double>();
    state.counters["build_ms"] = j["build_ms"]["mean"].get<double>();
    state.counters["updates/s"] = j["updates_per_s"].get<double>();
  }
  fs::remove(timing);
}
BENCHMARK(BM_WindowFrames)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_ExportProcess(benchmark::State& state) {
  const fs::path out = scratch("export.png");
  const std::string cmd = std::string("env -u DISPLAY -u WAYLAND_DISPLAY ") + INITSCOPE_BIN +
                          " export --preset compare --out " + out.string() +
                          " --force >/dev/null 2>&1";
  for (auto _ : state) {
    const double s = timed(cmd);
    if (s < 0) {
      state.SkipWithError("`initscope export` failed");
      return;
    }
    state.SetIterationTime(s);
  }
  fs::remove(out);
}
// Eleven single runs, reported as their mean and median: this VM's neighbours put a few runs
// in ten 50–100% above the rest, and a mean of five took one of them whole.
BENCHMARK(BM_ExportProcess)
    ->Iterations(1)
    ->Repetitions(11)
    ->ReportAggregatesOnly(true)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_MatplotlibFigure(benchmark::State& state) {
  const fs::path out = scratch("matplotlib.png");
  const std::string cmd = std::string("/usr/bin/python3 ") + MATPLOTLIB_SCRIPT + " " +
                          out.string() + " >/dev/null 2>&1";
  for (auto _ : state) {
    const double s = timed(cmd);
    if (s < 0) {
      state.SkipWithError(
          "python3 with numpy + matplotlib is not available "
          "(./third_party/install-packages.sh third_party/packages-bench.txt)");
      return;
    }
    state.SetIterationTime(s);
  }
  fs::remove(out);
}
BENCHMARK(BM_MatplotlibFigure)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
