#pragma once
// The PyTorch side of the training and GAN benchmarks (bench_train.cpp, bench_gan.cpp): a
// reference script (torch_train.py, torch_gan.py) times the same step in the same run and prints
// "<steps/s> <torch threads>"; the benchmark reports one step's time from it.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

namespace initscope::bench {

// "/usr/bin/python3 SCRIPT ARGS[ THREADS] 2>/dev/null". threads: 0 = PyTorch's defaults (one
// torch thread here while its BLAS, OpenBLAS, runs the GEMMs on both cores), else
// torch.set_num_threads(threads); one_blas_thread: OPENBLAS_NUM_THREADS=1 too.
inline std::string torch_command(const char* script, const std::string& args, int threads,
                                 bool one_blas_thread = false) {
  std::string cmd = one_blas_thread ? "OPENBLAS_NUM_THREADS=1 " : "";
  cmd += "/usr/bin/python3 ";
  cmd += script;
  cmd += ' ';
  cmd += args;
  if (threads > 0) {
    cmd += ' ';  // appended piecewise: GCC 12 warns (-Wrestrict) on " " + std::to_string(…)
    cmd += std::to_string(threads);
  }
  cmd += " 2>/dev/null";
  return cmd;
}

// Runs `cmd` once per iteration (the benchmark runs with Iterations(1) and UseManualTime), sets
// the iteration's time to one step and the "steps/s" counter. Returns PyTorch's steps/s and
// sets torch_threads to the threads it used; -1 after SkipWithError when /usr/bin/python3 or
// torch is missing.
inline double time_torch_steps(benchmark::State& state, const std::string& cmd,
                               int& torch_threads) {
  double rate = -1;
  torch_threads = 0;
  for (auto _ : state) {
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr || std::fscanf(p, "%lf %d", &rate, &torch_threads) != 2) {
      if (p) pclose(p);
      state.SkipWithError(
          "/usr/bin/python3 with torch is not available (apt-get install python3-torch)");
      return -1;
    }
    pclose(p);
    state.SetIterationTime(1.0 / rate);  // one step
  }
  state.counters["steps/s"] = rate;
  return rate;
}

}  // namespace initscope::bench
